"""Measure the safety layer on the labelled sets (tests/safety/eval_set.yml, validation_set.yml).

Usage: python -m scripts.eval_safety [--full]
  default  the deterministic detector alone (no model needed)
  --full   what a patient gets: the trained model's NLU + detector + report_symptom catch-all

Prints recall and precision per level and lists every miss. A case counts as caught when the
predicted level is at least the labelled one (sending a doctor-level case to emergency is safe
over-triage); emergency recall is strict. The sets and the figures: devtools/safety_eval.py.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from pathlib import Path

from devtools.safety_eval import LABELLED_SETS, as_label, evaluate, load_cases, report
from devtools.servers import MODEL


def detector_levels() -> Callable[[str], str]:
    from safety import WarningSignDetector

    detector = WarningSignDetector()
    return lambda text: as_label(detector.assess(text).level)


def full_levels(model: Path = MODEL) -> Callable[[str], str]:
    from rasa.core.agent import Agent

    from safety.turn import assess_turn

    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    def level_of(text: str) -> str:
        return as_label(assess_turn(loop.run_until_complete(agent.parse_message(text))).level)

    return level_of


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
