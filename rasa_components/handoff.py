"""What the dialogue policy needs to know about handoffs to a person (docs/handoff.md).

Who has the conversation (the `handoff_by` slot, set by staff through Rasa's HTTP API), whether
the clinic is open when a patient asks for a person, and whether the patient's message answers
the out-of-hours offer to leave a message. Pure functions of the tracker's events, so the Rasa
server decides it all without the action server.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)

logger = logging.getLogger(__name__)

SLOT_HANDOFF = "handoff_by"
SLOT_PERSON_REQUESTED = "person_requested"
INTENT_REQUEST_HUMAN = "request_human"
IN_HOURS = "in_hours"  # person_requested values: the console's queue reads them
MESSAGE = "message"

UTTER_IN_HOURS = "utter_request_human_in_hours"
UTTER_OUT_OF_HOURS = "utter_request_human_out_of_hours"
UTTER_MESSAGE_LEFT = "utter_message_left"
PERSON_ACTIONS = (UTTER_IN_HOURS, UTTER_OUT_OF_HOURS, UTTER_MESSAGE_LEFT)

STAFF_METADATA_KEY = "staff"  # a bot event with it is a staff member's reply (console/rasa_api.py)


def clinic_open(events: Sequence[Event]) -> bool:
    """Whether the clinic is open now, by the clinic profile's hours (or CLINIC_NOW).

    Training data has no sessions and no clock: it is read as within the hours, so the rules are
    the same whenever the model is trained. A profile that cannot be read counts as closed: the
    patient then gets the phone, the hours and the emergency number rather than a promise that
    someone will answer.
    """
    if not any(isinstance(event, SessionStarted) for event in events):
        return True
    try:
        from clinic import load_profile

        return load_profile().is_open()
    except Exception as error:  # noqa: BLE001 - never let the clock break a reply
        logger.error("clinic profile hours not readable (%s): answering as closed",
                     type(error).__name__)
        return False


def is_staff_reply(event: Event) -> bool:
    return isinstance(event, BotUttered) and bool((event.metadata or {}).get(STAFF_METADATA_KEY))


def answers_message_offer(history: Sequence[Event]) -> bool:
    """True when the latest user message (history[-1]) came right after the out-of-hours offer,
    in the same session, with no handoff change or staff reply in between."""
    for event in reversed(history[:-1]):
        if isinstance(event, ActionExecuted):
            if event.action_name == ACTION_LISTEN_NAME:
                continue
            return event.action_name == UTTER_OUT_OF_HOURS
        if isinstance(event, (UserUttered, SessionStarted)) or is_staff_reply(event):
            return False
        if isinstance(event, SlotSet) and event.key == SLOT_HANDOFF:
            return False
    return False
