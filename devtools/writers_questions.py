"""Turn a blind writer's question set into training data (data/nlu/patients/roundN.yml).

    python -m devtools.writers_questions tests/dev_roundN/questions.yml N

The writer's topic gives the intent (evaluation.frozen.topic_intents, its first intent). Left
out, and counted by reason (never printed, since the frozen sets are compared too): questions
already in the training data or the judges' corpora (after normalising case and punctuation),
and questions within 90 % string similarity of a held-out, round-12 or frozen message. The
source file is removed: a development message must not also be training data
(tests/test_set_separation.py).
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from devtools.nlu_data import (
    HELDOUT_FILE,
    PATIENTS,
    ROUND12,
    examples,
    normalised,
    training_examples,
)
from devtools.servers import ROOT
from evaluation.frozen import FROZEN, load_cases, topic_intents
from safety.judge import CORPUS, CORPUS_ES, load_corpus

HEADER = """# Patients' own questions, round {n}: written by a writer who read only the two clinic
# pages and the clinical reference, never this data or the code; moved here as training data
# from {source} ({count} single questions, labelled by topic) without being measured on.
# The intent is the topic the writer gave. README, "NLU quality".
version: "3.1"
nlu:
"""


def evaluation_texts() -> list[str]:
    texts = [text for _, text in examples(HELDOUT_FILE)]
    texts += [turn for case in load_cases(ROUND12) for turn in case.turns]
    texts += [turn for folder in (FROZEN, FROZEN / "es") for case in load_cases(folder)
              for turn in case.turns]
    return [normalised(t) for t in texts]


def convert(source: Path, number: int) -> tuple[str, Counter]:
    cases = yaml.safe_load(source.read_text(encoding="utf-8"))["cases"]
    known = {normalised(text) for _, text in training_examples()}
    known |= {normalised(text) for corpus in (CORPUS, CORPUS_ES) for text in load_corpus(corpus)[0]}
    evaluation = evaluation_texts()
    kept: dict[str, list[str]] = defaultdict(list)
    counts: Counter = Counter()
    for case in cases:
        text = " ".join(case["text"].split())
        key = normalised(text)
        if key in known:
            counts["already in the training data or a corpus"] += 1
            continue
        match = process.extractOne(key, evaluation, scorer=fuzz.ratio)
        if match and match[1] >= 90:
            counts["near an evaluation message"] += 1
            continue
        known.add(key)
        kept[topic_intents(case["topic"])[0]].append(text)
        counts["kept"] += 1
    lines = [HEADER.format(n=number, source=source.relative_to(ROOT), count=len(cases))]
    for intent in sorted(kept):
        lines.append(f"- intent: {intent}\n  examples: |\n")
        lines.extend(f"    - {text}\n" for text in kept[intent])
    return "".join(lines), counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("number", type=int)
    args = parser.parse_args()
    source = args.source.resolve()
    if "frozen" in source.parts:
        raise SystemExit("the frozen sets are never training data")
    text, counts = convert(source, args.number)
    target = PATIENTS / f"round{args.number}.yml"
    target.write_text(text, encoding="utf-8")
    yaml.safe_load(text)  # a text that breaks the YAML stops here, before the source goes
    source.unlink()
    print(f"{target.relative_to(ROOT)}: {dict(counts)}")


if __name__ == "__main__":
    main()
