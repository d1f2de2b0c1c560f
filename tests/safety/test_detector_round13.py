"""Round 13 of the English detector (session 18): kinds that the thirteenth blind development set
(tests/dev_round13/safety.yml) showed escalating, each beside the report that must still
escalate. The sentences are written for these tests (never copied from a development or
evaluation set)."""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level

CASES = [
    # a story an outside teller told of their own injection, asked about as a risk ...
    ("a woman at my church told me she fainted after her shots, will that happen to me?", None),
    ("my hairdresser said her face swelled up after botox years back, can TPI do that?", None),
    ("someone on a forum said the injection made his ribs ache for weeks, is that a thing?", None),
    ("a lady in my yoga class said she was numb for a whole day, is that normal or bad?", None),
    ("my coworker reckons his site went hot and red after his, what are the chances of that?",
     None),
    # ... not a relative's or an outsider's symptom told as there now, or dated to now
    ("my uncle said he couldn't breathe after his injection, how common is that?", "emergency"),
    ("my friend says she can't breathe since her injection, is that normal?", "emergency"),
    ("a guy at work told me he passed out after his shots this morning, is that a thing?",
     "emergency"),
    ("my neighbour said her arm is still numb two days after, is that normal?", "doctor"),
    ("my coworker said his chest hurt for days and it still hurts now, is that common?",
     "emergency"),
    # (from the review of this round: a helper's own sentences) a friend relaying her own
    # symptom, asked about as normal, and a friend the writer looks after, still escalate
    ("My friend just told me her throat closed up after her shot, is that normal?", "emergency"),
    ("A friend I drove home from her injection said her chest felt tight and she couldn't get "
     "air, is that normal?", "emergency"),
    # a relative who TOLD the writer of their own symptom reports it ("tell me about the risks"
    # asks; "told" is no "tell me")
    ("my daughter told me she passed out in the shower after her injection, is that normal?",
     "emergency"),
    ("can you tell me about the risk of a collapsed lung?", None),
    # an outsider's story asked about as happening a lot is hearsay
    ("a lady at church told me her face went red and hot after hers, does that happen a lot?",
     None),
    # an emergency told first, an old story told after it
    ("Chest pain and short of breath, had a blood clot 2 yrs ago", "emergency"),
    ("Had TPIs 3 yrs ago with no problem but this round my throat swelled shut", "emergency"),
    # an old story told first, the sign as part of it
    ("ages ago a tooth filling gave me a reaction, racing heart and shaking. Is lidocaine the "
     "same stuff?", None),
    # a past told in figures ("3 yrs ago") is before the procedure ...
    ("I had a rash on my neck 4 yrs ago from a new soap, gone since, is that a problem?", None),
    ("my throat swelled up from a bee sting 15 years back, is lidocaine ok for me?", None),
    # ... not a few hours or days ago
    ("my arm went numb 9 hours ago and it still hasn't come back", "doctor"),
    ("my lips swelled up 20 minutes ago after the shot", "emergency"),
    # an emergency told now beside an old story or a long-standing illness still escalates ...
    ("I can't breathe, I had a collapsed lung years ago", "emergency"),
    ("I can't breathe and I've had asthma since 2010", "emergency"),
    ("it won't stop, I've soaked two towels and I've been on warfarin since 2018", "emergency"),
    # ... while the old story alone does not
    ("I had a collapsed lung years ago, is TPI safe for me?", None),
    ("my double vision has been there since 2014, nothing new", None),
    ("I had chest pain in 2017 and got a stent, fine since, can I still have the shots?", None),
    # people in general telling a story: their present is nobody's symptom now
    ("people on my forum say the soreness gets worse before it settles, is that true?", None),
    # the injection still to come: an old fever does not escalate, an emergency now does
    ("had a chest cold last month, my appt isn't till next week, all fine now, ok to go?", None),
    ("my appointment isn't until Friday and I can't breathe", "emergency"),
    ("my injection is tomorrow and I have chest pain", "emergency"),
    # a dressing peeled off, or one that showed a red dot once, is not the skin ...
    ("a speck of blood when I peeled the plaster off, nothing since", None),
    ("the dressing had a small red spot on it this morning and that was it", None),
    # ... while skin that peels, or a spot that keeps coming back, still is
    ("I peeled the dressing off and the skin under it is peeling and raw", "doctor"),
    ("the plaster has a red spot that keeps coming back every time I change it", "doctor"),
    # "I READ that ..." is no blood-sugar reading ...
    ("I read that some people end up with a bruise, is that true?", None),
    # ... while a reading that went up still is
    ("my readings went way up since the steroid shot", "doctor"),
    # a thing that collapses, excitement that makes one feverish ...
    ("the electricity keeps collapsing in our building, can I call tomorrow instead?", None),
    ("feverish with anticipation about my first appointment, what do I bring?", None),
    # ... not a person or a body
    ("my dad keeps collapsing since his injection", "emergency"),
    ("I'm feverish and shivering since the shot", "doctor"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round13_kinds(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()
