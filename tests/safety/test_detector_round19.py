"""Round 19 of the English detector (session 25): questions about what to expect, which the
nineteenth blind development set (tests/dev_round19/) showed escalated, each beside the message
that must keep its level. The sentences are written for these tests (never copied from a
development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # an amount asked against what is normal (safety/context/expectations.py), in a message that
    # is only the question: no one's own, no report, no time but "after the shot"
    ("how much soreness is alright after the shot?", None),
    ("how much swelling is acceptable after trigger point injections?", None),
    ("how much bleeding is OK? it has soaked through 2 gauze pads", "emergency"),
    ("how much bleeding is fine? it won't stop", "doctor"),
    ("how much of my swelling is normal, it keeps growing", "doctor"),
    ("how much redness is fine? it's spreading up to my elbow", "doctor"),
    # "worse" as the other choice of a comparison
    ("is it a pinprick or worse?", None),
    ("is the ache after like a pulled muscle or worse?", None),
    ("is my pain a 7 or worse now?", "doctor"),
    ("is the pain normal or worse? ten out of ten", "doctor"),
    ("is the swelling the same or worse than yesterday?", "doctor"),
    # complications weighed against each other
    ("which is more common, bleeding or infection?", None),
    ("what's rarer, a collapsed lung or an infection?", None),
    ("which is worse, the swelling in the throat or the hives?", "emergency"),
    ("fainting, infection, a collapsed lung - which one of those is the most serious?", None),
    ("which is worse, my swelling or the redness?", "doctor"),
    ("which is worse, the swelling or the fever? both started last night", "doctor"),
    ("what's worse, hives or lip swelling? got both", "emergency"),
    ("what's getting worse faster, the swelling or the redness?", "doctor"),
    ("which is more dangerous, chest pain or trouble breathing? I have both", "emergency"),
    # what the reviewers' reports showed the first versions silencing
    ("which is worse, hives or lip swelling, came up in both?", "emergency"),
    ("which is worse rn, fainting or chest pain?", "emergency"),
    ("which is scarier, chest pain or fainting, we're watching both", "emergency"),
    ("which is worse, trouble breathing at night or chest pain?", "emergency"),
    ("how much swelling is fine, grandpa's arm is twice the size", "doctor"),
    ("how much redness is alright after a tpi, from the wrist up to the elbow?", "doctor"),
    # people in general asked about inside a sentence
    ("I'd like to know if in general people on aspirin bleed more with this", None),
    ("I wanted to know if people bleed this much after the shot", "doctor"),
    ("I want to know if people get a fever after this, I have 101.5", "doctor"),
    ("I was wondering whether people bleed a lot after, the gauze is soaked", "emergency"),
    # the question asked inside a sentence ends at "because": what follows reports
    ("I wanted to know if patients pass out after the shot because she passed out in the car",
     "emergency"),
    # how much the injection hurts, asked as a bare yes/no question
    ("is it agony?", None),
    ("is the pain unbearable?", None),
    ("hurts really bad?", "doctor"),
    ("is it agony? it has been agony since this morning", "doctor"),
    ("why does it hurt so much?", "doctor"),
    ("is it unbearable? it started an hour ago", "doctor"),
    # the injection's own moment, asked about beforehand
    ("does the pain shoot into your neck while they're doing it?", None),
    ("I wonder if I'll feel anything strange while they're doing it", None),
    ("it burned like crazy while they were doing it and now my arm is numb", "doctor"),
    ("does it shoot down the arm during the injection? mine is shooting down my arm now",
     "doctor"),
    ("could the pain that keeps getting worse be from a nerve hit during the injection?",
     "doctor"),
    # what the third review's reports showed
    ("which is worse, chest pain or trouble breathing, please hurry?", "emergency"),
    ("which is worse for Rosa, fainting or chest pain?", "emergency"),
    ("soaked through two shirts, how much oozing is acceptable after the shot?", "emergency"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round19_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
