"""Round 25 of the English detector (session 31): questions the rules escalated on a blind
development set of questions (tests/dev_round26/): a one-off reaction told with "once" at the end
of its clause, a question about what the injection feels like followed by "how does it feel", the
site named as "where they injected" before "be a red flag", "why" questions without a question
mark, what a trigger point is like, the treated condition that "seems to start", and
inflammation as what a medicine treats; each beside the report that must keep its level. The
sentences are written for these tests (never copied from a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # a one-off long before, told by "once" ending its clause
    ("got hives from amoxicillin once, should I mention that before the shots?", None),
    ("my dad had an allergic reaction to iodine once, is that a problem for him?", None),
    # ... and a sign back now, or told for now, still escalates
    ("I had a reaction to the shot once, today too", "emergency"),
    ("I once broke out in hives after a shot, and now again", "emergency"),
    ("had an allergic reaction once, now my lips are swelling", "emergency"),
    ("I had a fever once, is it back? it's 102 today", "doctor"),
    # what the injection feels like, then "how does it feel"
    ("sharp pain or only pressure during the injection? how does it feel", None),
    ("a sharp pain during the injection? how does it feel?", None),
    # ... but a report beside it still escalates
    ("sharp pain during the shot? how does it feel now, it is killing me", "doctor"),
    ("sharp pain during the shots? why does it still hurt?", "doctor"),
    # the site named as "where they injected" in a question
    ("could heat or burning around where they injected be a warning sign?", None),
    # ... and a relative's report in the same words
    ("my wife is swollen and red around where they injected", "doctor"),
    # a "why" question without its question mark is a question, as with it
    ("why are knots so sore when you push on them", None),
    ("why is my chest so tight", "emergency"),
    # what a trigger point or knot is like, asked with a sign word
    ("is a trigger point basically a lump in the muscle?", None),
    ("is a trigger point like a lump in my neck? it's red and hot", "doctor"),
    # the treated condition told as what "seems to start" (not a time of now)
    ("my migraines seem to start in my tight shoulders, could these shots be for that?", None),
    ("my headache started right after the shot, could another one help?", "doctor"),
    # inflammation as what a medicine treats
    ("does the steroid in the shot calm the inflammation?", None),
    ("is there anything for inflammation in the injection?", None),
    ("I need something for the inflammation", "doctor"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round25_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
