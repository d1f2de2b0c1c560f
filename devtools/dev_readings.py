"""Did a change to the safety rules move any development message, and which way? Rules only.

    python -m devtools.dev_readings save FILE          # this checkout's rules, every message
    python -m devtools.dev_readings compare OLD NEW [--show]
    python -m devtools.dev_readings wrong FILE [PART]      # escalations against the label
    python -m devtools.dev_readings trace [--es] [--cues] TEXT...  # why the rules read a message so
    python -m devtools.dev_readings versus CHECKOUT FILE [--es] [--all]  # what a change moved

`save` runs the deterministic detector of this checkout (no model, no judge) on every labelled
development and regression message (the blind development rounds in tests/dev_*round*/, the
judges' corpora, the detector's own cases and labelled sets) and on every NLU training example
(unlabelled: a question), and writes each message's level with its label. Run it in a git
worktree of the commit before a change and in this checkout; `compare` then counts the messages
whose escalation changed: GOOD when the new level is nearer the label, BAD when it is further;
`--show` prints them. `wrong` lists the messages whose escalation differs from their label
(false alarms and misses) in the files whose name contains PART. `trace` prints each finding of a
message: the sign, its words, its level and the context rule that decided it.

`versus` reads the messages of FILE (one per line; blank lines and lines opening with "#" are
skipped) with this checkout's rules and with those of CHECKOUT (a git worktree of an older commit,
through its own `trace`), and prints each message whose level differs: LOWER when this checkout
escalates it less (a report silenced, if it is one), HIGHER when more. It is the harness of the
adversarial review every rules round gets: a reviewer writes reports and questions in the round's
shapes, and every LOWER report is a safety regression to mend before the round lands.

Why: every rule change is judged on all of these at once (a kind fixed in one round must not
break another round's report), and a rule that moves a report away from its label is a safety
regression whatever else it gains. The frozen sets are never read here
(`devtools.frozen_readings` compares them by counts only).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
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


def levels(texts: list[str], language: str) -> list[str]:
    """This checkout's level of each text."""
    from safety.language import detector_for

    detector = detector_for(language)
    return [detector.assess(text).level for text in texts]


def levels_in(checkout: Path, texts: list[str], language: str) -> list[str]:
    """The level of each text under another checkout's rules, read from its `trace` (which
    every commit since the round-30 tools has), run with this interpreter."""
    command = [sys.executable, "-m", "devtools.dev_readings", "trace",
               *(["--es"] if language == "es" else []), *texts]
    out = subprocess.run(command, cwd=checkout, env={**os.environ, "PYTHONPATH": str(checkout)},
                         capture_output=True, text=True, check=True).stdout
    found = [line.split(None, 1)[0] for line in out.splitlines()
             if line and not line.startswith(" ")]
    if len(found) != len(texts):
        raise SystemExit(f"{checkout}: {len(found)} levels read for {len(texts)} messages")
    return found


def versus(checkout: Path, file: Path, language: str, show_all: bool = False) -> Counter:
    texts = [line.strip() for line in file.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    with ThreadPoolExecutor(1) as other:  # the other checkout reads while this one does
        theirs = other.submit(levels_in, checkout, texts, language)
        ours = levels(texts, language)
        theirs = theirs.result()
    moved = Counter()
    for text, was, now in zip(texts, theirs, ours, strict=True):
        change = ("LOWER" if RANK.get(now, 0) < RANK.get(was, 0) else
                  "HIGHER" if RANK.get(now, 0) > RANK.get(was, 0) else
                  "same" if now == was else "same escalation")
        moved[change] += 1
        if change != "same" or show_all:
            print(f"{change:15} {was!s:>9} -> {now!s:9} {text!r}")  # a level may be None
    print(f"{len(texts)} messages: LOWER {moved['LOWER']}, HIGHER {moved['HIGHER']}, "
          f"same escalation {moved['same escalation']}, unchanged {moved['same']}")
    return moved


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
    against = commands.add_parser("versus")
    against.add_argument("checkout", type=Path, help="a worktree of the commit to compare with")
    against.add_argument("file", type=Path, help="messages, one per line")
    against.add_argument("--es", action="store_true", help="the Spanish detector")
    against.add_argument("--all", action="store_true", help="also print unchanged messages")
    args = parser.parse_args()
    if args.command == "versus":
        versus(args.checkout, args.file, "es" if args.es else "en", args.all)
        return
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
