"""Unit tests of every custom action, with trackers built by rasa_sdk's Tracker.from_dict."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.safety_response import ActionSafetyResponse
from clinic import load_profile

CLINIC = load_profile()


def tracker_for(text: str, intent: str, entities: list[dict], safety: dict | None = None):
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities,
        "safety": safety or {"level": None, "findings": []},
    }
    return Tracker.from_dict({
        "sender_id": "patient-1",
        "slots": {},
        "latest_message": latest,
        "events": [{"event": "user", "text": text, "parse_data": latest}],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    })


def sign(value, sign_id, label, level, rule="present", entity="warning_sign"):
    return {"entity": entity, "value": value, "start": 0, "end": len(value), "sign": sign_id,
            "label": label, "level": level, "rule": rule}


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def test_emergency_is_one_short_message_with_the_number_first():
    tracker = tracker_for("it hurts to breathe", "report_symptom",
                          [sign("hurts to breathe", "breathing_difficulty", "trouble breathing",
                                "emergency")])
    messages, events = run(ActionSafetyResponse(), tracker)
    assert len(messages) == 1
    text = messages[0]["text"]
    assert text.startswith(f"🚨 Call {CLINIC.emergency_number} now."), "the number comes first"
    assert "You said: trouble breathing." in text and CLINIC.phone in text
    assert len(text.split()) <= 45
    assert events == [{"event": "slot", "timestamp": None, "name": "safety_reply_pending",
                       "value": False}]


def test_emergency_outranks_doctor_and_names_both_signs():
    tracker = tracker_for("fever and chest pain", "report_symptom", [
        sign("fever", "fever", "a fever", "doctor"),
        sign("chest pain", "chest_pain", "chest pain", "emergency"),
    ])
    messages, _ = run(ActionSafetyResponse(), tracker)
    assert len(messages) == 1
    assert messages[0]["text"].startswith(f"🚨 Call {CLINIC.emergency_number} now")
    assert "a fever and chest pain" in messages[0]["text"]


def test_doctor_message_gives_phone_hours_and_when_to_call_the_emergency_number():
    tracker = tracker_for("temp of 101 and red", "report_symptom", [
        sign("temp of 101", "fever", "a temperature of 101 °F", "doctor"),
        sign("red", "site_redness", "redness at the injection site", "doctor"),
    ])
    messages, _ = run(ActionSafetyResponse(), tracker)
    first, second = (m["text"] for m in messages)
    assert CLINIC.phone in first and CLINIC.opening_hours in first
    assert "a temperature of 101 °F and redness at the injection site" in first
    assert second.startswith(f"Call {CLINIC.emergency_number} now instead")


def test_sign_in_another_person_gets_the_same_guidance_addressed_to_the_helper():
    tracker = tracker_for("my husband has a fever", "report_symptom",
                          [sign("fever", "fever", "a fever", "doctor", rule="other_person")])
    messages, _ = run(ActionSafetyResponse(), tracker)
    assert messages[0]["text"].startswith("⚠️ Please help them contact")
    assert CLINIC.phone in messages[0]["text"]


def test_emergency_in_another_person_says_they_need_care():
    tracker = tracker_for("my wife can't breathe", "report_symptom",
                          [sign("can't breathe", "breathing_difficulty", "trouble breathing",
                                "emergency", rule="other_person")])
    messages, _ = run(ActionSafetyResponse(), tracker)
    [text] = [m["text"] for m in messages]
    assert text.startswith(f"🚨 Call {CLINIC.emergency_number} now.")
    assert "trouble breathing" in text and "They need care right away." in text
    assert CLINIC.phone in text


def test_hypothetical_question_gets_the_full_warning_sign_answer():
    tracker = tracker_for("what if i get a fever?", "ask_aftercare", [
        sign("fever", "fever", "a fever", "doctor", rule="hypothetical", entity="safety_info"),
    ])
    messages, _ = run(ActionSafetyResponse(), tracker)
    assert [m["response"] for m in messages] == [
        "utter_ask_when_to_call_doctor", "utter_ask_when_to_call_doctor_more",
    ]


def test_expected_effect_is_reassured_with_what_would_change_it():
    tracker = tracker_for("a bit sore today", "report_symptom", [
        sign("sore", "site_soreness", "soreness at the injection site", "expected",
             rule="expected", entity="expected_effect"),
    ])
    messages, _ = run(ActionSafetyResponse(), tracker)
    text = messages[0]["text"]
    assert "100.4 °F (38 °C)" in text and CLINIC.phone in text
    assert text.startswith("Feeling sore where you had the shot can last a few days.")


def test_catch_all_symptom_escalates_to_doctor_when_the_detector_found_nothing():
    tracker = tracker_for("my elbow feels strange since the shot", "report_symptom", [])
    messages, _ = run(ActionSafetyResponse(), tracker)
    assert "a new or unexplained symptom" in messages[0]["text"]
    assert CLINIC.phone in messages[0]["text"]
