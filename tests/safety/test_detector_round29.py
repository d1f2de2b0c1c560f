"""Round 29 of the English detector (session 33): risk questions, what-ifs and look-alikes from a
blind development set (tests/dev_round30/): "... or is that" after a pronoun, "how likely is it
that I'll get", sensitive skin as a trait, "still ... tonight" in a condition, "should my face
start to ..." after a question, the site in a question asked in advance, a sign read about or
called a warning sign, "usually" in a question about "the" sign, "maybe an hour", a condition
that goes on with "and a day later I ...", "would it be a problem if", "is there blood
involved?", headaches that come less often, and figures of speech (a price hard to swallow,
gasping at something, chills while watching, blowing hot and cold, hot-headed, paperwork that
gives a fever); each beside the report that must keep its level. The sentences are written for
these tests (never copied from a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # "or is that ..." opens a second question; a report beside it
    ("do people get infections from these or is that rare?", None),
    ("the site is full of pus, is that from these or is it something else?", "doctor"),
    # a modal in the clause of a possibility; and a fever told after it
    ("how likely is it that I'll get a fever afterwards?", None),
    ("how likely is it that this is an infection? I have a fever of 39", "doctor"),
    # sensitive skin is a trait
    ("what are the chances of a rash where they inject, I have really sensitive skin", None),
    ("I have a rash where they injected", "doctor"),
    # "still" in a condition that looks ahead to tonight; and still numb now
    ("if my arm is still numb tonight should I call?", None),
    ("my arm is still numb, 12 hours after the shot", "doctor"),
    # "should" + a subject + a change after a question; and the change now
    ("who do I call should my lips start to swell after I get home?", None),
    ("who do I call? my lips are starting to swell", "emergency"),
    # "the site" in a question asked in advance; and a site red and hot right now
    ("is the spot meant to be red afterwards? asking ahead of time", None),
    ("is the spot meant to be red? it's bright red and hot right now", "doctor"),
    # a sign read about, or called a warning sign; and the same sign told as one's own
    ("is lidocaine safer than the steroid? thinking of the chest pain you hear about", None),
    ("a metallic taste after lidocaine is a red flag?", None),
    ("I have a metallic taste after lidocaine, is that a red flag?", "emergency"),
    # "usually" asks about "the" sign in general; "this long" points at the patient's own
    ("do the bruises from these normally spread?", None),
    ("does the swelling usually last this long? it's been 5 days", "doctor"),
    # a hedge before a length of time guesses the length
    ("the numbness lasted perhaps an hour, now it's only a bit sore", None),
    ("my leg is still numb, maybe 10 hours now", "doctor"),
    # a condition that goes on after "and" and a time; and the same told as it happened
    ("who do I ring if I have the injection and the next morning my face is swelling?", None),
    ("I had the injection and the next morning my face is swelling", "emergency"),
    # a question in the conditional mood before "if"; and a bruise growing now
    ("would it be bad if the spot bruises a little afterwards?", None),
    ("would it be bad? the bruise on the spot keeps getting bigger", "doctor"),
    # whether the procedure brings the sign; and a dressing soaked now
    ("will there be much bleeding during the injection?", None),
    ("is there any blood involved? needles make me queasy", None),
    ("is there a lot of blood involved? mine has soaked the dressing", "emergency"),
    # the treated headaches coming less often; and a headache that will not go away
    ("my headaches are much less frequent since the injections", None),
    ("my headache will not go away since the shot", "doctor"),
    # what an activity might do, not wanted; and worse pain told
    ("can I lift weights after? don't want to make my neck pain worse", None),
    ("I lifted weights and my neck pain is much worse since", "doctor"),
    # a person in the possessive inside the thing's own phrase; and the person who collapsed
    ("the marquee at my sister's wedding collapsed in the storm, can I move my appointment?", None),
    ("my sister's husband collapsed at the wedding after his injection", "emergency"),
    # figures of speech; and the literal signs
    ("the copay is hard to swallow", None),
    ("it's hard to swallow since the injection", "emergency"),
    ("we were all gasping at the size of the needle", None),
    ("I'm gasping for air", "emergency"),
    ("I got chills reading the reviews of your clinic", None),
    ("chills and shaking since the shot", "doctor"),
    ("still blowing hot and cold about booking the next one", None),
    ("this tax form is giving me a fever", None),
    ("the shot is giving me a fever", "doctor"),
    ("my wife says I'm hot-headed, but I'll be calm on the day", None),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round29_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
