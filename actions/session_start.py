"""action_session_start: a new conversation, and a request for the welcome line.

The welcome itself is sent by the Rasa server (utter_welcome) after any emergency message, so an
emergency is never preceded by anything. The slot only asks for it.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return [SessionStarted(), SlotSet("welcome_due", True), ActionExecuted("action_listen")]
