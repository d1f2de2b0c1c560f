"""action_fallback_answer: the reply when the intent model is not sure enough of one topic.

When the model hesitated between two topics of the clinic pages (rasa_components/close_topics.py
put them under `close_topics`), the patient gets a short line saying so and both answers, each in
full (the same responses its own rule gives), then the topic buttons. When one of the two is a
reading as a question about the patient's own case, its reply comes first (it points to the
doctor), then "Here are the general facts on this:" and the topic's answer. Not after a safety reply
that escalates, and not the warning-sign list twice (see `close_topics_to_answer`); otherwise the
"not sure" reply with the topic buttons, as before.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from rasa_components.parse_keys import CLOSE_TOPICS_KEY, PERSONAL_INTENT
from safety.turn import assess_turn, topics_to_answer

TWO_TOPICS_INTRO = "utter_two_topics"
TWO_TOPICS_BUTTONS = "utter_two_topics_more"
NOT_SURE = "utter_default"
# between a topic and a question about one's own case: after the personal reply, the topic's facts
PERSONAL_INTRO = "utter_personal_general_facts"
# The responses this action utters by name (no rule names them: tests/test_data_validate.py).
UTTERED_RESPONSES = (TWO_TOPICS_INTRO, TWO_TOPICS_BUTTONS, NOT_SURE, PERSONAL_INTRO)


def topic_responses(topic: str, responses: dict[str, Any]) -> list[str]:
    """A topic's answer as its rule gives it: `utter_<intent>`, then `utter_<intent>_more`."""
    return [name for name in (f"utter_{topic}", f"utter_{topic}_more") if name in responses]


class ActionFallbackAnswer(Action):
    def name(self) -> str:
        return "action_fallback_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        responses = domain.get("responses") or {}
        latest = tracker.latest_message or {}
        topics = close_topics_to_answer(latest)
        answers = [topic_responses(topic, responses) for topic in topics]
        if not answers or not all(answers):
            dispatcher.utter_message(response=NOT_SURE)
            return []
        if PERSONAL_INTENT in topics and len(topics) == 2:
            # the reply to a question about one's own case first (it points to the doctor), then
            # the other topic's general facts
            personal = topics.index(PERSONAL_INTENT)
            answers = [answers[personal], [PERSONAL_INTRO], answers[1 - personal]]
        elif len(answers) == 2:
            dispatcher.utter_message(response=TWO_TOPICS_INTRO)
        for name in (name for names in answers for name in names):
            dispatcher.utter_message(response=name)
        dispatcher.utter_message(response=TWO_TOPICS_BUTTONS)
        return []


def close_topics_to_answer(latest: dict[str, Any]) -> list[str]:
    """The close topics still worth answering after this turn's safety reply
    (safety.turn.topics_to_answer)."""
    return topics_to_answer(assess_turn(latest), list(latest.get(CLOSE_TOPICS_KEY) or [])[:2])
