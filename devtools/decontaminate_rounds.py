"""Take out of blind development rounds the messages that come near a frozen or regression message.

    python -m devtools.decontaminate_rounds tests/dev_round3/safety.yml ...

Before a development round becomes training data (the safety judges learn from the rounds listed
in config.yml, `development_rounds`), any of its messages written alike by a frozen set's writer
(the same text after normalising case and punctuation, or within 90 % string similarity of a
frozen text of more than 15 characters) is removed from the file, so that nothing learned has
seen a frozen message (tests/test_set_separation.py); the same for the safety regression sets.
Only counts are printed: the frozen texts, and which development messages came near them, are
never shown.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from rapidfuzz import fuzz, process

import yaml_io
from devtools.nlu_data import normalised
from devtools.servers import ROOT
from evaluation.frozen import FROZEN, load_cases

NOTE = ("# ({n} message(s) that an evaluation set's writer wrote alike were taken out before this "
        "round became the safety judges' training data: devtools/decontaminate_rounds.py.)\n")
# the safety regression sets, which pytest measures the judges on, are kept apart the same way
REGRESSION_SETS = ("tests/safety/eval_set.yml", "tests/safety/validation_set.yml")


def near_a_frozen_message(text: str, frozen: set[str]) -> bool:
    key = normalised(text)
    if key in frozen:
        return True
    match = process.extractOne(key, [f for f in frozen if len(f) > 15], scorer=fuzz.ratio)
    return bool(match and match[1] >= 90)


def decontaminate(path: Path, frozen: set[str]) -> int:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # a case is its "- text:" line and the indented lines after it
    starts = [i for i, line in enumerate(lines) if line.startswith("- text:")]
    removed: set[int] = set()
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        while end > start + 1 and not lines[end - 1].startswith("  "):
            end -= 1
        text = yaml_io.load(lines[start][len("- text:"):])
        if near_a_frozen_message(str(text), frozen):
            removed.update(range(start, end))
    if removed:
        kept = [line for i, line in enumerate(lines) if i not in removed]
        n = len([s for s in starts if s in removed])
        earlier = [i for i, line in enumerate(kept) if "devtools/decontaminate_rounds.py" in line]
        if earlier:  # taken out before: one note with the total
            n += int(re.search(r"\((\d+) message", kept[earlier[0]]).group(1))
            del kept[earlier[0]]
        header = next(i for i, line in enumerate(kept) if not line.startswith("#"))
        kept.insert(header, NOTE.format(n=n))
        path.write_text("".join(kept), encoding="utf-8")
    return len([s for s in starts if s in removed])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    frozen = {normalised(turn) for folder in (FROZEN, FROZEN / "es")
              for case in load_cases(folder) for turn in case.turns}
    for name in REGRESSION_SETS:
        data = yaml_io.load((ROOT / name).read_text(encoding="utf-8")) or {}
        frozen |= {normalised(case["text"]) for case in data.get("cases") or []}
    for path in args.files:
        print(f"{path}: {decontaminate(path, frozen)} taken out")


if __name__ == "__main__":
    main()
