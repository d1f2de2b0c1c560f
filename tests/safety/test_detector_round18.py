"""Round 18 of the English detector (session 24): kinds that the nineteenth blind development
set (tests/dev_round19/, questions that use warning-sign words and report none) and the
reviewers' reports showed, each beside the message that must keep its level. The sentences are
written for these tests (never copied from a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # a worry about fainting is no faint; "about to faint" still is one
    ("I'm anxious about passing out on the table, can I lie down?", None),
    ("I feel like I'm about to pass out after the shot", "emergency"),
    # what the patient does not want to happen, or what is done to prevent it
    ("what do I do after? don't want the spot to get infected", None),
    ("I don't want any bruising, should I stop fish oil?", None),
    ("do they use a plaster to prevent infection?", None),
    ("I don't want to make a fuss but my lips are swelling", "emergency"),
    # a worry about a short list of things
    ("terrified of the needle and fainting, any tips?", None),
    ("scared of the shot and I fainted in the car park just now", "emergency"),
    # "or anything like that" is not the patient's own "like that"
    ("can these give you a rash or anything like that?", None),
    # "isn't usually THIS big" says it is now
    ("the lump doesn't usually get this big, right?", "doctor"),
    ("the bruise is not that big", None),
    # a complication named on its own, then asked about
    ("pneumothorax?? seriously? how common", None),
    ("pneumothorax?? i think i have one, how common", "emergency"),
    ("lung puncture from these, likely or not?", None),
    ("how bad is that side effect where the throat swells up?", None),
    # the perfect tense of something long ago, a tendency, a reaction to needles in general
    ("my mother has had a seizure in the past, is that a problem for the shots?", None),
    ("I have had seizures in the past and I'm shaking all over right now", "emergency"),
    ("I get faint at the dentist, is lying down possible?", None),
    ("I go woozy around needles, tell the nurse?", None),
    ("I feel sick and woozy since the shot", "doctor"),
    # the medicine going in is not blood spurting; "achiness" is soreness
    ("so the steroid is pumped into the knot?", None),
    ("blood is squirting out of the injection hole", "emergency"),
    ("how long does the achiness last after the shots?", None),
    # what the reviewers' reports showed the first version of these rules silencing
    ("i think i'm going to totally faint", "emergency"),
    ("the plaster is pumping blood everywhere", "emergency"),
    ("I have had a seizure in the past and I'm twitching all over now", "emergency"),
    ("I don't want it to swell more, it's huge and hot already", "doctor"),
    ("collapsed lung?? urgent care told me so. how common is that", "emergency"),
    ("the worst bit is when I breathe in, a sharp stab in my chest", "emergency"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round18_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
