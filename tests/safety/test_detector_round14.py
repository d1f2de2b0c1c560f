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
    # a condition told with an aside in brackets, then a question: a what-if ...
    ("if my dad (he's 90) gets muddled after the shot, what should we do?", None),
    # ... not a plain "if" whose main clause reports
    ("if my dad (he's 90) stands up, he gets muddled and falls since the shot", "emergency"),
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
    # laughing too hard to breathe ...
    ("my grandson's joke, I can't breathe 😂😂", None),
    ("cant breathe lmao this show", None),
    # ... not with anything between, nor a sad face
    ("I can't breathe, so scared lol", "emergency"),
    ("I can't breathe 😢", "emergency"),
    # what was going on when it happened long ago is no present tense ...
    ("as a teenager I passed out getting my ears pierced", None),
    # ... unlike a faint since the injection
    ("I passed out getting into the car after my injection this afternoon", "emergency"),
    # a decade in four figures is long before
    ("my aunt had shots in the 1980s and got an infection, is it safer now?", None),
    ("my aunt had shots in the 1980s and now I have an infection at my site", "doctor"),
    # the injection still ahead: a doctor-level sign told in the past came before it ...
    ("Had a temperature with the flu last week, all gone. My injection is on Friday, can I "
     "still come?", None),
    ("had a rash on my arm last month, cleared up. my appt is next week", None),
    # ... not with an injection already had, nor an emergency, nor a sign now
    ("had the shots on monday and a fever last night, my next injection is friday", "doctor"),
    ("I fainted this morning. My injection is tomorrow, should I still come?", "emergency"),
    ("My injection is tomorrow and I have a fever of 101 right now", "doctor"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round14_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
