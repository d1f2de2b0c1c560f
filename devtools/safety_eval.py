"""The safety layer's labelled sets (tests/safety/eval_set.yml, validation_set.yml) and how a
level function is measured on them: recall and precision per level, the false-escalation rate on
the no-escalation part, and a report listing every miss. Used by `make eval-safety`
(scripts/eval_safety.py) and tests/safety/test_eval_set.py.

A case counts as caught when the predicted level is at least the labelled one (sending a
doctor-level case to emergency is safe over-triage); emergency recall is strict.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml_io
from safety.levels import DOCTOR, EMERGENCY, ESCALATING

ROOT = Path(__file__).resolve().parent.parent
EVAL_SET = ROOT / "tests" / "safety" / "eval_set.yml"
VALIDATION_SET = ROOT / "tests" / "safety" / "validation_set.yml"
LABELLED_SETS = (EVAL_SET, VALIDATION_SET)
NONE = "none"  # the sets' label for a message that needs no escalation
LABELS = (EMERGENCY, DOCTOR, NONE)
RANK = {NONE: 0, DOCTOR: 1, EMERGENCY: 2}


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
        return self.case.level == NONE and self.predicted != NONE


def load_cases(path: Path = EVAL_SET) -> list[Case]:
    return [Case(**c) for c in yaml_io.load(path.read_text(encoding="utf-8"))["cases"]]


def as_label(level: str | None) -> str:
    return level if level in ESCALATING else NONE


def evaluate(cases: Iterable[Case], level_of: Callable[[str], str]) -> list[Result]:
    return [Result(case, level_of(case.text)) for case in cases]


def metrics(results: list[Result]) -> dict[str, dict[str, float]]:
    out = {}
    for level in LABELS:
        labelled = [r for r in results if r.case.level == level]
        predicted = [r for r in results if r.predicted == level]
        if level == EMERGENCY:
            caught = [r for r in labelled if r.predicted == EMERGENCY]
        elif level == DOCTOR:
            caught = [r for r in labelled if not r.under_triaged]
        else:
            caught = [r for r in labelled if r.predicted == NONE]
        out[level] = {
            "cases": len(labelled),
            "recall": len(caught) / len(labelled) if labelled else 1.0,
            "precision": (sum(r.case.level == level for r in predicted) / len(predicted)
                          if predicted else 1.0),
        }
    none_cases = [r for r in results if r.case.level == NONE]
    out[NONE]["false_escalation_rate"] = (
        sum(r.false_escalation for r in none_cases) / len(none_cases) if none_cases else 0.0
    )
    return out


def report(results: list[Result], title: str) -> str:
    m = metrics(results)
    lines = [f"## {title}: {len(results)} cases", "",
             "| level | cases | recall | precision |", "| --- | --- | --- | --- |"]
    for level in LABELS:
        lines.append(f"| {level} | {m[level]['cases']} | {m[level]['recall']:.3f} "
                     f"| {m[level]['precision']:.3f} |")
    lines.append(f"\nfalse escalations on the no-escalation part: "
                 f"{m[NONE]['false_escalation_rate']:.3f}")
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
