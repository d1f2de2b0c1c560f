"""Round 5 of the English detector (session 9): the kinds a fifth blind development set
(tests/dev_round5/) found, each look-alike beside the report that must still escalate. The
sentences are written for these tests (never copied from a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # the injection still to come: the symptoms are the condition being treated
    ("the knots in my shoulder ache all day, my first injection is tomorrow", None),
    ("my neck has been stiff and sore for months, referred for trigger points next month", None),
    ("my lower back throbs every evening, hoping the injection helps", None),
    ("my arm has been numb since the injection yesterday, my next one is next week", "doctor"),
    # shock at something said or done, not a heart attack or a stroke
    ("I nearly had a heart attack when the nurse said my slot was gone", None),
    ("I almost had a stroke trying to fill in your online form", None),
    ("I nearly fainted when I stood up after the injection", "emergency"),
    # money, music, eagerness and regret
    ("I was feverishly checking my phone for the results", None),
    ("my wallet is bleeding from all the parking fees", None),
    ("that hold music makes my ears bleed", None),
    ("my ear is bleeding since the shot in my neck", "doctor"),
    ("this insurance company makes me sick", None),
    ("the injection makes me sick to my stomach", "doctor"),
    ("I feel sick about missing my appointment", None),
    ("I feel sick since the injection", "doctor"),
    # the weather's degrees
    ("it was a 40 degree day and the car was an oven", None),
    ("I'm running 40 degrees since the shot", "doctor"),
    # lay words the vocabulary lacked
    ("my throat feels like its shrinking, had the shots 15 mins ago", "emergency"),
    ("cuff up blood twice since the injection", "emergency"),
    ("I've had a cold and now a rusty red colour is coming up when I cough", "emergency"),
    ("pain is way up since yesterday's injection", "doctor"),
    ("the spot throbs all day and it's stronger today", "doctor"),
    ("the pain is way down today, much better", None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round5_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
