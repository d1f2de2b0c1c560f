"""Would the right topic's answer hold the fact asked? `python -m devtools.answer_coverage FILE...`

For each single question of a development set (the frozen sets' format: `text`, `topic`,
`groups`), the answer of the topic its writer gave is read as the patient would get it (every
message of the answer file, the clinic's details filled in, in the set's language) and checked for
the word groups the evaluation asks of a reply (`evaluation.frozen.has_groups`). A question listed
here fails end to end even when the intent model gets its topic right: the answer lacks the fact,
or says it in other words. Whether the fact belongs in the answer is for the clinic pages to say
(content/README.md): add it only where a source passage backs it.

Development sets only: the frozen sets may not be read question by question (README,
"Evaluation on the frozen sets").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from clinic.profile import load_profile
from content.model import fill, load_topics
from evaluation.frozen import FROZEN, has_groups, load_cases, topic_intents


def answer_texts(language: str) -> dict[str, str]:
    """Each intent's whole answer as one text, in `language`, with the clinic's details."""
    slots = load_profile().as_slots(language)
    return {topic.intent: "\n".join(fill(m.text_in(language), **slots) for m in topic.messages)
            for topic in load_topics() if topic.intent}


def uncovered(path: Path) -> tuple[int, list[tuple[str, str, list[list[str]]]]]:
    """How many questions of `path` have a topic answer, and those whose answer lacks a group:
    (topic, text, the groups missing)."""
    cases = [c for c in load_cases(path.parent) if c.source == path.name and c.kind == "question"]
    texts: dict[str, dict[str, str]] = {}
    checked, missing = 0, []
    for case in cases:
        if case.language not in texts:  # once per language, not per question
            texts[case.language] = answer_texts(case.language)
        answers = texts[case.language]
        answer = "\n".join(answers.get(intent, "") for intent in topic_intents(case.category))
        if not answer:
            continue
        checked += 1
        lacking = [list(group) for group in case.groups if not has_groups(answer, [group])]
        if lacking:
            missing.append((case.category, case.turns[0], lacking))
    return checked, missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for path in args.files:
        if FROZEN.resolve() in path.resolve().parents:
            sys.exit(f"{path}: a frozen set; its questions may not be read one by one")
        checked, missing = uncovered(path)
        print(f"{path}: {checked - len(missing)} of {checked} answers hold the words asked")
        for topic, text, lacking in missing:
            print(f"  [{topic}] lacks {lacking}: {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
