"""Round 24 of the English detector (session 30): a sign denied for earlier and then said to be
there now without its word again ("not before, now yes"), the patient's own action as the whole
condition ("when I press it, ..."), questions whether a sign ALWAYS means something, and the
Spanish "ni" in a short message read in English too; each beside the message that must keep its
level. The kinds come from the blind development sets of round 24 (tests/dev_round24/); the
sentences are written for these tests (never copied from a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # not before, now yes: a bare yes, or a pronoun for the sign
    ("no fever last night. now there is", "doctor"),
    ("the spot wasn't red at lunch, it is now", "doctor"),
    ("she had no rash this morning but today she does", "doctor"),
    ("no swelling on day one, now I have it too", "doctor"),
    ("the site wasn't red last night, today yup", "doctor"),
    ("no tightness in my chest before the injection, now there is", "emergency"),
    ("no welts at first, now they're everywhere on her arms and she's wheezing", "emergency"),
    # ... and their look-alikes: still none, gone, or something else there now
    ("no fever last night, and now there is none either", None),
    ("no fever yesterday and still no fever today", None),
    ("there was no swelling, now there is a little bruise", None),
    ("no welts at first, now they're gone anyway", None),
    # the patient's own action as the whole condition: what happens each time is a report
    ("when I squeeze the spot yellow stuff oozes out, is that normal?", "doctor"),
    ("if I push on it fluid leaks out of the needle hole", "doctor"),
    ("when I climb the stairs I can't get enough air, is that normal?", "emergency"),
    # ... and the what-ifs in the same words: the sign inside the condition, or asked
    ("if I push on it and fluid leaks out, should I call?", None),
    ("if I wake up with a fever, do I call you?", None),
    ("when I breathe in, is a sharp chest pain normal?", None),
    ("if I squeeze it, will pus come out?", None),
    # whether a sign always means something, asked in general; the patient's own still counts
    ("is a fever always a sign of infection?", None),
    ("does redness around the spot always mean an infection?", None),
    ("I have a fever, does that always mean infection?", "doctor"),
    # the Spanish "ni" of a short message, read in English too
    ("ni fiebre ni pus", None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round24_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
