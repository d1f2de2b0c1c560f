"""Round 12 of the English detector (session 14): questions that the twelfth blind development set
(tests/dev_round12/, 360 topic questions) showed escalating, by kind, each beside the report that
must still escalate. The sentences are written for these tests (never copied from a development
or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # a quantity of medicines for "blood pressure" or "blood sugar" is no quantity of blood ...
    ("I take loads of tablets for my blood pressure, do I stop them first?", None),
    ("my husband is on a lot of blood thinners, does he need to pause them?", None),
    ("so much blood sugar fuss with the steroid, is it worth it?", None),
    # ... while a quantity of blood still is, blood clots and blood thinners named or not
    ("there are loads of blood clots coming out of the site", "emergency"),
    ("so much blood is running down my arm from the shot", "emergency"),
    ("a lot of blood, and I'm on blood thinners", "emergency"),
    # the Spanish word for the injection is no slip of "infection" ...
    ("esta inyeccion, does it hurt much?", None),
    # ... but an infection told in English or Spanish still is one
    ("my inyeccion site is hot and there's pus, I think it is an infección", "doctor"),
    # "after one of these" points at the injections, not at a sign in front of the patient ...
    ("if somebody got a fever after one of these what should they do", None),
    ("if I get chest pain after one of those, is it 911?", None),
    # ... and reports told with it still escalate
    ("after one of these shots I can't breathe properly", "emergency"),
    ("I got a fever after one of these and it's still 39", "doctor"),
    # a complication someone read or heard of as a risk is a risk question ...
    ("my neighbour read that a collapsed lung is a rare complication risk of these shots", None),
    ("I heard nerve damage is a small risk with these, how small?", None),
    # ... not when it is the patient's own
    ("I was told my collapsed lung is a risk now and I can't breathe", "emergency"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round12_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
