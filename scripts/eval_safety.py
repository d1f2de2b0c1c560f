"""Measure the safety layer on the labelled sets (tests/safety/eval_set.yml, validation_set.yml).

Usage: python -m scripts.eval_safety [--full]
  default  the deterministic detector alone (no model needed)
  --full   what a patient gets: the trained model's NLU + detector + report_symptom catch-all

Prints recall and precision per level and lists every miss. A case counts as caught when the
predicted level is at least the labelled one (sending a doctor-level case to emergency is safe
over-triage); emergency recall is strict.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EVAL_SET = ROOT / "tests" / "safety" / "eval_set.yml"
VALIDATION_SET = ROOT / "tests" / "safety" / "validation_set.yml"
LABELLED_SETS = (EVAL_SET, VALIDATION_SET)
RANK = {"none": 0, "doctor": 1, "emergency": 2}


@dataclass
class Case:
    text: str
    level: str
    kind: str
    note: str = ""


@dataclass
class Result:
    case: Case
    predicted: str

    @property
    def under_triaged(self) -> bool:
        return RANK[self.predicted] < RANK[self.case.level]

    @property
    def false_escalation(self) -> bool:
        return self.case.level == "none" and self.predicted != "none"


def load_cases(path: Path = EVAL_SET) -> list[Case]:
    return [Case(**c) for c in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]]


def as_label(level: str | None) -> str:
    return level if level in ("emergency", "doctor") else "none"


def detector_levels() -> Callable[[str], str]:
    from safety import WarningSignDetector

    detector = WarningSignDetector()
    return lambda text: as_label(detector.assess(text).level)


def full_levels(model: Path = ROOT / "models" / "current.tar.gz") -> Callable[[str], str]:
    from rasa.core.agent import Agent

    from rasa_components.safety_turn import assess_turn

    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    def level_of(text: str) -> str:
        return as_label(assess_turn(loop.run_until_complete(agent.parse_message(text))).level)

    return level_of


def evaluate(cases: Iterable[Case], level_of: Callable[[str], str]) -> list[Result]:
    return [Result(case, level_of(case.text)) for case in cases]


def metrics(results: list[Result]) -> dict[str, dict[str, float]]:
    out = {}
    for level in ("emergency", "doctor", "none"):
        labelled = [r for r in results if r.case.level == level]
        predicted = [r for r in results if r.predicted == level]
        if level == "emergency":
            caught = [r for r in labelled if r.predicted == "emergency"]
        elif level == "doctor":
            caught = [r for r in labelled if not r.under_triaged]
        else:
            caught = [r for r in labelled if r.predicted == "none"]
        out[level] = {
            "cases": len(labelled),
            "recall": len(caught) / len(labelled) if labelled else 1.0,
            "precision": (sum(r.case.level == level for r in predicted) / len(predicted)
                          if predicted else 1.0),
        }
    none_cases = [r for r in results if r.case.level == "none"]
    out["none"]["false_escalation_rate"] = (
        sum(r.false_escalation for r in none_cases) / len(none_cases) if none_cases else 0.0
    )
    return out


def report(results: list[Result], title: str) -> str:
    m = metrics(results)
    lines = [f"## {title}: {len(results)} cases", "",
             "| level | cases | recall | precision |", "| --- | --- | --- | --- |"]
    for level in ("emergency", "doctor", "none"):
        lines.append(f"| {level} | {m[level]['cases']} | {m[level]['recall']:.3f} "
                     f"| {m[level]['precision']:.3f} |")
    lines.append(f"\nfalse escalations on the no-escalation part: "
                 f"{m['none']['false_escalation_rate']:.3f}")
    misses = [r for r in results if r.under_triaged]
    false_alarms = [r for r in results if r.false_escalation]
    lines.append(f"\nunder-triaged ({len(misses)}):")
    lines += [f"  {r.case.level:>9} -> {r.predicted:<9} [{r.case.kind}] {r.case.text}"
              for r in misses]
    lines.append(f"\nfalse escalations ({len(false_alarms)}):")
    lines += [f"  none -> {r.predicted:<9} [{r.case.kind}] {r.case.text}" for r in false_alarms]
    by_kind = Counter(r.case.kind for r in misses + false_alarms)
    if by_kind:
        lines.append("\nerrors by kind: " + ", ".join(f"{k} {n}" for k, n in by_kind.most_common()))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="also evaluate model + detector")
    args = parser.parse_args()
    detector = detector_levels()
    full = full_levels() if args.full else None
    for path in LABELLED_SETS:
        cases = load_cases(path)
        print(report(evaluate(cases, detector), f"{path.name}, detector alone"), end="\n\n")
        if full:
            print(report(evaluate(cases, full), f"{path.name}, model + detector"), end="\n\n")


if __name__ == "__main__":
    main()
