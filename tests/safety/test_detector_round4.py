"""Round 4 of the warning-sign detector: minimal pairs for the kinds fixed in this round.

Each kind has the look-alike (a question about the procedure, a figure of speech, the weather,
an effect within its window) AND the real report that must still escalate. The sentences are
written for these tests (never copied from a development or evaluation set).

Run from the repository's root:
    TF_CPP_MIN_LOG_LEVEL=3 .venv/bin/python -m pytest -q tests/safety/test_detector_round4.py
"""

from __future__ import annotations

import pytest

from safety.turn import CATCH_ALL_INTENT, assess_turn
from tests.safety.escalation import escalation as _level

CASES = {
    # heavy bleeding said as the bleeding dripping or pouring, or cloths filled (rule 12)
    "heavy_bleeding": [
        ("my hip keeps bleeding and it's dripping onto the rug", "emergency"),
        ("he bled so much it filled three hand towels", "emergency"),
        ("the bleeding has gone through two paper towels", "emergency"),
        ("a tiny bit of bleeding, it stopped with pressure", None),
        ("the bleeding stopped, nothing dripping now", None),
    ],
    # double vision in chat shorthand (botulinum toxin spread)
    "double_vision": [
        ("im seeing dbl since the botox one", "emergency"),
        ("her sight went dbl this afternoon", "emergency"),
    ],
    # what the injection will feel like, asked beforehand; how much it hurts
    "procedure_questions": [
        ("will I notice anything strange while they inject the muscle", None),
        ("how bad does it hurt during the injection", None),
        ("I feel strange since the injection", "doctor"),
        ("how much pain is normal? mine is getting worse every day", "doctor"),
    ],
    # a skill or a thing that is "not so good"
    "not_the_person": [
        ("sorry my spelling is not so good, can I drive after?", None),
        ("I am not so good since the shot, shaky and hot", "doctor"),
    ],
    # how often a complication happens
    "how_often": [
        ("does nerve damage happen often with these shots", None),
        ("do infections occur a lot after trigger point injections", None),
        ("my lung feels like it collapsed, I can't get air", "emergency"),
    ],
    # asking whether to have the injections at all; first-time worries
    "before_the_procedure": [
        ("my shoulder has ached for two months since a fall, should I get a TPI or wait",
         None),
        ("scared I'll pass out during it, it's my first time next week", None),
        ("I had the shot on Monday and now I have a fever of 101, should I get another one?",
         "doctor"),
    ],
    # the weather's heat in numbers
    "weather": [
        ("scorching here, 41 in the shade, can I still go for my walk", None),
        ("it's so hot today and my temp is 38.6", "doctor"),
    ],
    # figures of speech: choking on a task, swelling with pride
    "figures_of_speech": [
        ("I choked on my lines at rehearsal, unrelated, when can I exercise", None),
        ("my heart is swelling with pride, my back finally feels good", None),
        ("I choked on a sip of water and now my throat is closing", "emergency"),
        ("the spot is swelling and hot", "doctor"),
    ],
    # an effect that stayed within its window and is over, or still within it
    "within_the_window": [
        ("was lightheaded for a minute when I stood, then it passed, fine all evening", None),
        ("the area is still numb after 50 minutes", None),
        ("is it ok that my arm is still numb? it's been 30 minutes", None),
        ("my arm is still numb after 6 hours", "doctor"),
    ],
    # heavy bleeding running onto the floor, with a blood word before it
    "bleeding_onto_the_floor": [
        ("his arm won't stop bleeding, it's running onto the carpet", "emergency"),
        ("the ice pack is dripping onto the floor, is that ok", None),
    ],
    # the weather's heat in a bare number
    "weather_number": [
        ("boiling today, 39 in the shade, can I take a walk", None),
        ("heatwave here and I'm running 39", "doctor"),
        ("my temp is 38.5 in this heatwave", "doctor"),
    ],
    # the condition the injections are for (rule 10), unless tied to an injection already had
    "condition_to_treat": [
        ("my husband gets terrible migraines, could these be right for him?", None),
        ("she's having these for her headaches", None),
        ("and migraines?", None),
        ("I've had headaches every day since the injection, would another one help?", "doctor"),
        ("I have a migraine now after the shots, can TPI treat it?", "doctor"),
    ],
    # comparing with another needle; the threshold to call
    "comparisons_and_thresholds": [
        ("does it sting more than a flu jab", None),
        ("at what fever do I ring you", None),
        ("the spot hurts more than yesterday", "doctor"),
        ("my fever is 101, at what point do I go to the ER?", "doctor"),
    ],
    # what must stay an emergency next to this round's look-alikes
    "still_emergencies": [
        ("my mum is more confused than usual since the shot", "emergency"),
        ("my face started drooping this morning, should I get a TPI?", "emergency"),
        ("my first time was on Monday and since then I can't lift my arm", "emergency"),
    ],
    # appointment shorthand is not a spelling slip of a sign
    "shorthand": [
        ("can i resched my appt to monday", None),
    ],
}


@pytest.mark.parametrize(
    ("kind", "text", "level"),
    [(kind, text, level) for kind, rows in CASES.items() for text, level in rows],
)
def test_round4_kind(detector, kind, text, level) -> None:
    assert _level(detector, text) == level, (kind, detector.assess(text).to_dict())


@pytest.mark.parametrize(
    ("text", "catch_all"),
    [
        # things getting better day by day are not an unlisted symptom for the model's catch-all
        ("my shoulder is loosening up day by day", False),
        ("every morning a bit easier to turn my head", False),
        # ... unless it is not better: the catch-all still hears an unlisted symptom
        ("not getting better each day, my hand feels strange and clumsy", True),
    ],
)
def test_the_catch_all_does_not_fire_on_improvement(detector, text, catch_all) -> None:
    assessment = detector.assess(text)
    if assessment.escalates:
        assert catch_all  # the detector itself found a symptom
        return
    parse = {"text": text, "intent": {"name": CATCH_ALL_INTENT, "confidence": 0.9},
             "entities": [], "safety": assessment.to_dict()}
    assert assess_turn(parse).escalates is catch_all, assessment.to_dict()
