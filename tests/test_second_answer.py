"""A question the model is sure of, with a second topic it finds likely too, gets both answers:
its own topic's first, then a short line and the second's (rasa_components/close_topics.py,
rasa_components/safety_first_policy.py, actions/second_answer.py)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from actions.second_answer import ActionSecondAnswer
from tests.test_close_topics import action_reply as close_topics_action_reply
from tests.test_close_topics import answer_opening

ROOT = Path(__file__).resolve().parents[1]
INTRO = {"en": "may also be about this", "es": "también puede ser sobre esto"}


def action_reply(latest: dict, responses: dict) -> list[str]:
    return close_topics_action_reply(latest, responses, ActionSecondAnswer())


RESPONSES = {name: [{"text": name}] for name in (
    "utter_ask_duration", "utter_ask_effectiveness", "utter_ask_effectiveness_more",
    "utter_ask_when_to_call_doctor", "utter_second_topic")}


def test_the_action_gives_the_line_then_the_second_whole_answer():
    latest = {"intent": {"name": "ask_duration"}, "second_topic": "ask_effectiveness"}
    assert action_reply(latest, RESPONSES) == [
        "utter_second_topic", "utter_ask_effectiveness", "utter_ask_effectiveness_more"]
    assert action_reply({"intent": {"name": "ask_duration"}}, RESPONSES) == []
    unknown = {**latest, "second_topic": "ask_unknown"}
    assert action_reply(unknown, RESPONSES) == []


def test_nothing_after_an_escalation_and_no_warning_list_twice():
    sign = {"entity": "warning_sign", "value": "can't breathe", "sign": "breathing_difficulty",
            "label": "trouble breathing", "level": "emergency", "rule": "present"}
    escalated = {"intent": {"name": "ask_duration"}, "entities": [sign],
                 "second_topic": "ask_effectiveness"}
    assert action_reply(escalated, RESPONSES) == []
    asked = {**sign, "entity": "safety_info", "level": "info", "rule": "hypothetical"}
    info = {"intent": {"name": "ask_duration"}, "entities": [asked],
            "second_topic": "ask_when_to_call_doctor"}
    assert action_reply(info, RESPONSES) == []


# Questions that sit between two topics, written for this test. Whatever the served model makes
# of each, the reply must follow its reading: with a second topic, the model's topic's answer,
# then the line, then the second's; without one, no line. At least one must get a second topic.
BETWEEN_TWO = [
    ("en", "how long until the shots start working and how long is the visit?"),
    ("en", "what's in the injection, and is it risky?"),
    ("en", "does it hurt and how long does the soreness last?"),
    ("en", "what do trigger point shots treat and do they work for most people?"),
    ("en", "can I exercise after the shot or do I need to rest and ice it?"),
    ("en", "how many shots will I need and how long does each one help?"),
    ("es", "¿qué medicina lleva la inyección y tiene riesgos?"),
    ("es", "¿cuánto tarda en hacer efecto y cuántas veces me la tienen que poner?"),
]


def test_a_likely_second_topic_is_answered_after_the_first_through_rest(servers):
    from rasa.shared.core.domain import Domain

    responses = Domain.load(str(ROOT / "domain")).as_dict()["responses"]
    with_second = 0
    for n, (language, text) in enumerate(BETWEEN_TWO):
        sender = f"second-topic-{n}"
        servers.send(sender, "hola" if language == "es" else "hello")
        reply = "\n".join(m.get("text") or "" for m in servers.send(sender, text))
        parse = [e for e in servers.tracker(sender)["events"]
                 if e["event"] == "user"][-1]["parse_data"]
        second, intent = parse.get("second_topic"), parse["intent"]["name"]
        if not second:
            assert INTRO[language] not in reply, (text, reply)
            continue
        with_second += 1
        first_at = reply.find(answer_opening(intent, language, responses))
        intro_at = reply.find(INTRO[language])
        second_at = reply.find(answer_opening(second, language, responses))
        assert -1 < first_at < intro_at < second_at, (text, parse["intent_ranking"][:3], reply)
    assert with_second, "the served model gave no second topic: find questions it splits"


def test_a_follow_up_after_two_answers_is_about_the_first_topic():
    """The model's own topic stays the topic in play (rasa_components/follow_up.py)."""
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from rasa_components.follow_up import topic_in_play

    tracker = DialogueStateTracker("p", slots=[])
    tracker.update(UserUttered("how long is the visit and when does it work",
                               {"name": "ask_duration", "confidence": 0.6},
                               parse_data={"second_topic": "ask_effectiveness"}))
    assert topic_in_play(tracker) == "ask_duration"


@cache
def _domain():
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain"))


def policy_step(parse_data: dict, done: list[str], next_action: str = "action_listen") -> bool:
    """Would the policy give the second answer now? (step 6 of rasa_components/
    safety_first_policy.py, after the rules predicted `next_action`)"""
    from rasa.core.policies.policy import PolicyPrediction
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from rasa_components.safety_first_policy import SafetyFirstRulePolicy
    from safety.turn import assess_turn

    domain = _domain()
    tracker = DialogueStateTracker("p", slots=[])
    tracker.update(UserUttered(parse_data["text"], parse_data["intent"], parse_data=parse_data))
    for name in done:
        tracker.update(ActionExecuted(name))
    probabilities = [0.0] * len(domain.action_names_or_texts)
    probabilities[domain.index_for_action(next_action)] = 1.0
    return SafetyFirstRulePolicy._second_answer_due(
        tracker, done, assess_turn(parse_data), PolicyPrediction(probabilities, "rules"), domain)


ASKED = {"text": "how many shots, and how long is each visit?",
         "intent": {"name": "ask_repeat_injections", "confidence": 0.6},
         "second_topic": "ask_duration", "entities": []}


def test_the_policy_adds_the_second_answer_once_after_the_first_whole_answer():
    assert policy_step(ASKED, ["utter_ask_repeat_injections"])
    assert not policy_step(ASKED, ["utter_ask_repeat_injections"], "utter_ask_duration"), \
        "the rules have not finished the first answer"
    assert not policy_step(ASKED, []), "no answer of the model's topic yet"
    assert not policy_step(ASKED, ["utter_ask_repeat_injections", "action_second_answer"])
    assert not policy_step({**ASKED, "second_topic": None}, ["utter_ask_repeat_injections"])


def test_the_policy_adds_nothing_after_an_escalation_nor_the_warning_list_twice():
    sign = {"entity": "warning_sign", "value": "can't breathe", "sign": "breathing_difficulty",
            "label": "trouble breathing", "level": "emergency", "rule": "present"}
    done = ["action_safety_response", "utter_ask_repeat_injections"]
    assert not policy_step({**ASKED, "entities": [sign]}, done)
    info = {**sign, "entity": "safety_info", "level": "info", "rule": "hypothetical"}
    listed = {**ASKED, "entities": [info], "second_topic": "ask_when_to_call_doctor"}
    assert not policy_step(listed, done)
    assert policy_step({**listed, "second_topic": "ask_duration"}, done)
