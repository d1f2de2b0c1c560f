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
    "utter_ask_when_to_call_doctor", "utter_second_topic", "utter_personal_general_facts",
    "utter_ask_medicines", "utter_ask_medicines_more")}


def test_the_action_gives_the_line_then_the_second_whole_answer():
    latest = {"intent": {"name": "ask_duration"}, "second_topic": "ask_effectiveness"}
    assert action_reply(latest, RESPONSES) == [
        "utter_second_topic", "utter_ask_effectiveness", "utter_ask_effectiveness_more"]
    assert action_reply({"intent": {"name": "ask_duration"}}, RESPONSES) == []
    unknown = {**latest, "second_topic": "ask_unknown"}
    assert action_reply(unknown, RESPONSES) == []


def test_after_a_personal_question_the_line_says_these_are_general_facts():
    latest = {"intent": {"name": "ask_medical_advice"}, "second_topic": "ask_medicines"}
    assert action_reply(latest, RESPONSES) == [
        "utter_personal_general_facts", "utter_ask_medicines", "utter_ask_medicines_more"]


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


# Questions about one's own case, written for this test (none from a development or frozen set).
# Whatever the served model makes of each, a personal reading with a topic likely too (or a
# hesitation between the two) must give the personal reply, then "general facts", then that
# topic's answer, and no second pointer to the doctor; at least one must be read so.
PERSONAL_QUESTIONS = [
    "I'm on insulin for my diabetes, is the steroid in these going to be a problem for me?",
    "my mum is 88 and on blood thinners, is it safe for her to have the injections?",
    "I had a reaction to a numbing shot at the dentist once, should I still get these?",
    "I'm pregnant, is the medicine they inject safe for my baby?",
    "I've got a pacemaker, can I still have trigger point injections?",
    "with my epilepsy, is the numbing medicine a risk for me?",
]
GENERAL_FACTS = "general facts on this"
POINTER = "For your own case, ask your doctor"


def test_a_personal_question_gets_the_general_facts_of_its_topic_through_rest(servers):
    from rasa.shared.core.domain import Domain

    responses = Domain.load(str(ROOT / "domain")).as_dict()["responses"]
    personal_opening = answer_opening("ask_medical_advice", "en", responses)
    with_facts = 0
    for n, text in enumerate(PERSONAL_QUESTIONS):
        sender = f"personal-facts-{n}"
        servers.send(sender, "hello")
        reply = "\n".join(m.get("text") or "" for m in servers.send(sender, text))
        parse = [e for e in servers.tracker(sender)["events"]
                 if e["event"] == "user"][-1]["parse_data"]
        close = parse.get("close_topics") or []
        if parse["intent"]["name"] == "ask_medical_advice" and parse.get("second_topic"):
            topic = parse["second_topic"]  # read as personal, a topic likely too
        elif "ask_medical_advice" in close:  # the model hesitated between the two
            topic = next(name for name in close if name != "ask_medical_advice")
        else:
            assert GENERAL_FACTS not in reply, (text, reply)
            continue
        with_facts += 1
        personal_at = reply.find(personal_opening)
        intro_at = reply.find(GENERAL_FACTS)
        topic_at = reply.find(answer_opening(topic, "en", responses))
        assert -1 < personal_at < intro_at < topic_at, (text, parse["intent_ranking"][:3], reply)
        assert POINTER not in reply and INTRO["en"] not in reply, reply
    assert with_facts, "the served model read none of them as personal beside a topic"


def test_a_follow_up_after_two_answers_is_about_the_first_topic():
    """The model's own topic stays the topic in play (rasa_components/follow_up.py); after a
    personal reading, the topic whose facts followed it."""
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from rasa_components.follow_up import topic_in_play

    tracker = DialogueStateTracker("p", slots=[])
    tracker.update(UserUttered("how long is the visit and when does it work",
                               {"name": "ask_duration", "confidence": 0.6},
                               parse_data={"second_topic": "ask_effectiveness"}))
    assert topic_in_play(tracker) == "ask_duration"
    # the personal-advice reply names no topic; the general facts given after it do
    personal = DialogueStateTracker("p", slots=[])
    personal.update(UserUttered("I'm diabetic, is the steroid in it ok for me?",
                                {"name": "ask_medical_advice", "confidence": 0.6},
                                parse_data={"second_topic": "ask_medicines"}))
    assert topic_in_play(personal) == "ask_medicines"
    alone = DialogueStateTracker("q", slots=[])
    alone.update(UserUttered("should I have them?", {"name": "ask_medical_advice",
                                                     "confidence": 0.9}, parse_data={}))
    assert topic_in_play(alone) is None


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


# (a second topic whose answer does not name the doctor, so that only the personal reply's guard
# keeps the pointer away)
PERSONAL = {"text": "I'm diabetic, what are trigger points in my case?",
            "intent": {"name": "ask_medical_advice", "confidence": 0.6},
            "second_topic": "ask_trigger_points", "entities": []}


def test_the_general_facts_follow_the_reply_to_a_personal_question_and_no_second_pointer():
    from rasa.core.policies.policy import PolicyPrediction
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from rasa_components.safety_first_policy import SafetyFirstRulePolicy
    from safety.turn import assess_turn

    assert policy_step(PERSONAL, ["utter_ask_medical_advice"])
    assert not policy_step(PERSONAL, ["utter_ask_medical_advice", "action_second_answer"])
    # the personal-advice reply names the doctor: no pointer after the facts that follow it
    domain = _domain()
    tracker = DialogueStateTracker("p", slots=[])
    tracker.update(UserUttered(PERSONAL["text"], PERSONAL["intent"], parse_data=PERSONAL))
    done = ["utter_ask_medical_advice", "action_second_answer"]
    for name in done:
        tracker.update(ActionExecuted(name))
    listen = [0.0] * len(domain.action_names_or_texts)
    listen[domain.index_for_action("action_listen")] = 1.0
    assert not SafetyFirstRulePolicy._personal_pointer_due(
        tracker, done, assess_turn(PERSONAL), PolicyPrediction(listen, "rules"), domain)
    # nor after the fallback action's reply between a topic and a personal reading
    hesitant = {**PERSONAL, "intent": {"name": "nlu_fallback", "confidence": 0.4},
                "second_topic": None, "close_topics": ["ask_medical_advice", "ask_risks"]}
    both = DialogueStateTracker("r", slots=[])
    both.update(UserUttered(hesitant["text"], hesitant["intent"], parse_data=hesitant))
    both.update(ActionExecuted("action_fallback_answer"))
    assert not SafetyFirstRulePolicy._personal_pointer_due(
        both, ["action_fallback_answer"], assess_turn(hesitant),
        PolicyPrediction(listen, "rules"), domain)
    # while a topic's answer that does not name the doctor still gets it
    topic = {**PERSONAL, "intent": {"name": "ask_trigger_points", "confidence": 0.8},
             "second_topic": None}
    other = DialogueStateTracker("q", slots=[])
    other.update(UserUttered(topic["text"], topic["intent"], parse_data=topic))
    other.update(ActionExecuted("utter_ask_trigger_points"))
    assert SafetyFirstRulePolicy._personal_pointer_due(
        other, ["utter_ask_trigger_points"], assess_turn(topic),
        PolicyPrediction(listen, "rules"), domain)


def test_the_policy_adds_nothing_after_an_escalation_nor_the_warning_list_twice():
    sign = {"entity": "warning_sign", "value": "can't breathe", "sign": "breathing_difficulty",
            "label": "trouble breathing", "level": "emergency", "rule": "present"}
    done = ["action_safety_response", "utter_ask_repeat_injections"]
    assert not policy_step({**ASKED, "entities": [sign]}, done)
    info = {**sign, "entity": "safety_info", "level": "info", "rule": "hypothetical"}
    listed = {**ASKED, "entities": [info], "second_topic": "ask_when_to_call_doctor"}
    assert not policy_step(listed, done)
    assert policy_step({**listed, "second_topic": "ask_duration"}, done)
