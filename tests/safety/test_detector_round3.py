"""Round 3 of the warning-sign detector: minimal pairs for the kinds fixed in this round.

Each kind has the look-alike (a figure of speech, a general worry, an effect that stayed within
its window) AND the real report that must still escalate. The sentences are written for these
tests (never copied from a development or evaluation set).

Run from the repository's root:
    TF_CPP_MIN_LOG_LEVEL=3 .venv/bin/python -m pytest -q tests/safety/test_detector_round3.py
"""

from __future__ import annotations

import pytest

from safety.turn import CATCH_ALL_INTENT, assess_turn
from tests.safety.escalation import escalation as _level


# ------------------------------------------------------------- coughing up blood (emergency)
# Blood or red in the same clause as a cough, spit, phlegm or sputum is coughing up blood,
# wherever the words sit; paying ("cough up 40 dollars") is not.
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("I coughed up blood", "emergency"),
        ("I coughed up 40 dollars", None),
        ("my sister coughed up the fee for my parking", None),
        # the money look-alike never hides a real one: "for" is not a money word
        ("I coughed up blood for about an hour", "emergency"),
        ("there were clots of blood when I was coughing earlier", "emergency"),
        ("spat into the basin and it came out pink", "emergency"),
        ("my son hacked into a hanky and it was bright red", "emergency"),
        ("some blood when I brushed my teeth and spat", None),
        ("I had a blood test because of my cough", None),
    ],
)
def test_coughing_up_blood(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()


# ------------------------------------------------------------- heavy bleeding (rule 12)
# Dripping, pouring or gushing out of the site, or dressings changed again and again or
# sodden, is heavy bleeding even without the word "blood"; slow oozing stays doctor.
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("it's pouring out of the needle hole", "emergency"),
        ("a clear liquid is dripping from the wound", "doctor"),  # discharge, not blood
        ("I've swapped the plaster four times since lunch", "emergency"),
        ("I changed the plaster once after my shower", None),
        ("the bandaid is sodden", "emergency"),
        ("he's bleeding alot from the spot", "emergency"),
        ("we're running out of plasters at home", None),
        ("a red streak is running from the spot toward my wrist", "doctor"),
        ("the puncture keeps slowly seeping a bit of blood", "doctor"),
    ],
)
def test_heavy_bleeding_without_the_word_blood(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()


# ------------------------------------------------------------- collapse: a fall, then no answer
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("my mum fell down and isn't responding", "emergency"),
        ("my mum fell over but she's chatting away", None),
    ],
)
def test_a_fall_and_no_answer_is_collapse(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()


# ------------------------------------------------------------- figures of speech (rule 11)
# The frame covers the sign word used about money, luck, a question, a deal, feelings or an
# abstract object; the same sign word about the body still escalates.
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("what a stroke of genius", None),
        ("my uncle had a stroke this morning", "emergency"),
        ("they had a gap in the diary and fit us in", None),
        ("she had a fit in the kitchen", "emergency"),
        ("we had a burning desire to travel", None),
        ("a burning feeling where the needle went", "doctor"),
        ("my nephews are on a sugar high from the birthday cake", None),
        ("my sugar is high since the steroid", "doctor"),
        ("I can't swallow the price they charge", None),
        ("I can't swallow that they billed me twice", None),
        ("I can't swallow my tablets", "emergency"),
        ("I can't swallow, how long will this last", "emergency"),
        ("the talks collapsed last night", None),
        ("my husband collapsed last night", "emergency"),
        ("the talks collapsed and then my husband collapsed", "emergency"),
        ("my heart bleeds for those families", None),
        ("my heart aches for the nurses", None),
        ("my heart aches for the last hour", "emergency"),
        ("I can't swallow what I eat", "emergency"),
        ("my arm bleeds when I move it", "doctor"),
        # the condition being treated is not a warning sign
        ("will the shots sort out my headaches?", None),
        ("I've had a headache since the shot", "doctor"),
    ],
)
def test_figures_of_speech_and_the_real_sign(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()


def test_figures_of_speech_are_recorded_as_figurative(detector) -> None:
    findings = detector.assess("a stroke of genius").findings
    assert findings and all(f.rule == "figurative" for f in findings)


# A message that names the body only inside a figure of speech reports nothing: the model's
# catch-all for unlisted symptoms (intent report_symptom) does not apply to it.
@pytest.mark.parametrize(
    ("text", "figure", "catch_all"),
    [
        ("I just have to get this off my chest, the receptionist was so kind", True, False),
        ("I just have to get this off my chest, my legs feel strange", False, None),
        ("I need to get this off my chest, I've been so tired since the shot", False, True),
    ],
)
def test_the_body_named_only_in_a_figure_of_speech(detector, text, figure, catch_all) -> None:
    assessment = detector.assess(text)
    assert assessment.figure_of_speech is figure
    if catch_all is None:
        assert assessment.escalates  # the detector itself found the symptom
        return
    parse = {"text": text, "intent": {"name": CATCH_ALL_INTENT, "confidence": 0.9},
             "entities": [], "safety": assessment.to_dict()}
    assert assess_turn(parse).escalates is catch_all


# ------------------------------------------------------------- a worry about a risk (rule 10)
# The sign that is the very object of a worry is a general question; a report in the same
# sentence is not swallowed by it.
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("my partner is anxious about bleeding because he takes clopidogrel", None),
        ("I'm scared of getting a fever or chills", None),
        ("my partner is anxious, his bruise keeps getting bigger", "doctor"),
        ("I'm worried about the bleeding, it won't stop", "doctor"),
        ("I'm worried about my arm swelling", "doctor"),
        ("I was nervous about needles and I fainted after the shot", "emergency"),
        ("I'm frightened of needles, passed out in the car after the injection", "emergency"),
        # a judgment after the sign: "something to report"
        ("is swelling at the spot something to report", None),
        ("my arm is swelling, is that something to report", "doctor"),
    ],
)
def test_a_worry_about_a_risk_is_not_a_report(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()


# ------------------------------------------------------------- expected effects (rules 4, 11)
@pytest.mark.parametrize(
    ("text", "level"),
    [
        # a dead limb that came back within numbness's window is the expected numbness
        ("my arm was dead for about 40 minutes, back to normal now", None),
        ("my arm was dead for two days, back to normal now", "doctor"),
        ("his leg is still dead this evening", "doctor"),
        ("my hand is numb and weak", "doctor"),
        # "off" in getting off something is not "feeling off"
        ("my wife felt woozy climbing off the couch, fine after a few minutes", None),
        ("I feel off since the shot", "doctor"),
        # improving, in either order
        ("every morning less soreness at the site", None),
        ("every morning the soreness is worse", "doctor"),
    ],
)
def test_expected_effects_within_their_window_or_improving(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()


# ------------------------------------------------------------- negation covering the term (rule 2)
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("I don't have any difficulty swallowing", None),
        ("I'm not having trouble breathing", None),
        ("I do have difficulty swallowing", "emergency"),
        ("I can't barely swallow", "emergency"),  # "barely" is not a filler: the phrase's own
        ("I'm not swallowing properly", "emergency"),
        ("I didn't have trouble swallowing until now", "emergency"),
    ],
)
def test_a_negation_before_trouble_covers_the_sign(detector, text, level) -> None:
    assert _level(detector, text) == level, detector.assess(text).to_dict()


# ------------------------------------------------------------- new doctor-level wording
@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("can't lift my ankle properly since the jab", "lasting_numbness_or_weakness"),
        ("haven't slept since the cortisone shot", "new_symptom"),
        ("I feel jittery and wired", "feeling_unwell"),
    ],
)
def test_new_doctor_wording(detector, text, sign) -> None:
    assessment = detector.assess(text)
    assert assessment.level == "doctor" and sign in assessment.signs, assessment.to_dict()
