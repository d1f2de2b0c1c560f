"""The safety layer meets its bar on the independent labelled evaluation set."""

from collections import Counter

import pytest

from rasa_components.safety_turn import assess_turn
from scripts.eval_safety import evaluate, load_cases, metrics, report

CASES = load_cases()


def test_the_set_is_large_and_mixed():
    levels = Counter(c.level for c in CASES)
    assert levels["emergency"] >= 100 and levels["doctor"] >= 150 and levels["none"] >= 100
    kinds = {c.kind for c in CASES}
    assert {"negation", "question", "typo", "minimal_pair", "other_person",
            "history_recent", "history_before", "embedded_faq", "temperature"} <= kinds


def check(results, title):
    m = metrics(results)
    print(report(results, title))
    assert m["emergency"]["recall"] == 1.0
    assert m["doctor"]["recall"] >= 0.98
    assert m["none"]["false_escalation_rate"] <= 0.05


def test_detector_alone_meets_the_bar():
    from safety import WarningSignDetector

    detector = WarningSignDetector()
    check(evaluate(CASES, lambda t: _label(detector.assess(t).level)), "detector alone")


@pytest.mark.usefixtures("agent")
def test_full_nlu_pipeline_meets_the_bar(parse):
    check(evaluate(CASES, lambda t: _label(assess_turn(parse(t)).level)), "model + detector")


def _label(level):
    return level if level in ("emergency", "doctor") else "none"
