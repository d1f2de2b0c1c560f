"""A question the model hesitates over between two topics gets both answers, not "not sure"
(rasa_components/close_topics.py, actions/fallback_answer.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.shared.nlu.training_data.message import Message
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback_answer import ActionFallbackAnswer
from rasa_components.close_topics import CloseTopicsResolver
from rasa_components.follow_up import TOPICS, topic_in_play

ROOT = Path(__file__).resolve().parents[1]


def resolver(**config):
    return CloseTopicsResolver.create({**CloseTopicsResolver.get_default_config(), **config},
                                      None, None, ExecutionContext(None))


def hesitant(*ranking: tuple[str, float], intent: str = "nlu_fallback") -> Message:
    message = Message(data={"text": "a question"})
    message.set("intent", {"name": intent, "confidence": 0.4})
    message.set("intent_ranking", [{"name": "nlu_fallback", "confidence": 0.4}]
                + [{"name": name, "confidence": p} for name, p in ranking])
    return message


def test_two_close_topics_are_kept_for_the_fallback_action():
    message = hesitant(("ask_duration", 0.33), ("ask_procedure", 0.31), ("ask_risks", 0.1))
    resolver().process([message])
    assert message.get("close_topics") == ["ask_duration", "ask_procedure"]
    assert message.get("intent")["name"] == "nlu_fallback", "the fallback rule still answers"


@pytest.mark.parametrize("ranking", [
    [("ask_risks", 0.38), ("ask_medical_advice", 0.33)],
    [("ask_medical_advice", 0.38), ("ask_risks", 0.33)],
])
def test_a_topic_beside_a_personal_reading_is_kept_too(ranking):
    message = hesitant(*ranking)
    resolver().process([message])
    assert message.get("close_topics") == [name for name, _ in ranking]


@pytest.mark.parametrize("ranking, intent", [
    ([("ask_medical_advice", 0.38), ("greet", 0.33)], "nlu_fallback"),  # no topic beside it
    ([("ask_duration", 0.45), ("ask_procedure", 0.4)], "ask_duration"),  # the model decided
    ([("report_symptom", 0.35), ("ask_procedure", 0.33)], "nlu_fallback"),  # not a topic
    ([("ask_duration", 0.3), ("follow_up", 0.28)], "nlu_fallback"),  # a follow-up
    ([("ask_duration", 0.2), ("ask_procedure", 0.18)], "nlu_fallback"),  # neither likely enough
    ([("ask_duration", 0.5), ("ask_procedure", 0.1)], "nlu_fallback"),  # the second too unlikely
    ([("ask_duration", 0.5)], "nlu_fallback"),
])
def test_otherwise_the_not_sure_reply_stays(ranking, intent):
    message = hesitant(*ranking, intent=intent)
    resolver().process([message])
    assert message.get("close_topics") is None


@pytest.mark.parametrize("ranking, intent, second", [
    # the model is sure of its topic and finds a second one likely too
    ([("ask_duration", 0.55), ("ask_effectiveness", 0.3)], "ask_duration", "ask_effectiveness"),
    ([("ask_duration", 0.7), ("ask_effectiveness", 0.25)], "ask_duration", "ask_effectiveness"),
    ([("ask_duration", 0.75), ("ask_effectiveness", 0.2)], "ask_duration", None),  # too unlikely
    ([("ask_duration", 0.6), ("follow_up", 0.3)], "ask_duration", None),  # not a topic
    ([("greet", 0.6), ("ask_duration", 0.3)], "greet", None),  # not a question of the pages
    ([("ask_duration", 0.9)], "ask_duration", None),
    # a question about the patient's own case: its likeliest topic's general facts after it
    ([("ask_medical_advice", 0.55), ("ask_medicines", 0.3)], "ask_medical_advice",
     "ask_medicines"),
    ([("ask_medical_advice", 0.75), ("ask_medicines", 0.2)], "ask_medical_advice", None),
    ([("ask_medical_advice", 0.6), ("request_human", 0.3)], "ask_medical_advice", None),
])
def test_a_second_topic_likely_enough_is_kept_beside_the_intent(ranking, intent, second):
    message = hesitant(*ranking, intent=intent)
    resolver().process([message])
    assert message.get("second_topic") == second
    assert message.get("intent")["name"] == intent, "the rules still answer the model's topic"
    assert message.get("close_topics") is None


def test_no_second_topic_for_a_follow_up_or_a_hesitation():
    # resolved to the topic in play, which was also the model's first topic
    follow_up = hesitant(("ask_duration", 0.45), ("ask_effectiveness", 0.3), intent="ask_duration")
    follow_up.set("follow_up", {"topic": "ask_duration", "model_intent": {"name": "ask_duration"}})
    hesitation = hesitant(("ask_duration", 0.36), ("ask_procedure", 0.3))
    resolver().process([follow_up, hesitation])
    assert follow_up.get("second_topic") is None
    assert hesitation.get("second_topic") is None
    assert hesitation.get("close_topics") == ["ask_duration", "ask_procedure"]


def test_the_thresholds_must_make_sense():
    with pytest.raises(ValueError):
        resolver(first=0.1, second=0.2)
    with pytest.raises(ValueError):
        resolver(second=0)
    with pytest.raises(ValueError):
        resolver(also=0.5)  # the second of two topics is never above one half


def action_reply(latest: dict, responses: dict, action: Action | None = None) -> list[str]:
    """The responses a custom action utters for the latest message (the fallback's by default)."""
    tracker = Tracker.from_dict({"sender_id": "p", "slots": {}, "latest_message": latest,
                                 "events": [], "paused": False, "followup_action": None,
                                 "active_loop": {}, "latest_action_name": "action_listen"})
    dispatcher = CollectingDispatcher()
    asyncio.run((action or ActionFallbackAnswer()).run(dispatcher, tracker,
                                                       {"responses": responses}))
    return [m["response"] for m in dispatcher.messages]


def test_the_action_gives_both_whole_answers_then_the_topic_buttons():
    responses = {name: [{"text": name}] for name in (
        "utter_ask_duration", "utter_ask_procedure", "utter_ask_procedure_more",
        "utter_default", "utter_two_topics", "utter_two_topics_more")}
    latest = {"intent": {"name": "nlu_fallback"},
              "close_topics": ["ask_duration", "ask_procedure"]}
    assert action_reply(latest, responses) == [
        "utter_two_topics", "utter_ask_duration", "utter_ask_procedure",
        "utter_ask_procedure_more", "utter_two_topics_more"]
    assert action_reply({"intent": {"name": "nlu_fallback"}}, responses) == ["utter_default"]
    unknown = {**latest, "close_topics": ["ask_duration", "ask_unknown"]}
    assert action_reply(unknown, responses) == ["utter_default"]


def test_between_a_topic_and_a_personal_reading_the_personal_reply_comes_first():
    responses = {name: [{"text": name}] for name in (
        "utter_ask_risks", "utter_ask_risks_more", "utter_ask_medical_advice",
        "utter_personal_general_facts", "utter_default", "utter_two_topics",
        "utter_two_topics_more")}
    for close in (["ask_risks", "ask_medical_advice"], ["ask_medical_advice", "ask_risks"]):
        latest = {"intent": {"name": "nlu_fallback"}, "close_topics": close}
        assert action_reply(latest, responses) == [
            "utter_ask_medical_advice", "utter_personal_general_facts", "utter_ask_risks",
            "utter_ask_risks_more", "utter_two_topics_more"]


def test_a_personal_reading_whose_topic_is_the_warning_list_just_given_stays_alone():
    """After a safety reply that listed the warning signs (INFO), the when-to-call answer is not
    given again: the personal reply then comes alone, without "general facts" and nothing."""
    responses = {name: [{"text": name}] for name in (
        "utter_ask_when_to_call_doctor", "utter_ask_medical_advice",
        "utter_personal_general_facts", "utter_default", "utter_two_topics",
        "utter_two_topics_more")}
    asked = {"entity": "safety_info", "value": "fever", "sign": "fever", "label": "fever",
             "level": "info", "rule": "hypothetical"}
    for close in (["ask_medical_advice", "ask_when_to_call_doctor"],
                  ["ask_when_to_call_doctor", "ask_medical_advice"]):
        latest = {"intent": {"name": "nlu_fallback"}, "entities": [asked], "close_topics": close}
        assert action_reply(latest, responses) == [
            "utter_ask_medical_advice", "utter_two_topics_more"]


def test_no_topic_answers_after_an_escalation_and_no_warning_list_twice():
    responses = {name: [{"text": name}] for name in (
        "utter_ask_duration", "utter_ask_when_to_call_doctor", "utter_ask_procedure",
        "utter_default", "utter_two_topics", "utter_two_topics_more")}
    sign = {"entity": "warning_sign", "value": "can't breathe", "sign": "breathing_difficulty",
            "label": "trouble breathing", "level": "emergency", "rule": "present"}
    escalated = {"intent": {"name": "nlu_fallback"}, "entities": [sign],
                 "close_topics": ["ask_duration", "ask_procedure"]}
    assert action_reply(escalated, responses) == ["utter_default"]
    asked = {**sign, "entity": "safety_info", "level": "info", "rule": "hypothetical"}
    info = {"intent": {"name": "nlu_fallback"}, "entities": [asked],
            "close_topics": ["ask_when_to_call_doctor", "ask_duration"]}
    assert action_reply(info, responses) == ["utter_ask_duration", "utter_two_topics_more"]


def test_every_topic_has_an_answer_the_action_can_give():
    from rasa.shared.core.domain import Domain

    from actions.fallback_answer import topic_responses

    responses = Domain.load(str(ROOT / "domain")).as_dict()["responses"]
    assert all(topic_responses(topic, responses) for topic in TOPICS)


def test_the_first_of_two_topics_is_in_play_for_a_follow_up():
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker("p", slots=[])
    tracker.update(UserUttered("how long is all that", {"name": "nlu_fallback"},
                               parse_data={"close_topics": ["ask_duration", "ask_procedure"]}))
    assert topic_in_play(tracker) == "ask_duration"
    escalated = DialogueStateTracker("p", slots=[])
    escalated.update(UserUttered("how long? and I can't breathe", {"name": "nlu_fallback"},
                                 entities=[{"entity": "warning_sign", "level": "emergency",
                                            "value": "can't breathe"}],
                                 parse_data={"close_topics": ["ask_duration", "ask_procedure"]}))
    assert topic_in_play(escalated) is None, "no topic answer was given after the 911 reply"
    personal = DialogueStateTracker("p", slots=[])
    personal.update(UserUttered(
        "my mum is on thinners, is it safe for her", {"name": "nlu_fallback"},
        parse_data={"close_topics": ["ask_medical_advice", "ask_risks"]}))
    assert topic_in_play(personal) == "ask_risks", "the topic beside the personal reading"


# Two questions of two topics in one message: the model often splits between them. Written for
# this test; whichever the model decides, the patient must get the answer to one of the two, and
# where it hesitates, both answers (the served model must hesitate over at least one of them).
TWO_QUESTIONS = [
    ("en", "how long does the appointment take? what medicine is in the shot?",
     ("ask_duration", "ask_medicines")),
    ("en", "can I drive home after? what should I do to get ready?",
     ("ask_activity_after", "ask_preparation")),
    ("en", "what medicine is in the shot? do I stop my blood thinner?",
     ("ask_medicines", "ask_stop_medication")),
    ("en", "how long does the appointment take? does the shot hurt?",
     ("ask_duration", "ask_pain_during")),
    ("es", "¿cuánto dura la cita? ¿qué medicina lleva la inyección?",
     ("ask_duration", "ask_medicines")),
    ("es", "¿cuánto dura la cita? ¿duele la inyección?", ("ask_duration", "ask_pain_during")),
    ("es", "¿qué medicina lleva la inyección? ¿tengo que dejar mi anticoagulante?",
     ("ask_medicines", "ask_stop_medication")),
    ("es", "¿puedo manejar después? ¿cómo me preparo?", ("ask_activity_after", "ask_preparation")),
]


def answer_opening(topic: str, language: str, responses: dict) -> str:
    """The first words of a topic's answer in a language, before any clinic detail."""
    variations = responses[f"utter_{topic}"]
    spanish = [v for v in variations if v.get("condition")]
    text = (spanish if language == "es" else [v for v in variations if not v.get("condition")])
    return text[0]["text"].split("{")[0][:40]


def test_a_hesitant_question_gets_both_answers_through_rest(servers):
    from rasa.shared.core.domain import Domain

    responses = Domain.load(str(ROOT / "domain")).as_dict()["responses"]
    intro = {"en": "here are both answers", "es": "aquí están las dos respuestas"}
    hesitated = 0
    for n, (language, text, topics) in enumerate(TWO_QUESTIONS):
        sender = f"two-topics-{n}"
        servers.send(sender, "hola" if language == "es" else "hello")
        reply = "\n".join(m.get("text") or "" for m in servers.send(sender, text))
        users = [e for e in servers.tracker(sender)["events"] if e["event"] == "user"]
        close = users[-1]["parse_data"].get("close_topics")
        answered = [t for t in topics if answer_opening(t, language, responses) in reply]
        assert answered, (text, reply)
        if close:
            hesitated += 1
            assert intro[language] in reply
            assert all(answer_opening(t, language, responses) in reply for t in close), reply
    assert hesitated, "the served model decided every one: find messages it hesitates over"
