"""Round 6 of the English detector (session 10): the kinds a sixth blind development set
(tests/dev_round6/) found, each look-alike beside the report that must still escalate. The
sentences are written for these tests (never copied from a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # a collapse "out cold" in a place is not the weather's cold
    ("she passed out cold in the kitchen", "emergency"),
    ("it's freezing cold in the kitchen", None),
    # blood going down a limb, in simple words (rule 12)
    ("blood went down to my elbow from the spot", "emergency"),
    ("my blood sugar went down to 90", None),
    # a cough, then blood "in it" later in the sentence
    ("I keep coughing and this morning there was blood in it", "emergency"),
    # a comparison said of an earlier day inside an improving statement
    ("the first day it was more sore, now much better", None),
    ("today it is more sore than the first day", "doctor"),
    # long ago, counted in seasons
    ("I blacked out once three winters ago on a ski trip", None),
    ("three winters ago I had injections and today I blacked out", "emergency"),
    # "do ..." opens a question without "?"; "is that real" asks whether a complication exists
    ("do infections from these shots happen a lot", None),
    ("I do think the spot is infected", "doctor"),
    ("nerve damage from trigger point shots, is that real", None),
    ("my arm went numb and weak since the shot, is that normal", "doctor"),
    # figures of speech: tasks one chokes on, red-hot offers, loud music, arguing till blue
    ("I'm choking on emails this week", None),
    ("I'm choking on my food and can't swallow", "emergency"),
    ("anyone got a red hot offer on parking?", None),
    ("the spot is red hot", "doctor"),
    ("the karaoke next door was so loud it made my ears bleed", None),
    ("my ear is bleeding since the shot", "doctor"),
    ("argued with the insurer until I was blue in the face", None),
    ("his face went blue after the shot", "emergency"),
    ("there's bad blood with my ex", None),
    # the needle's own brief sting while it went in is the procedure, not a burning site
    ("it stung when the needle went in", None),
    ("the shot stung for a second", None),
    ("it still stings where the needle went in", "doctor"),
    ("the site stung for a second and now it burns all the time", "doctor"),
    # a named long-term illness explains only a doctor-level complaint it causes, never an
    # emergency sign nor one in the present tense (after a review)
    ("I have psoriasis and get a rash sometimes", None),
    ("I have asthma and get short of breath sometimes", "emergency"),
    ("my heart is racing from my anxiety", "emergency"),
    ("I'm bleeding a lot due to my bleeding disorder", "emergency"),
    ("I get short of breath sometimes", "emergency"),
    ("I have asthma but since the injection I can't catch my breath", "emergency"),
    ("my mom has dementia and is more confused than usual today", "emergency"),
    ("sometimes my chest hurts since yesterday", "emergency"),
    # a comparison is easing only when the rest says it is better now, and nothing worse
    ("since yesterday more swollen", "doctor"),
    ("yesterday more sore, today much more", "doctor"),
    # "do" with the patient or a date in it reports; with people in general it asks
    ("do fever and chills right after the shot mean infection", "doctor"),
    ("do people pass out after trigger point injections", None),
    # choking on "it" is literal; a site that stings now is not the needle's sting
    ("I'm choking on it, it won't go down", "emergency"),
    ("my injection stings really badly today", "doctor"),
    ("why does my muscle have a lump that keeps getting bigger", "doctor"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round6_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
