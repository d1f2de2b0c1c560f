"""action_safety_response: what the patient is told when a message mentions a warning sign.

The SafetyFirstRulePolicy runs it before anything else in the turn (and has already recorded
escalation_level / warning_signs). Clearing `safety_reply_pending` tells the policy it succeeded;
if this action fails, the Rasa server sends its static safe reply instead.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safety_messages import safety_messages
from clinic import load_profile
from safety.levels import INFO
from safety.turn import assess_turn

WARNING_SIGNS_ANSWER = ("utter_ask_when_to_call_doctor", "utter_ask_when_to_call_doctor_more")


class ActionSafetyResponse(Action):
    def name(self) -> str:
        return "action_safety_response"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = assess_turn(tracker.latest_message)
        if turn.level == INFO:
            for response in WARNING_SIGNS_ANSWER:
                dispatcher.utter_message(response=response)
        else:
            language = "es" if tracker.get_slot("language") == "es" else "en"
            for text in safety_messages(turn, load_profile(), language):
                dispatcher.utter_message(text=text)
        return [SlotSet("safety_reply_pending", False)]
