"""Measure the Spanish warning-sign detector on a labelled YAML set (development only).

    python -m safety.es_eval [path] [--misses]

The set's format: `cases:` with `text`, `level` (emergency | doctor | none | hypothetical) and
`kind`. Prints emergency recall (strict), doctor recall (doctor or emergency), false escalations
(a `none` case sent to doctor or emergency), what-ifs answered as questions (a `hypothetical`
case given level `info`, not escalating) and what-ifs escalated, overall and per kind; with
--misses, every miss. Default set: tests/dev_es_round1/safety.yml (the Spanish development set;
the frozen sets in tests/frozen/ are never used here).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml_io

from .levels import DOCTOR, EMERGENCY, ESCALATING, INFO

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT / "tests" / "dev_es_round1" / "safety.yml"


@dataclass
class Outcome:
    text: str
    label: str
    kind: str
    level: str | None

    @property
    def ok(self) -> bool:
        if self.label == EMERGENCY:
            return self.level == EMERGENCY
        if self.label == DOCTOR:
            return self.level in ESCALATING
        if self.label == "hypothetical":
            return self.level == INFO
        return self.level not in ESCALATING


def load(path: Path = DEV_SET) -> list[dict]:
    return yaml_io.load(Path(path).read_text(encoding="utf-8"))["cases"]


def run(path: Path = DEV_SET, detector=None) -> list[Outcome]:
    if detector is None:
        from .language import detector_for

        detector = detector_for("es")
    return [Outcome(c["text"], c["level"], c.get("kind", ""), detector.assess(c["text"]).level)
            for c in load(path)]


def figures(outcomes: list[Outcome]) -> dict[str, float]:
    def share(label: str, test) -> float:
        cases = [o for o in outcomes if o.label == label]
        return sum(test(o) for o in cases) / len(cases) if cases else 1.0

    return {
        "emergency_recall": share(EMERGENCY, lambda o: o.level == EMERGENCY),
        "doctor_recall": share(DOCTOR, lambda o: o.level in ESCALATING),
        "false_escalations": share("none", lambda o: o.level in ESCALATING),
        "what_ifs_as_questions": share("hypothetical", lambda o: o.level == INFO),
        "what_ifs_escalated": share("hypothetical", lambda o: o.level in ESCALATING),
    }


def report(outcomes: list[Outcome], misses: bool = False) -> str:
    lines = []
    for name, value in figures(outcomes).items():
        lines.append(f"{name:24s} {value:6.1%}")
    by_kind: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_kind[(o.label, o.kind)].append(o)
    lines.append("")
    lines.append(f"{'label':13s} {'kind':26s} {'ok':>7s}")
    for (label, kind), group in sorted(by_kind.items()):
        good = sum(o.ok for o in group)
        lines.append(f"{label:13s} {kind:26s} {good:3d}/{len(group):<3d}")
    if misses:
        lines.append("")
        for o in outcomes:
            if not o.ok:
                lines.append(f"MISS [{o.label}/{o.kind}] got {o.level}: {o.text}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEV_SET))
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    if "frozen" in Path(args.path).parts:
        raise SystemExit("the frozen sets are never used for development")
    print(report(run(Path(args.path)), args.misses))


if __name__ == "__main__":
    main()
