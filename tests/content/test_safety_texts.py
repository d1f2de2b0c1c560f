"""The safety layer's replies and the channels' texts (content/safety.yml, the reassurance of
safety/vocabulary.yml) are plain, short and sourced, whatever sign they name.

Every template is rendered with every sign label of its level, as the action server renders it
(actions/safety_messages.py), and measured as the patient reads it (content/readability.py).
"""

from __future__ import annotations

import pytest

from actions.safety_messages import BELOW_THRESHOLD, safety_messages
from channels.common import EXPIRED_OPTION, numbered_options, text_only_reply
from clinic import load_profile
from content.model import Statement, all_messages, load_safety, safety_text
from content.readability import grade, words
from content.sources import problems
from safety.levels import DOCTOR, EMERGENCY, EXPECTED
from safety.turn import CATCH_ALL_LABEL, SafetyTurn
from safety.vocabulary import default_vocabulary

MAX_GRADE = 8.0
EMERGENCY_MAX_WORDS = 45  # the first thing on the screen: what to do, the number, why
DOCTOR_MAX_WORDS = 75  # both messages together: one phone screen
MESSAGE_MAX_WORDS = 60  # any one message (as tests/content/test_answers.py)

CLINIC = load_profile()
SIGNS = default_vocabulary().signs
SAFETY_MESSAGES = load_safety().messages
REASSURED = [s for s in SIGNS if s.reassurance]
# The labels a reply can name: each sign's own, an expected effect's once it escalates, the
# catch-all of the ML model, and a measured temperature.
EMERGENCY_LABELS = sorted({s.label for s in SIGNS if s.level == EMERGENCY})
DOCTOR_LABELS = sorted({s.label for s in SIGNS if s.level == DOCTOR}
                       | {s.escalated_label for s in SIGNS if s.escalated_label}
                       | {CATCH_ALL_LABEL, "a temperature of 101.5 °F", "a temperature over 38 °C"})


def turn(level: str, label: str, sign: str = "", rule: str = "present",
         entity: str = "warning_sign") -> SafetyTurn:
    return SafetyTurn(level, [{"entity": entity, "value": label, "label": label, "sign": sign,
                               "level": level, "rule": rule}])


def check_plain(text: str, max_words: int = MESSAGE_MAX_WORDS) -> None:
    assert "{" not in text and "}" not in text, f"a placeholder is left: {text!r}"
    assert grade(text) <= MAX_GRADE, (round(grade(text), 1), text)
    assert words(text) <= max_words, (words(text), text)


# --- sources ------------------------------------------------------------------------------------
@pytest.mark.parametrize("message", SAFETY_MESSAGES, ids=[m.response for m in SAFETY_MESSAGES])
def test_every_safety_statement_has_a_source_that_says_it(message):
    bad = {s.say: problems(s) for s in message.statements if problems(s)}
    assert not bad, bad


@pytest.mark.parametrize("sign", REASSURED, ids=[s.id for s in REASSURED])
def test_every_reassurance_has_a_source_that_says_it(sign):
    statement = Statement(sign.reassurance, sign.reassurance_source or "",
                          sign.reassurance_quotes)
    assert sign.reassurance_source, f"{sign.id}: no reassurance_source"
    assert not problems(statement), problems(statement)
    check_plain(sign.reassurance)


def test_every_expected_effect_has_its_own_reassurance():
    assert {s.id for s in SIGNS if s.level == EXPECTED} == {s.id for s in REASSURED}


def test_the_source_check_catches_an_unsupported_reassurance():
    made_up = Statement("Numbness usually wears off within a few hours.", "reference",
                        ("numbness usually wears off within a few hours",))
    assert problems(made_up)


def test_the_safety_templates_are_not_rasa_responses():
    responses = {m.response for m in all_messages()}
    assert not responses & {m.response for m in SAFETY_MESSAGES}


# --- emergency ----------------------------------------------------------------------------------
@pytest.mark.parametrize("other_person", [False, True], ids=["patient", "someone_else"])
@pytest.mark.parametrize("label", EMERGENCY_LABELS)
def test_emergency_reply_is_short_plain_and_starts_with_the_call(label, other_person):
    rule = "other_person" if other_person else "present"
    [text] = safety_messages(turn(EMERGENCY, label, rule=rule), CLINIC)
    check_plain(text, EMERGENCY_MAX_WORDS)
    assert text.startswith(f"🚨 Call {CLINIC.emergency_number} now.")
    assert f"You said: {label}." in text and CLINIC.phone in text
    assert ("They need care right away." in text) == other_person


def test_emergency_with_two_long_signs_still_reads_plainly():
    longest = sorted(EMERGENCY_LABELS, key=len)[-2:]
    [text] = safety_messages(SafetyTurn(EMERGENCY, [
        {"entity": "warning_sign", "label": label, "level": EMERGENCY} for label in longest
    ]), CLINIC)
    assert grade(text) <= MAX_GRADE and " and ".join(longest) in text


# --- doctor -------------------------------------------------------------------------------------
@pytest.mark.parametrize("other_person", [False, True], ids=["patient", "someone_else"])
@pytest.mark.parametrize("label", DOCTOR_LABELS)
def test_doctor_reply_gives_the_clinic_and_when_to_call_the_emergency_number(label, other_person):
    rule = "other_person" if other_person else "present"
    first, second = safety_messages(turn(DOCTOR, label, rule=rule), CLINIC)
    for text in (first, second):
        check_plain(text)
    assert words(first) + words(second) <= DOCTOR_MAX_WORDS, (first, second)
    opening = ("⚠️ Please help them contact their doctor" if other_person
               else "⚠️ Please contact your doctor")
    assert first.startswith(f"{opening} or {CLINIC.name} today.")
    assert CLINIC.phone in first and CLINIC.opening_hours in first
    assert f"You said: {label}." in first
    assert second.startswith(f"Call {CLINIC.emergency_number} now instead")
    assert "trouble breathing" in second and "chest pain" in second


# --- expected effects ---------------------------------------------------------------------------
@pytest.mark.parametrize("sign", REASSURED, ids=[s.id for s in REASSURED])
def test_reassurance_reply_is_the_sign_facts_then_when_to_call(sign):
    [text] = safety_messages(
        turn(EXPECTED, sign.label, sign.id, rule=EXPECTED, entity="expected_effect"), CLINIC)
    check_plain(text)
    assert text.startswith(sign.reassurance)
    assert CLINIC.phone in text and "100.4 °F (38 °C)" in text


def test_a_sign_without_its_own_reassurance_gets_the_general_one():
    [text] = safety_messages(
        turn(EXPECTED, "something", "no_such_sign", rule=EXPECTED, entity="expected_effect"),
        CLINIC)
    check_plain(text)
    assert text.startswith(safety_text("safety_reassurance_generic"))


def test_a_temperature_below_the_fever_threshold_is_named_with_the_threshold():
    label = "a temperature of 99.5 °F"
    [text] = safety_messages(
        turn(EXPECTED, label, "fever", rule=BELOW_THRESHOLD, entity="expected_effect"), CLINIC)
    check_plain(text)
    assert text.startswith(f"You said: {label}.") and "100.4 °F (38 °C) or higher" in text


def test_the_below_threshold_rule_is_the_detector_s():
    from safety.decide import BELOW_THRESHOLD as DETECTOR_RULE

    assert BELOW_THRESHOLD == DETECTOR_RULE


# --- the channels -------------------------------------------------------------------------------
def test_the_channel_texts_come_from_content_and_read_plainly():
    for text in (text_only_reply(), text_only_reply(with_caption=True), EXPIRED_OPTION):
        check_plain(text)
    assert text_only_reply() == safety_text("channel_media",
                                            emergency_number=CLINIC.emergency_number)
    assert f"call {CLINIC.emergency_number} now" in text_only_reply()
    assert safety_text("channel_expired_option") == EXPIRED_OPTION
    reply_with = safety_text("channel_reply_with_number")
    assert f"\n\n{reply_with}\n1. A" in numbered_options("Pick one.", [{"title": "A"}])


@pytest.mark.parametrize("message", SAFETY_MESSAGES, ids=[m.response for m in SAFETY_MESSAGES])
def test_every_template_reads_plainly_with_a_short_sign(message):
    check_plain(safety_text(message.response, **CLINIC.as_slots(), signs="trouble breathing"))
