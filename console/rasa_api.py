"""The staff console's client of Rasa's HTTP API for handoffs (docs/handoff.md, section 3), and of
the Rasa server's deletion endpoint (`erase`, docs/data-rights.md, section 2.2).

Take over and hand back append a `handoff_by` slot event; a staff reply appends a bot message
with the staff member's name in its metadata and has Rasa send it on the channel the patient last
wrote from (`output_channel=latest`, `execute_side_effects=true`). Blocking `requests` calls with
timeouts (the console runs them in a thread); every failure is a RasaAPIError with the HTTP status
(or None), and no message, log line or error ever carries the token.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

HANDOFF_SLOT = "handoff_by"
PERSON_REQUESTED_SLOT = "person_requested"
STAFF_KEY = "staff"  # the bot event's metadata key that names the staff member
# Channels that only answer requests: a reply sent later is stored but reaches no client.
PULL_CHANNELS = frozenset({"rest", "cmdline"})
WHATSAPP_CHANNELS = frozenset({"twilio_whatsapp", "meta_whatsapp"})
WHATSAPP_WINDOW_SECONDS = 24 * 3600  # free-form replies only this long after the patient wrote
MAX_TEXT = 4000
# Connect, read: a write waits for the conversation's lock while Rasa handles a message of it.
TIMEOUT = (3.0, 20.0)
# The deletion endpoint (privacy/rasa_endpoint.py): it also waits for the conversation's lock,
# then deletes in one transaction, which may take longer for a patient with many conversations.
ERASE_PATH = "/webhooks/privacy/erase"
ERASE_TIMEOUT = (3.0, 60.0)
ERASE_REASONS = frozenset({"staff_on_request", "retention"})  # the chat's own is the patient's


class RasaAPIError(Exception):
    """Rasa did not do what was asked. `status`: the HTTP status it answered, or None when it
    could not be reached or did not answer in time."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class NotDelivered(RasaAPIError):
    """The patient's provider (Telegram, Twilio, Meta) refused a staff reply or could not be
    reached: the patient did not get it and Rasa did not store it. `status` is None (Rasa itself
    worked); the message says which channel and what the provider answered."""


class NoAnswer(RasaAPIError):
    """The deletion endpoint did not answer in time: the deletion may still finish (it runs in
    one transaction on the Rasa server), or may not have started."""


# How the channels start a NotDelivered message (channels/common.py); Rasa's append-events
# endpoint answers 500 with "An unexpected error occurred. Error: <that message>".
CHANNEL_REFUSED = "the patient's channel ("


@dataclass(frozen=True)
class Handoff:
    sender_id: str
    handoff_by: str | None  # who has the conversation now; None: the assistant
    previous: str | None  # who had it just before this call


@dataclass(frozen=True)
class StaffReply:
    sender_id: str
    channel: str  # the patient's latest input channel, which the reply was sent on
    pushed: bool  # False on a channel that only answers requests (rest): stored, not delivered
    text: str  # what the patient received
    timestamp: float  # the stored bot event's time


@dataclass(frozen=True)
class Erasure:
    """What the Rasa server deleted: `events` rows of the sender's, up to `up_to_event_id` (0 and
    0 when there was nothing), the channel the patient last wrote from."""

    sender_id: str
    events: int
    up_to_event_id: int
    channel: str


@dataclass(frozen=True)
class ConversationState:
    sender_id: str
    exists: bool  # the patient has written at least once
    handoff_by: str | None
    channel: str  # the patient's latest input channel ("" when none)
    last_patient_message_at: float | None  # Unix time of the patient's latest message
    person_requested: str | None


# --- HTTP ----------------------------------------------------------------------------------------
# Rasa's server (Sanic) does not decode %-escapes in the conversation id of its routes, so an id
# goes into the path as it is: the channels' ids (digits, "whatsapp:+1555...", 32 hex digits)
# are made of these characters, and an id that would need an escape cannot be addressed at all.
PATH_SAFE = "/:@!$&'()*+,;=-._~"


def _url(base_url: str, sender_id: str, path: str) -> str:
    if not sender_id:
        raise ValueError("sender_id is empty")
    if quote(sender_id, safe=PATH_SAFE) != sender_id:
        raise ValueError("this conversation id cannot be addressed through Rasa's HTTP API "
                         "(it has characters a URL path must escape)")
    return f"{base_url.rstrip('/')}/conversations/{sender_id}/{path}"


def _call(method: str, url: str, token: str, what: str, params: dict | None = None,
          body: Any = None) -> Any:
    try:
        reply = requests.request(method, url, params={"token": token, **(params or {})},
                                 json=body, timeout=TIMEOUT)
    except requests.Timeout:
        raise RasaAPIError(f"{what}: Rasa did not answer in time") from None
    except requests.RequestException as error:
        raise RasaAPIError(f"{what}: Rasa is not reachable ({type(error).__name__})") from None
    if reply.status_code >= 400:
        refused = _channel_refused(reply)
        if refused:
            raise NotDelivered(f"{what} not sent: {refused}")
        raise RasaAPIError(f"{what}: Rasa answered HTTP {reply.status_code}{_reason(reply)}",
                           reply.status_code)
    try:
        return reply.json()
    except ValueError:
        raise RasaAPIError(f"{what}: Rasa's answer is not JSON", reply.status_code) from None


def _reason(reply: requests.Response, key: str = "reason") -> str:
    try:
        data = reply.json()
    except ValueError:
        return ""
    reason = data.get(key) if isinstance(data, dict) else None
    return f" ({reason})" if isinstance(reason, str) and reason else ""


def _channel_refused(reply: requests.Response) -> str:
    """The channel's NotDelivered message in Rasa's error answer, or ""."""
    try:
        data = reply.json()
    except ValueError:
        return ""
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, str) or CHANNEL_REFUSED not in message:
        return ""
    return " ".join(message[message.index(CHANNEL_REFUSED):].split())[:300]


def _tracker(base_url: str, token: str, sender_id: str, what: str,
             include_events: str = "AFTER_RESTART") -> dict:
    return _call("GET", _url(base_url, sender_id, "tracker"), token, what,
                 params={"include_events": include_events})


def _append(base_url: str, token: str, sender_id: str, events: list[dict], what: str,
            **params: str) -> dict:
    """Append events; Rasa answers with the tracker's state without its events (NONE): only the
    slots and the latest input channel are read, and a long conversation stays cheap."""
    return _call("POST", _url(base_url, sender_id, "tracker/events"), token, what,
                 params={"include_events": "NONE", **params}, body=events)


def _existing(base_url: str, token: str, sender_id: str, what: str) -> dict:
    """The tracker's state without events; a conversation in which no patient ever wrote is
    refused (404) rather than created by the write that follows. (Rasa answers a read of an
    unknown id with a fresh session, never 404.)"""
    state = _tracker(base_url, token, sender_id, what, include_events="NONE")
    if (state.get("latest_message") or {}).get("text") is None:
        raise RasaAPIError(f"{what}: Rasa has no such conversation", 404)
    return state


def _name(staff_name: str) -> str:
    name = " ".join(str(staff_name or "").split())
    if not name:
        raise ValueError("staff_name is empty")
    return name


# --- handoff -------------------------------------------------------------------------------------
def _set_holder(base_url: str, token: str, sender_id: str, holder: str | None,
                what: str) -> Handoff:
    before = _existing(base_url, token, sender_id, what)
    previous = (before.get("slots") or {}).get(HANDOFF_SLOT)
    after = _append(base_url, token, sender_id,
                    [{"event": "slot", "name": HANDOFF_SLOT, "value": holder}], what)
    now = (after.get("slots") or {}).get(HANDOFF_SLOT)
    if now != holder:
        raise RasaAPIError(f"{what}: Rasa did not keep the change (does its domain have the "
                           f"`{HANDOFF_SLOT}` slot? retrain the model)")
    return Handoff(sender_id, now, previous)


def take_over(base_url: str, token: str, sender_id: str, staff_name: str) -> Handoff:
    """`staff_name` has the conversation from now on: the assistant answers only warning signs."""
    return _set_holder(base_url, token, sender_id, _name(staff_name), "take over")


def hand_back(base_url: str, token: str, sender_id: str, staff_name: str) -> Handoff:
    """The assistant answers again. `staff_name` (who gives it back) is checked and left to the
    console's audit log: any staff member may give a conversation back."""
    _name(staff_name)
    return _set_holder(base_url, token, sender_id, None, "hand back")


# --- staff replies -------------------------------------------------------------------------------
def signed_text(staff_name: str, text: str, clinic_name: str | None = None) -> str:
    """What the patient reads: the staff member's words after their name and the clinic's, so
    the patient knows a person, not the assistant, is writing."""
    if clinic_name is None:
        from clinic import load_profile

        clinic_name = load_profile().name
    return f"{_name(staff_name)} ({clinic_name}): {text}"


def send_staff_reply(base_url: str, token: str, sender_id: str, staff_name: str,
                     text: str) -> StaffReply:
    """Store `text` as a bot message with `{"staff": staff_name}` in its metadata and send it to
    the patient on the channel they last wrote from. NotDelivered when the patient's provider
    refused it or could not be reached: then nothing is stored and the reply can be sent again."""
    name = _name(staff_name)
    text = str(text or "").strip()
    if not text:
        raise ValueError("the reply is empty")
    if len(text) > MAX_TEXT:
        raise ValueError(f"the reply is longer than {MAX_TEXT} characters")
    signed = signed_text(name, text)
    _existing(base_url, token, sender_id, "staff reply")
    event = {"event": "bot", "text": signed, "metadata": {STAFF_KEY: name},
             "timestamp": time.time()}
    tracker = _append(base_url, token, sender_id, [event], "staff reply",
                      output_channel="latest", execute_side_effects="true")
    channel = tracker.get("latest_input_channel") or ""
    return StaffReply(sender_id, channel, channel not in PULL_CHANNELS, signed,
                      event["timestamp"])


# --- reading -------------------------------------------------------------------------------------
def conversation_state(base_url: str, token: str, sender_id: str) -> ConversationState:
    """Who has the conversation, the patient's channel and when they last wrote."""
    tracker = _tracker(base_url, token, sender_id, "read the conversation")
    events = tracker.get("events") or []
    slots = tracker.get("slots") or {}
    last = next((e.get("timestamp") for e in reversed(events) if e.get("event") == "user"
                 and not (e.get("metadata") or {}).get("is_external")), None)
    return ConversationState(sender_id, last is not None, slots.get(HANDOFF_SLOT),
                             tracker.get("latest_input_channel") or "", last,
                             slots.get(PERSON_REQUESTED_SLOT))


def whatsapp_window_open(state: ConversationState, now: float | None = None) -> bool:
    """False when WhatsApp would refuse a free-form reply: the patient's last message is more
    than 24 hours old (or there is none). Always True on other channels."""
    if state.channel not in WHATSAPP_CHANNELS:
        return True
    if state.last_patient_message_at is None:
        return False
    return (now if now is not None else time.time()) - state.last_patient_message_at \
        < WHATSAPP_WINDOW_SECONDS


# --- deletion ------------------------------------------------------------------------------------
def erase(base_url: str, token: str, sender_id: str, reason: str, actor: str,
          up_to_event_id: int | None = None) -> Erasure:
    """Have the Rasa server delete the sender's events (all of them, or those up to
    `up_to_event_id`) under the conversation's lock (docs/data-rights.md, 2.2). The token goes in
    the Authorization header; no message or error carries it or the sender id. RasaAPIError with
    the HTTP status when Rasa refused (400, 401, 503), None when it could not be reached: then
    nothing was deleted."""
    if not sender_id:
        raise ValueError("sender_id is empty")
    if reason not in ERASE_REASONS:
        raise ValueError(f"reason must be one of {sorted(ERASE_REASONS)}")
    actor = " ".join(str(actor or "").split())
    if not actor:
        raise ValueError("actor is empty")
    body = {"sender_id": sender_id, "reason": reason, "actor": actor,
            "up_to_event_id": up_to_event_id}
    what = "delete"
    try:
        reply = requests.post(base_url.rstrip("/") + ERASE_PATH, json=body,
                              headers={"Authorization": f"Bearer {token}"},
                              timeout=ERASE_TIMEOUT)
    except requests.ConnectTimeout:
        raise RasaAPIError(f"{what}: Rasa is not reachable (ConnectTimeout)") from None
    except requests.Timeout:
        raise NoAnswer(f"{what}: Rasa did not answer in time") from None
    except requests.RequestException as error:
        raise RasaAPIError(f"{what}: Rasa is not reachable ({type(error).__name__})") from None
    if reply.status_code == 404:
        raise RasaAPIError(f"{what}: Rasa has no deletion endpoint ({ERASE_PATH}; is "
                           "privacy.rasa_endpoint.ErasureEndpoint in credentials.yml?)", 404)
    if reply.status_code >= 400:
        raise RasaAPIError(f"{what}: Rasa answered HTTP {reply.status_code}"
                           f"{_reason(reply, 'error')}", reply.status_code)
    try:
        data = reply.json()
        return Erasure(sender_id, int(data["events"]), int(data.get("up_to_event_id") or 0),
                       str(data.get("channel") or ""))
    except (ValueError, TypeError, KeyError, AttributeError):
        raise RasaAPIError(f"{what}: Rasa's answer is not what the deletion endpoint gives",
                           reply.status_code) from None
