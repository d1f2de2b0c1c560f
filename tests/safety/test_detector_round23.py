"""Round 23 of the English detector (session 28): emergencies in lay words (breathing,
collapse, heavy bleeding without the word blood) from the blind development set of round 23
(tests/dev_round23/) and round 20's leftovers, and the effects over within their window that the
rules had escalated, each beside the message that must keep its level. The sentences are
written for these tests (never copied from a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # breathing, collapse and heavy bleeding in lay words, beside their look-alikes
    ("since the shot my breathing, it's shallow and ragged", "emergency"),
    ("I have to stop every few steps for air since the injection", "emergency"),
    ("my dad is really hard to wake since his injections", "emergency"),
    ("I find it really hard to wake up in the mornings, can I book a late slot?", None),
    ("she slid off the chair after her shots and isn't answering", "emergency"),
    ("my son slid off the sofa laughing at the cartoon", None),
    ("her legs won't hold her since the injection", "emergency"),
    ("is it normal to faint after the shots? because I did, twice", "emergency"),
    ("the gauze keeps filling up, I've changed it three times", "emergency"),
    ("the tap in the kitchen is dripping onto the floor again", None),
    ("it's leaking through my fingers where they injected my neck", "emergency"),
    ("a puddle of water under the fridge, can I reschedule?", None),
    # an expected effect over within its window; look-alikes of a new symptom or a stroke
    ("quick q unrelated to the shots: do you take Aetna?", None),
    # (its review: look-alikes of these were taken back because real reports share their words)
    ("felt a little spacey and light-headed and it has not stopped for 5 hours", "emergency"),
    ("my neck was numb on one side for 20 minutes, now I can't move my fingers", "emergency"),
    ("my face is numb on one side and my arm is weak", "emergency"),
    ("the pain flared when the numbing wore off and now it's the worst it's ever been",
     "doctor"),
    ("numb for 20 minutes at a time, on and off for 3 days, and a bruise", "doctor"),
    ("is chest pain normal after these? I have it now and my appointment is tomorrow",
     "emergency"),
    # a story retold, then the writer's own injections still planned
    (
        "my friend said her cousin got a collapsed lung from these. is that true? "
        "I'm supposed to get mine next week",
        None,
    ),
    ("what fever temperature should make me call?", None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round23_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
