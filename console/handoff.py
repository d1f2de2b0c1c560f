"""Staff taking a conversation over from the assistant: who has it now, what the patient's channel
allows a staff reply to do, and the warning signs raised while staff have it.

Rasa is the one place a handoff lives (the `handoff_by` slot, docs/handoff.md); the console asks
Rasa's HTTP API to change it (console/rasa_api.py) and reads it back from the tracker store, like
every other event, so the page shows what Rasa will do, not what the console hoped for.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa

from console import rasa_api
from console.escalations import sign_labels
from console.tracker import TrackerReader, Turn, events, load_json, utc

HANDOFF_SLOT = rasa_api.HANDOFF_SLOT
# "/session_start" is a control message, not the patient writing (console/indexer.py skips it).
NOT_THE_PATIENT = {"session_start"}
WHATSAPP_NAMES = {"twilio_whatsapp": "WhatsApp (Twilio)", "meta_whatsapp": "WhatsApp (Meta)"}
WINDOW_SECONDS = rasa_api.WHATSAPP_WINDOW_SECONDS
# The channels split a longer text into several messages themselves.
MAX_REPLY = rasa_api.MAX_TEXT
LIVE_EVENTS = 500  # per poll of the live view


@dataclass(frozen=True)
class Handoff:
    staff: str
    since: float
    event_id: int


@dataclass(frozen=True)
class ChannelRule:
    """What a staff reply can do on the patient's channel, said before anyone types."""

    channel: str  # Rasa's input_channel of the patient's last message
    name: str  # how staff know it
    can_reply: bool
    text: str
    seconds_left: float | None = None  # WhatsApp: until the 24-hour window closes

    def as_json(self) -> dict:
        return {"channel": self.channel, "name": self.name, "can_reply": self.can_reply,
                "text": self.text, "seconds_left": self.seconds_left}


def holder(data: str | None) -> str:
    value = load_json(data).get("value")
    return value.strip()[:80] if isinstance(value, str) else ""


def current(tracker: TrackerReader, sender_id: str) -> Handoff | None:
    """The staff member who has the patient now (the newest `handoff_by` value), or None; since
    the take-over, not since a new Rasa session repeated the name (docs/handoff.md, 2)."""
    if not tracker.ready():
        return None
    with tracker.engine.connect() as conn:
        rows = conn.execute(
            sa.select(events.c.id, events.c.timestamp, events.c.data)
            .where(events.c.sender_id == sender_id, events.c.type_name == "slot",
                   events.c.action_name == HANDOFF_SLOT)
            .order_by(events.c.id.desc()).limit(100)).all()
    staff = holder(rows[0].data) if rows else ""
    if not staff:
        return None
    start = rows[0]
    for row in rows[1:]:
        if holder(row.data) != staff:
            break
        start = row
    return Handoff(staff, start.timestamp or 0.0, start.id)


def last_patient_message(tracker: TrackerReader, sender_id: str) -> tuple[float, str] | None:
    """(time, channel) of the patient's newest message (staff and control messages aside)."""
    if not tracker.ready():
        return None
    with tracker.engine.connect() as conn:
        rows = conn.execute(
            sa.select(events.c.timestamp, events.c.intent_name, events.c.data)
            .where(events.c.sender_id == sender_id, events.c.type_name == "user")
            .order_by(events.c.id.desc()).limit(50))
        for row in rows:
            if row.intent_name in NOT_THE_PATIENT:
                continue
            return row.timestamp or 0.0, str(load_json(row.data).get("input_channel") or "")
    return None


def hours_minutes(seconds: float) -> str:
    minutes = max(0, int(seconds // 60))
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def channel_rule(channel: str, last_message_at: float | None,
                 now: float | None = None) -> ChannelRule:
    now = time.time() if now is None else now
    if channel in rasa_api.WHATSAPP_CHANNELS:
        name = WHATSAPP_NAMES.get(channel, "WhatsApp")
        if last_message_at is None:
            return ChannelRule(channel, name, False, (
                "WhatsApp allows free-form replies only within 24 hours of the patient's last "
                "message, and this patient has not written yet."))
        left = last_message_at + WINDOW_SECONDS - now
        if left <= 0:
            return ChannelRule(channel, name, False, (
                "WhatsApp allows free-form replies only within 24 hours of the patient's last "
                f"message. The last one came {hours_minutes(now - last_message_at)} ago "
                f"({utc(last_message_at)}), so a reply from here would not reach the patient. "
                "Call the patient instead; once they write again, you can answer here."), 0.0)
        return ChannelRule(channel, name, True, (
            f"WhatsApp: you can reply here for {hours_minutes(left)} more (until "
            f"{utc(last_message_at + WINDOW_SECONDS)}, 24 hours after the patient's last "
            "message); after that only the patient writing again reopens the chat."), left)
    if channel == "telegram":
        return ChannelRule(channel, "Telegram", True, (
            "Telegram: no time limit. The reply arrives in the patient's Telegram chat."))
    if channel == "socketio":
        return ChannelRule(channel, "Website chat", True, (
            "Website chat: no time limit, but the patient sees your reply only while the page "
            "with the chat is open; a reply sent after they left reaches nobody (it stays in "
            "this transcript)."))
    if channel in rasa_api.PULL_CHANNELS:
        return ChannelRule(channel, channel, False, (
            f"This conversation came through the {channel} channel, which only answers each "
            "message as it arrives: a staff reply would be stored but never reach the patient."))
    return ChannelRule(channel, channel or "unknown", False, (
        f"The channel {channel!r} cannot receive staff replies." if channel
        else "The patient has not written yet: there is no channel to reply on."))


def rule_for(tracker: TrackerReader, sender_id: str, now: float | None = None) -> ChannelRule:
    last = last_patient_message(tracker, sender_id)
    return channel_rule(last[1] if last else "", last[0] if last else None, now)


def warnings_since(turns: list[Turn], event_id: int) -> list[dict]:
    """The escalations raised since event `event_id` (the handoff's start), for the live view's
    banner: level, the signs' plain labels, time."""
    return [{"level": t.level, "signs": sign_labels(t.signs), "time": utc(t.timestamp),
             "id": t.event_id}
            for t in turns if t.kind == "escalation" and t.event_id > event_id]
