"""action_second_answer: after a topic's answer, the answer of a second topic the model also found
likely (rasa_components/close_topics.py put it under `second_topic`); after the reply to a
question about the patient's own case, which points to the doctor, that topic's general facts.

The dialogue policy runs it once the rules have answered the model's own topic
(rasa_components/safety_first_policy.py); it gives a short line saying so and the second topic's
whole answer. Nothing after a safety reply that escalates, and not the warning-sign list when the
safety reply has just given it (the same limits as the two-topics answer).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback_answer import PERSONAL_INTRO, topic_responses
from rasa_components.parse_keys import PERSONAL_INTENT, SECOND_TOPIC_KEY
from safety.turn import assess_turn, topics_to_answer

SECOND_TOPIC_INTRO = "utter_second_topic"
# The responses this action utters by name (no rule names them: tests/test_data_validate.py).
UTTERED_RESPONSES = (SECOND_TOPIC_INTRO, PERSONAL_INTRO)


class ActionSecondAnswer(Action):
    def name(self) -> str:
        return "action_second_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        latest = tracker.latest_message or {}
        topic = latest.get(SECOND_TOPIC_KEY)
        if not topic:
            return []
        if not topics_to_answer(assess_turn(latest), [topic]):  # the safety reply's limits
            return []
        names = topic_responses(topic, domain.get("responses") or {})
        if names:
            personal = (latest.get("intent") or {}).get("name") == PERSONAL_INTENT
            dispatcher.utter_message(response=PERSONAL_INTRO if personal else SECOND_TOPIC_INTRO)
            for name in names:
                dispatcher.utter_message(response=name)
        return []
