"""Turn a blind writer's question set into training data (data/nlu/patients/).

    python -m devtools.writers_questions tests/dev_roundN/questions.yml N   # -> dev_roundN.yml
    python -m devtools.writers_questions --written data/nlu/patients/roundN.yml N

The second form takes questions a blind writer wrote as training data (a Rasa NLU file, the
intent given by the writer) and filters the file in place the same way.

The writer's topic gives the intent (evaluation.frozen.topic_intents, its first intent). Left
out, and counted by reason (never printed, since the frozen sets are compared too): questions
already in the training data or the judges' corpora (after normalising case and punctuation),
and questions within 90 % string similarity of a held-out, round-12 or frozen message. The
source file is removed: a development message must not also be training data
(tests/test_set_separation.py).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from pathlib import Path

from rapidfuzz import fuzz, process

import yaml_io
from devtools.nlu_data import (
    HELDOUT_FILE,
    PATIENTS,
    ROUND12,
    TRAINING_FILES,
    examples,
    normalised,
)
from devtools.servers import ROOT
from evaluation.frozen import FROZEN, load_cases, topic_intents
from safety.judge import CORPUS, CORPUS_ES, load_corpus

HEADER = """# Patients' own questions, round {n}: written by a writer who read only the two clinic
# pages and the clinical reference, never this data or the code; moved here as training data
# from {source} ({count} single questions, labelled by topic), a blind development set until then.
# The intent is the topic the writer gave. README, "NLU quality".
version: "3.1"
nlu:
"""
WRITTEN_HEADER = """# Patients' own questions, round {n}: written as training data by a writer who
# read only the two clinic pages, the clinical reference and the list of topics, never this
# data or the code ({count} questions, {kept} kept: devtools/writers_questions.py --written).
# The intent is the topic the writer gave. README, "NLU quality".
version: "3.1"
nlu:
"""


# The writers file booking questions under "contact"; the assistant has its own intent for them
# (book_appointment, whose answer also gives the phone): left under ask_contact they made "how
# do I book an appointment" a tie between the two (session 22).
BOOKING = re.compile(r"\b(book|booking|booked|appointment|appointments|appt|schedul\w*|"
                     r"reschedul\w*|cancel\w*)\b", re.IGNORECASE)


def intent_for(intent: str, text: str) -> str:
    return "book_appointment" if intent == "ask_contact" and BOOKING.search(text) else intent


def evaluation_texts() -> list[str]:
    texts = [text for _, text in examples(HELDOUT_FILE)]
    texts += [turn for case in load_cases(ROUND12) for turn in case.turns]
    texts += [turn for folder in (FROZEN, FROZEN / "es") for case in load_cases(folder)
              for turn in case.turns]
    return [normalised(t) for t in texts]


def convert(source: Path, number: int) -> tuple[str, Counter]:
    cases = yaml_io.load(source.read_text(encoding="utf-8"))["cases"]
    pairs = [(topic_intents(case["topic"])[0], case["text"]) for case in cases]
    kept, counts = kept_questions(pairs, source=source)
    return nlu_text(HEADER.format(n=number, source=source.relative_to(ROOT), count=len(cases)),
                    kept), counts


def nlu_text(header: str, kept: dict[str, list[str]]) -> str:
    lines = [header]
    for intent in sorted(kept):
        lines.append(f"- intent: {intent}\n  examples: |\n")
        lines.extend(f"    - {text}\n" for text in kept[intent])
    return "".join(lines)


def development_texts(source: Path | None = None) -> set[str]:
    """Every blind development round's messages, but those of `source` (the round being moved):
    none may also be training data."""
    return {normalised(turn) for folder in sorted((ROOT / "tests").glob("dev_*"))
            for case in load_cases(folder)
            if source is None or folder / case.source != source
            for turn in case.turns}


def written_alike(key: str, keys: list[str]) -> bool:
    """Whether a normalised text is within 90 % string similarity of one of `keys` (normalised):
    too near an evaluation message to be trained on."""
    match = process.extractOne(key, keys, scorer=fuzz.ratio)
    return bool(match) and match[1] >= 90


def kept_questions(pairs: list[tuple[str, str]], exclude: frozenset[Path] = frozenset(),
                   source: Path | None = None) -> tuple[dict[str, list[str]], Counter]:
    """The (intent, text) pairs that may become training data, by intent, with the counts of
    those left out by reason. `exclude`: training files not to compare with (the file itself);
    `source`: the development file the pairs come from."""
    known = {normalised(text) for path in TRAINING_FILES if path.resolve() not in exclude
             for _, text in examples(path)}
    known |= {normalised(text) for corpus in (CORPUS, CORPUS_ES) for text in load_corpus(corpus)[0]}
    development = development_texts(source)
    evaluation = evaluation_texts()
    kept: dict[str, list[str]] = defaultdict(list)
    counts: Counter = Counter()
    for intent, raw in pairs:
        text = " ".join(raw.split())
        key = normalised(text)
        if key in known:
            counts["already in the training data or a corpus"] += 1
            continue
        if key in development:
            counts["in a development round"] += 1
            continue
        if written_alike(key, evaluation):
            counts["near an evaluation message"] += 1
            continue
        known.add(key)
        kept[intent_for(intent, text)].append(text)
        counts["kept"] += 1
    return kept, counts


def filter_written(path: Path, number: int) -> Counter:
    """Filter a writer's own NLU file in place (its header says how many were kept)."""
    pairs = examples(path)
    kept, counts = kept_questions(pairs, exclude=frozenset({path.resolve()}))
    text = nlu_text(WRITTEN_HEADER.format(n=number, count=len(pairs), kept=counts["kept"]), kept)
    yaml_io.load(text)
    path.write_text(text, encoding="utf-8")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("number", type=int)
    parser.add_argument("--written", action="store_true",
                        help="the source is a Rasa NLU file written as training data")
    args = parser.parse_args()
    source = args.source.resolve()
    if "frozen" in source.parts:
        raise SystemExit("the frozen sets are never training data")
    if args.written:
        print(f"{source.relative_to(ROOT)}: {dict(filter_written(source, args.number))}")
        return
    text, counts = convert(source, args.number)
    # Named after the development round it comes from: writers' rounds written as training data
    # have their own numbers (round19.yml is not tests/dev_round19/).
    target = PATIENTS / f"dev_round{args.number}.yml"
    target.write_text(text, encoding="utf-8")
    yaml_io.load(text)  # a text that breaks the YAML stops here, before the source goes
    source.unlink()
    print(f"{target.relative_to(ROOT)}: {dict(counts)}")


if __name__ == "__main__":
    main()
