"""A risk question that names the patient's own body part (session 19, our own sentences of a
kind found by writing collapsed-lung questions in many shapes): "what are the chances my lung
collapses?" asks what may happen; a symptom named, or told as there or already happened, is
still a report."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    ("what are the chances my lung collapses from these shots", None),
    ("what are the chances of my lung collapsing?", None),
    ("whats the risk my face droops after the botox ones", None),
    ("what are the odds that my heart races with the lidocaine?", None),
    ("whats the chance my throat closes up from the numbing", None),
    # a symptom named is there; a sign told in the present or the past has happened
    ("whats the chance my chest pain means a collapsed lung", "emergency"),
    ("what's the chance my chest pain is from the needle", "emergency"),
    ("what are the chances my lung is collapsed right now", "emergency"),
    ("is there a chance my lung collapsed?", "emergency"),
    ("what are the chances my arm is infected", "doctor"),
    ("whats the chance my chest pains mean something bad", "emergency"),
    ("it's odd that my face droops like this", "emergency"),
    # how many people a complication happens to ("THE collapsed lung" is no one's in particular)
    ("how many people end up with the collapsed lung thing", None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_risk_frames(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
