"""What the dialogue policy needs to know about a patient's data rights (docs/data-rights.md, 2.1).

A patient who asks to delete their conversation gets a confirmation question; a yes right after
it (the button, or typed) makes the policy listen with `erasure_confirmed` set, and the tracker
store then deletes the conversation instead of saving the message (serving/tracker_store.py).
Pure functions of the tracker's events, as for handoffs (handoff.py): the Rasa server decides it
all, without the action server.
"""

from __future__ import annotations

from collections.abc import Sequence

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered

from privacy.erasure import ERASURE_SLOT
from rasa_components import handoff

INTENT_ASK_DATA_KEPT = "ask_data_kept"
INTENT_REQUEST = "request_erasure"
INTENT_CONFIRM = "confirm_erasure"  # the "Yes, delete it" button, or a typed "yes, delete it"
INTENT_DENY = "deny_erasure"  # the "No, keep it" button, or a typed "no, keep my messages"
INTENT_AFFIRM = "affirm"  # a typed "yes": a confirmation only right after the question
INTENT_NO = "deny"  # a typed "no"

UTTER_DATA_KEPT = "utter_data_kept"
UTTER_ASK_CONFIRMATION = "utter_ask_erasure_confirmation"
UTTER_KEPT = "utter_erasure_kept"
UTTER_DONE = "utter_erasure_done"  # sent by the server once the deletion is committed
POLICY_ACTIONS = (UTTER_ASK_CONFIRMATION, UTTER_KEPT)  # the policy's own answers (step below)

# After the question, these say yes. request_erasure too: "delete my messages" answers "do you
# want me to delete all your messages?" plainly, and asking again would loop.
YES_AFTER_QUESTION = (INTENT_CONFIRM, INTENT_AFFIRM, INTENT_REQUEST)
NO_AFTER_QUESTION = (INTENT_DENY, INTENT_NO)


def answers_confirmation_question(history: Sequence[Event]) -> bool:
    """True when the latest user message (history[-1]) came right after the confirmation
    question, in the same session, with no handoff change or staff reply in between."""
    for event in reversed(history[:-1]):
        if isinstance(event, ActionExecuted):
            if event.action_name == ACTION_LISTEN_NAME:
                continue
            return event.action_name == UTTER_ASK_CONFIRMATION
        if isinstance(event, (UserUttered, SessionStarted)) or handoff.is_staff_reply(event):
            return False
        if isinstance(event, SlotSet) and event.key == handoff.SLOT_HANDOFF:
            return False
    return False


def after_confirmed_listen(turn: Sequence[Event]) -> bool:
    """The turn (the events after the latest user message) ended with the confirmation's
    action_listen. Only training data reaches the policy here: at run time the processor stops
    at action_listen, and the tracker store deletes the conversation instead of saving it."""
    confirmed = any(isinstance(e, SlotSet) and e.key == ERASURE_SLOT and e.value is True
                    for e in turn)
    return confirmed and isinstance(turn[-1], ActionExecuted) \
        and turn[-1].action_name == ACTION_LISTEN_NAME


def step(intent: str | None, history: Sequence[Event],
         safety_replied: bool) -> tuple[str, list[Event]] | None:
    """The policy's answer to a data-rights message, or None when the message is not one.

    `safety_replied`: the message carried something the safety layer answered (a warning sign
    above all). Then nothing is deleted, so the clinic sees what the patient wrote; the patient
    can ask again.
    """
    if answers_confirmation_question(history):
        if intent in YES_AFTER_QUESTION:
            if safety_replied:
                return ACTION_LISTEN_NAME, []
            return ACTION_LISTEN_NAME, [SlotSet(ERASURE_SLOT, True)]
        if intent in NO_AFTER_QUESTION:
            return UTTER_KEPT, []
        return None
    # A request, or a yes without the question just before it: the question, never a deletion.
    if intent in (INTENT_REQUEST, INTENT_CONFIRM):
        return UTTER_ASK_CONFIRMATION, []
    if intent == INTENT_DENY:
        return UTTER_KEPT, []
    return None
