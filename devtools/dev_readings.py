"""Did a change to the safety rules move any development message, and which way? Rules only.

    python -m devtools.dev_readings save FILE          # this checkout's rules, every message
    python -m devtools.dev_readings compare OLD NEW [--show]
    python -m devtools.dev_readings wrong FILE [PART]      # escalations against the label
    python -m devtools.dev_readings trace [--es] [--cues] TEXT...  # why the rules read a message so

`save` runs the deterministic detector of this checkout (no model, no judge) on every labelled
development and regression message (the blind development rounds in tests/dev_*round*/, the
judges' corpora, the detector's own cases and labelled sets) and on every NLU training example
(unlabelled: a question), and writes each message's level with its label. Run it in a git
worktree of the commit before a change and in this checkout; `compare` then counts the messages
whose escalation changed: GOOD when the new level is nearer the label, BAD when it is further;
`--show` prints them. `wrong` lists the messages whose escalation differs from their label
(false alarms and misses) in the files whose name contains PART. `trace` prints each finding of a
message: the sign, its words, its level and the context rule that decided it.

Why: every rule change is judged on all of these at once (a kind fixed in one round must not
break another round's report), and a rule that moves a report away from its label is a safety
regression whatever else it gains. The frozen sets are never read here
(`devtools.frozen_readings` compares them by counts only).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import yaml_io
from devtools.nlu_data import examples
from devtools.servers import ROOT

RANK = {"doctor": 1, "emergency": 2}  # anything else escalates nothing
LABELLED = [
    *sorted(ROOT.glob("tests/dev_*round*/*.yml")),
    *sorted(ROOT.glob("safety/dev_sets/*.yml")),
    *sorted(ROOT.glob("safety/corpus*/*.yml")),
    ROOT / "safety" / "dev_cases.yml",
    *sorted(ROOT.glob("tests/safety/*.yml")),
]


def _language(path: Path, header: dict) -> str:
    if header.get("language") in ("en", "es"):
        return header["language"]
    parts = path.relative_to(ROOT).parts
    return "es" if any(p == "es" or "_es" in p for p in parts) else "en"


def messages() -> list[tuple[str, str, str, str | None]]:
    """(key, language, text, label) for every message; label None for NLU examples."""
    out = []
    for path in LABELLED:
        data = yaml_io.load(path.read_text(encoding="utf-8")) or {}
        language = _language(path, data)
        name = str(path.relative_to(ROOT))
        for index, case in enumerate(data.get("cases") or data.get("messages") or []):
            # topic questions and follow-up conversations: every turn is a question
            label = case.get("level", "none") if "topic" not in case else "none"
            for turn, text in enumerate(case.get("turns") or [case.get("text")]):
                if text:
                    out.append((f"{name}|{index}|{turn}", language, text, label))
    for path in sorted((ROOT / "data" / "nlu").rglob("*.yml")):
        language = _language(path, {})
        name = str(path.relative_to(ROOT))
        for index, (intent, text) in enumerate(examples(path)):
            out.append((f"{name}|{index}|{intent}", language, text, None))
    return out


def readings() -> dict[str, dict]:
    from safety.language import detector_for

    detectors = {language: detector_for(language) for language in ("en", "es")}
    return {
        key: {"lang": language, "text": text, "label": label,
              "level": detectors[language].assess(text).level}
        for key, language, text, label in messages()
    }


def _direction(label: str | None, was: str, now: str) -> str:
    if label is None:
        return "unlabelled"
    wanted = RANK.get(label, 0)
    return "GOOD" if abs(RANK.get(now, 0) - wanted) < abs(RANK.get(was, 0) - wanted) else "BAD"


def compare(old: dict[str, dict], new: dict[str, dict], show: bool) -> None:
    counts: Counter = Counter()
    shown = []
    common = old.keys() & new.keys()
    for key in sorted(common):
        was, now = old[key]["level"], new[key]["level"]
        if RANK.get(was, 0) == RANK.get(now, 0):
            continue
        direction = _direction(new[key]["label"], was, now)
        counts[(new[key]["lang"], direction)] += 1
        shown.append(f"{direction:10} {key.split('|')[0]}  {new[key]['label']}: {was} -> {now}"
                     f"  {new[key]['text']!r}")
    for language in ("en", "es"):
        total = sum(1 for key in common if new[key]["lang"] == language)
        parts = ", ".join(f"{d} {counts[(language, d)]}" for d in ("GOOD", "BAD", "unlabelled"))
        print(f"{language}: {sum(counts[(language, d)] for d in ('GOOD', 'BAD', 'unlabelled'))}"
              f" of {total} changed escalation ({parts})")
    if len(common) != len(old) or len(common) != len(new):
        print(f"messages only in one file: {len(old.keys() ^ new.keys())} (not compared)")
    if show:
        print("\n".join(shown))


def wrong(data: dict[str, dict], part: str) -> None:
    found = Counter()
    for key, item in data.items():
        name = key.split("|")[0]
        if item["label"] is None or part not in name:
            continue
        want, got = RANK.get(item["label"], 0), RANK.get(item["level"], 0)
        if want != got:
            kind = "false alarm" if want == 0 else "missed" if got < want else "over"
            found[(name, kind)] += 1
            print(f"{kind:11} {name}  {item['label']} -> {item['level']}  {item['text']!r}")
    for (name, kind), count in sorted(found.items()):
        print(f"  {count:4}  {kind:11} {name}")


def trace(texts: list[str], language: str, cues: bool = False) -> None:
    from safety.language import detector_for

    detector = detector_for(language)
    for text in texts:
        assessment = detector.assess(text)
        print(f"{assessment.level}  {text!r}")
        for f in assessment.findings:
            print(f"    {f.sign:22} {f.text!r:28} {f.sign_level:>9} -> {f.level}  ({f.rule})")
        if cues:  # the context cues the rules read, by category (the detector's steps 1 and 2)
            _, tokens = detector._normalise(text)
            for category, hits in sorted(detector.matcher.match(tokens).cues.items()):
                said = [" ".join(t.lower for t in tokens[h.start:h.end]) for h in hits]
                print(f"      cue {category}: {said}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("save").add_argument("file", type=Path)
    pair = commands.add_parser("compare")
    pair.add_argument("old", type=Path)
    pair.add_argument("new", type=Path)
    pair.add_argument("--show", action="store_true", help="print every changed message")
    listing = commands.add_parser("wrong")
    listing.add_argument("file", type=Path)
    listing.add_argument("part", nargs="?", default="")
    traced = commands.add_parser("trace")
    traced.add_argument("--es", action="store_true", help="the Spanish detector")
    traced.add_argument("--cues", action="store_true", help="also the context cues found")
    traced.add_argument("texts", nargs="+")
    args = parser.parse_args()
    if args.command == "save":
        data = readings()
        args.file.write_text(json.dumps(data), encoding="utf-8")
        print(f"{len(data)} messages read into {args.file}")
        return
    if args.command == "trace":
        trace(args.texts, "es" if args.es else "en", args.cues)
        return
    if args.command == "wrong":
        wrong(json.loads(args.file.read_text(encoding="utf-8")), args.part)
        return
    compare(json.loads(args.old.read_text(encoding="utf-8")),
            json.loads(args.new.read_text(encoding="utf-8")), args.show)


if __name__ == "__main__":
    main()
