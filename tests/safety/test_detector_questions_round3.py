"""Questions that name a warning sign without reporting it (rules 2, 4, 5 and 10): minimal pairs.

Each kind has the question that must NOT escalate and, next to it, the report that still must.
The sentences are written for these tests (never copied from a development or evaluation set).

Run from the repository's root:
    TF_CPP_MIN_LOG_LEVEL=3 .venv/bin/python -m pytest -q \
        tests/safety/test_detector_questions_round3.py
"""

from __future__ import annotations

import pytest

from tests.safety.escalation import escalation as _level


# --------------------------------------------- 1. the condition the treatment is FOR (rule 10)
# A headache, migraine or fibromyalgia asked about as what the injections treat is a question;
# a headache the patient says they have (now, since the shot, "gave me") is a report.
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("are trigger point shots for migraines too?", None),
        ("what about for migraines?", None),
        ("also for tension headaches?", None),
        ("would the injections work for chronic headaches?", None),
        ("could these shots help patients with fibromyalgia?", None),
        ("my mother is not good with phones, could the shots help her fibromyalgia?", None),
        # the report side
        ("the shot in my neck gave me headaches?", "doctor"),
        ("I've had headaches since the injections?", "doctor"),
        ("I got TPI for my back and now I have a headache?", "doctor"),
        ("my headache won't go away since the shot, are shots for headaches?", "doctor"),
        ("she's not good, she feels awful since the shot", "doctor"),
        ("I'm not good at all today", "doctor"),
    ],
)
def test_condition_treated_is_a_question(detector, text, level):
    assert _level(detector, text) == level


# ------------------------------------------------- 2. a bare complication name with "?" (rule 10)
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("punctured lung?", None),
        ("and infection??", None),
        ("pneumothorax??", None),
        ("what about nerve damage?", None),
        # a first-person symptom with "?" is a report; so is a symptom next to the name
        ("i cant breathe??", "emergency"),
        ("my chest is tight. punctured lung?", "emergency"),
        ("chest pain?", "emergency"),
    ],
)
def test_bare_complication_question(detector, text, level):
    assert _level(detector, text) == level


# ------------------------------------------------- 3. a definition that uses a sign word (rule 10)
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("what is a trigger point? it is a kind of swelling in the muscle?", None),
        ("what are trigger points? they are like an inflammation of the fibres?", None),
        # the report side: "my", or no definitional question before it
        ("what is this? it is like a swelling on my neck?", "doctor"),
        ("it is like an inflammation around the spot?", "doctor"),
    ],
)
def test_definition_question(detector, text, level):
    assert _level(detector, text) == level


# -------------------------------------------- 4. an expected part of the procedure (westcare page)
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("a friend said her shoulder jumped during it, does that happen?", None),
        ("will the muscle twitch throughout it?", None),
        # twitching since the shot, or all over, still escalates
        ("my shoulder has been twitching since the shot", "doctor"),
        ("I'm twitching all over", "emergency"),
    ],
)
def test_expected_twitch_during_procedure(detector, text, level):
    assert _level(detector, text) == level


# ------------------------------------------------------ 5. people in general (rule 10)
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Is there more soreness afterwards for people with a lot of knots?", None),
        ("is bruising worse in older patients?", None),
        # the report side
        ("is there more pain for people like me? mine is getting worse", "doctor"),
        ("my pain is worse than for most people", "doctor"),
    ],
)
def test_people_in_general(detector, text, level):
    assert _level(detector, text) == level


# ----------------------------------- 6. history before and unrelated to the procedure (rule 4)
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("needles freak me out, I fainted once at the dentist. does it sting?", None),
        ("I blacked out one time during a blood test, will the injection be ok?", None),
        # fainting after the injection stays an emergency, "once" or not
        ("I fainted once after the injection", "emergency"),
        ("I blacked out after the shot", "emergency"),
        ("fainted once at a blood test and again after the injection today", "emergency"),
    ],
)
def test_unrelated_history_before_the_procedure(detector, text, level):
    assert _level(detector, text) == level


# --------------------------------- 7. "is X something to call about?" (rule 5: the sign list)
@pytest.mark.parametrize(
    "text",
    [
        "is 100.4 a fever the clinic wants to hear about",
        "is 38 degrees a temperature to ring them about after trigger point shots",
        "bruise growing after tpi = call?",
        "redness spreading -> doctor?",
    ],
)
def test_asking_whether_to_call_gets_the_list(detector, text):
    assert detector.assess(text).level == "info"


@pytest.mark.parametrize(
    "text",
    [
        "I'm at 38.2, is that a fever the clinic wants to hear about?",
        "my temp is 100.9, should I phone?",
        "the swelling on my arm is getting bigger, is that something to call about?",
        "my redness spreading = call?",
        "swelling getting bigger since this morning = call?",
        # a measured temperature other than the threshold itself is read as the patient's own
        # (decide.py `_measured_fever`, safety first), even when asked about in general
        "is 38.6 a fever the clinic wants to hear about",
    ],
)
def test_own_sign_then_asking_still_escalates(detector, text):
    assert _level(detector, text) == "doctor"
