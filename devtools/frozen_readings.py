"""Did a change to the safety rules move any frozen message? Counts only, never the text.

    python -m devtools.frozen_readings save FILE      # this checkout's rules, every frozen turn
    python -m devtools.frozen_readings compare OLD NEW

`save` runs the deterministic detector of this checkout (no model, no judge) on every turn of the
frozen sets (tests/frozen/, English and Spanish) and writes each turn's level and rules, keyed by
the case's position. `compare` prints how many turns changed level, grouped by language, the
case's kind, category and expected level, and the old and new level. Run `save` in a checkout
of the commit before the change (a git worktree) and in this one, then `compare`.

Why: in session 18 two development sets and a 415-sentence review did not show that a Spanish
rule silenced a frozen emergency; this comparison did, with no text printed. It is a
measurement of the frozen sets like `python -m evaluation`: report it when you use it.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from evaluation.frozen import FROZEN, load_cases

RANK = {"doctor": 1, "emergency": 2}  # anything else escalates nothing


def readings() -> dict[str, dict]:
    from safety.language import detector_for

    out: dict[str, dict] = {}
    for language, folder in (("en", FROZEN), ("es", FROZEN / "es")):
        detector = detector_for(language)
        for index, case in enumerate(load_cases(folder)):
            assessments = [detector.assess(turn) for turn in case.turns]
            out[f"{language}|{index}"] = {
                "levels": [a.level for a in assessments],
                "rules": [[f.rule for f in a.findings] for a in assessments],
                "group": [language, case.kind, case.category, case.expect],
            }
    return out


def compare(old: dict[str, dict], new: dict[str, dict]) -> Counter:
    changed: Counter = Counter()
    for key, before in old.items():
        after = new[key]
        for was, now in zip(before["levels"], after["levels"], strict=True):
            if RANK.get(was, 0) != RANK.get(now, 0):
                changed[(*before["group"], f"{was} -> {now}")] += 1
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("save").add_argument("file", type=Path)
    pair = commands.add_parser("compare")
    pair.add_argument("old", type=Path)
    pair.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "save":
        data = readings()
        args.file.write_text(json.dumps(data), encoding="utf-8")
        print(f"{len(data)} frozen cases read into {args.file}")
        return
    changed = compare(json.loads(args.old.read_text(encoding="utf-8")),
                      json.loads(args.new.read_text(encoding="utf-8")))
    print(f"turns whose escalation changed: {sum(changed.values())}")
    for group, count in sorted(changed.items()):
        print(f"  {count}  " + "  ".join(str(part) for part in group))


if __name__ == "__main__":
    main()
