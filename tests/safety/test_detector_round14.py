"""Round 14 of the English detector (session 20): kinds that the fourteenth blind development set
(tests/dev_round14/safety.yml) and development round 12's questions showed escalating, each
beside the report that must still escalate. The sentences are written for these tests (never
copied from a development or evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # who the person is, a long-term illness, is no fit ...
    ("I am epileptic, could the numbing medicine set off a seizure?", None),
    ("my son is an epileptic, can he still get trigger point shots", None),
    # ... while a fit now, or a fit in a relative now, still is one
    ("I'm epileptic and I just had a fit an hour after the shot", "emergency"),
    ("she is an epileptic and is seizing right now", "emergency"),
    # an aside in brackets inside a condition is read as before (a first version read it as a
    # what-if, and the review found real reports written so)
    ("if my mom (84) just collapsed and isn't answering, what do we do?", "emergency"),
    # something that has JUST happened, inside an "if", is told (an older miss the review
    # found) ...
    ("if my mom just collapsed and isn't answering, what do we do?", "emergency"),
    ("if I just had a seizure, should I drive?", "emergency"),
    # ... not "just" as "simply" before a present form
    ("what if I just faint in the car?", None),
    ("blacked out having a shower an hour after the trigger points, used to happen as a kid",
     "emergency"),
    # "should X ever ..., who do I ...?" is a condition, however long its subject ...
    ("Should the spot they injected ever go hot and red, who do I ring?", None),
    # ... not one that says it is happening ("should it STILL be ...")
    ("should the spot they injected still be hot and red 4 days later, who do I ring?",
     "doctor"),
    # "I have NOTHING like that now" after a what-if does not report it ...
    ("If I get short of breath on the train home, what do I do? Nothing like that now, just "
     "planning ahead", None),
    ("What if my chest gets tight on the drive home? I have nothing like that right now.", None),
    # ... while "I have that now" does
    ("What if my chest gets tight on the drive home? I have that right now.", "emergency"),
    # a story from a screen, asked about as true ...
    ("watched a movie where a guy's throat swelled shut from a shot, is that realistic?", None),
    ("saw a documentary where a woman bled out after an injection, is that true?", None),
    # ... not the writer's own, nor a relative's now
    ("saw a documentary about bleeding and now my own site is gushing blood", "emergency"),
    # a laugh after "can't breathe" is no figure of speech (people laugh when scared; the
    # review of this round found "I can't breathe lol help" silenced by a first version)
    ("I can't breathe lol help", "emergency"),
    ("cant breathe lmao, going to the ER", "emergency"),
    # what was going on when it happened long ago is no present tense ...
    ("as a teenager I passed out getting my ears pierced", None),
    # ... unlike a faint since the injection
    ("I passed out getting into the car after my injection this afternoon", "emergency"),
    # a decade in four figures is long before
    ("my aunt had shots in the 1980s and got an infection, is it safer now?", None),
    ("my aunt had shots in the 1980s and now I have an infection at my site", "doctor"),
    # the injection still ahead (a first one, or none had yet): a doctor-level sign told in the
    # past came before it ...
    ("Had a temperature with the flu last week, all gone. My first injection is on Friday, can "
     "I still come?", None),
    ("had a rash on my arm last month, cleared up. haven't had the shots yet", None),
    # ... not with an injection had (however it is said), a follow-up or a next one, nor an
    # emergency, nor a sign now (from the review of this round)
    ("had the shots on monday and a fever last night, my next injection is friday", "doctor"),
    ("Got trigger points done tuesday. The spots were red and hot last night. Appt is thursday.",
     "doctor"),
    ("the doctor injected my shoulder 2 days ago. last night the area was swollen and really "
     "warm. my next appointment is next week", "doctor"),
    ("I woke up with the redness spread halfway down my back. my appt is monday", "doctor"),
    ("I fainted this morning. My first injection is tomorrow, should I still come?",
     "emergency"),
    ("My injection is tomorrow and I have a fever of 101 right now", "doctor"),
    # whether two names mean one thing is one clause: signs told after a comma are a report
    ("is sepsis another word for blood poisoning, fever 103 and shaking chills and confused",
     "emergency"),
    ("is hives different from a rash, covered in hives all over and lips swelling", "emergency"),
    # a relative who watched something is no story from a screen
    ("My mom watched the news after her shot and her speech went slurred and her arm went limp, "
     "is that common?", "emergency"),
    # the circumstances of a faint today, beside a faint long ago
    ("I passed out getting up from the chair this morning, it happened as a teenager too",
     "emergency"),
    # a seizure by its kind's name
    ("I'm epileptic. Had a grand mal this morning 2 hours after the trigger point injection.",
     "emergency"),
    # severe pain said of a trigger point or a knot, with no injection had, is the condition
    # the injections treat (a development question about why knots are tender had escalated) ...
    ("why are trigger points so painful?", None),
    ("my knots are very painful, will TPI help?", None),
    ("is a trigger point really painful when you press it?", None),
    # ... not once an injection is told of, nor when it gets worse
    ("I had TPI on monday and the knot is super painful now", "doctor"),
    ("the trigger point they did is extremely painful today", "doctor"),
    ("my knot is so painful since the shot yesterday", "doctor"),
    ("my knots are extremely painful and getting worse", "doctor"),
    # ... nor a statement or any time (a review found these silenced by a first version)
    ("my trigger point is super painful today", "doctor"),
    ("my knot is so painful i can't sleep since my visit", "doctor"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round14_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
