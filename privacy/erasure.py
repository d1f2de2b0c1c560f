"""Deleting a patient's conversations from Rasa's tracker store, and the record it leaves.

Every deletion (the patient's "delete my conversation", an admin's on a patient's request,
retention) runs `erase` on the Rasa server, in one transaction, under the conversation's lock
(docs/data-rights.md): so no replica that is handling a message of the same patient can write
the conversation back. In the same transaction it inserts a row into `privacy_erasures`, which
tells the staff console to delete what it derived from those events (index rows, reviews, notes,
tags, escalations, queued alerts, the handoff). The console deletes the row once it has done so
and keeps only the audit record (time, channel, a keyed hash of the sender id).
"""

from __future__ import annotations

import contextvars
import json
import time
from dataclasses import dataclass

import sqlalchemy as sa

# The slot the dialogue policy sets, on the Rasa server, when a patient confirms that their
# conversations are to be deleted; the tracker store then erases instead of saving.
ERASURE_SLOT = "erasure_confirmed"
# Why a deletion happened: the audit log's `reason` values.
PATIENT_REQUEST = "patient_request"  # in the chat
STAFF_ON_REQUEST = "staff_on_request"  # an admin, in the console, with a written reason
RETENTION = "retention"  # older than the clinic profile's retention_days
REASONS = (PATIENT_REQUEST, STAFF_ON_REQUEST, RETENTION)

# Why the chat refuses a patient's confirmed deletion (the conversation is then saved as usual,
# and the patient is told why and whom to ask: content/safety.yml, `erasure_<refusal>`):
# - the sender has messages from another channel: a sender id is known to others (a phone
#   number), and a channel that does not prove who writes (Rasa's REST channel) must not delete
#   what came in on WhatsApp or Telegram;
# - a warning sign was reported in the last ESCALATION_HOLD_HOURS: the clinic must see it first
#   (its escalation and alerts would go with the conversation). Staff can delete it later.
NOT_FROM_HERE = "not_from_here"
AFTER_WARNING_SIGN = "after_warning_sign"
ESCALATION_HOLD_HOURS = 24
ESCALATION_SLOT = "escalation_level"
ESCALATING_LEVELS = ("emergency", "doctor")

metadata = sa.MetaData()
erasures = sa.Table(
    "privacy_erasures", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    # The highest event id deleted: the console deletes the sender's conversations up to it (a
    # conversation the patient started after the deletion stays).
    sa.Column("up_to_event_id", sa.BigInteger, nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("reason", sa.String(40), nullable=False),
    sa.Column("actor", sa.String(80), nullable=False),  # "patient", a staff name, "retention"
    sa.Column("channel", sa.String(255), nullable=False),
    sa.Column("events", sa.Integer, nullable=False),
    # SQLite would give a deleted row's id again; the console's audit names the row's id.
    sqlite_autoincrement=True,
)


@dataclass(frozen=True)
class Erased:
    sender_id: str
    events: int  # rows deleted
    up_to_event_id: int  # 0 when there was nothing to delete
    channel: str
    # Events of the sender newer than up_to_event_id, kept (retention deletes only old ones): the
    # channels' memories of the sender (language, number for staff replies) stay while any remain.
    events_left: int = 0


# Set by the tracker store when the message being handled erased its conversation: the server
# then sends the confirmation (serving/rasa_patches.py), after the deletion is committed.
erased_in_this_message: contextvars.ContextVar[Erased | None] = contextvars.ContextVar(
    "erased_in_this_message", default=None)
# Set by the tracker store when it refused the deletion the message confirmed (NOT_FROM_HERE or
# AFTER_WARNING_SIGN): the server then says why instead of confirming.
refused_in_this_message: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "refused_in_this_message", default=None)

# The conversation's language ("en"/"es", the `language` slot) when the message confirmed a
# deletion: the confirmation or refusal is sent after the conversation is gone, in that language.
language_in_this_message: contextvars.ContextVar[str] = contextvars.ContextVar(
    "language_in_this_message", default="en")


def ensure_table(engine: sa.engine.Engine) -> None:
    metadata.create_all(engine, tables=[erasures], checkfirst=True)


def _channel(connection: sa.engine.Connection, events: sa.Table, sender_id: str,
             up_to: int) -> str:
    """The channel the patient last wrote from (the latest user event's input_channel)."""
    data = connection.execute(
        sa.select(events.c.data)
        .where(events.c.sender_id == sender_id, events.c.type_name == "user",
               events.c.id <= up_to)
        .order_by(events.c.id.desc()).limit(1)).scalar()
    return str(_data(data).get("input_channel") or "")[:255]


def _data(row: str | None) -> dict:
    try:
        value = json.loads(row or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def refusal(connection: sa.engine.Connection, events: sa.Table, sender_id: str,
            channel: str, now: float | None = None,
            pending: list[dict] | None = None) -> str | None:
    """Why the chat must not delete this sender's conversations, confirmed on `channel`, or None.
    `pending`: the events of the confirming message, not stored yet (as dicts)."""
    now = time.time() if now is None else now
    channels = {str(_data(row).get("input_channel") or "") for row in connection.execute(
        sa.select(events.c.data).where(events.c.sender_id == sender_id,
                                       events.c.type_name == "user")).scalars()}
    if channels - {"", channel}:
        return NOT_FROM_HERE
    since = now - ESCALATION_HOLD_HOURS * 3600
    stored = connection.execute(
        sa.select(events.c.data).where(events.c.sender_id == sender_id,
                                       events.c.type_name == "slot",
                                       events.c.timestamp >= since)).scalars()
    for data in [_data(row) for row in stored] + list(pending or []):
        if data.get("event") in (None, "slot") and data.get("name") == ESCALATION_SLOT \
                and data.get("value") in ESCALATING_LEVELS:
            return AFTER_WARNING_SIGN
    return None


def erase(connection: sa.engine.Connection, events: sa.Table, sender_id: str, *, reason: str,
          actor: str, up_to_event_id: int | None = None) -> Erased:
    """Delete the sender's events (all of them, or those up to `up_to_event_id`) and record the
    deletion for the console, in the caller's transaction. The caller holds the lock."""
    if reason not in REASONS:
        raise ValueError(f"unknown erasure reason {reason!r}")
    scope = events.c.sender_id == sender_id
    if up_to_event_id is not None:
        scope = sa.and_(scope, events.c.id <= up_to_event_id)
    up_to = connection.execute(sa.select(sa.func.max(events.c.id)).where(scope)).scalar() or 0
    if not up_to:
        return Erased(sender_id, 0, 0, "")
    channel = _channel(connection, events, sender_id, up_to)
    deleted = connection.execute(
        events.delete().where(events.c.sender_id == sender_id, events.c.id <= up_to)).rowcount
    connection.execute(erasures.insert().values(
        sender_id=sender_id, up_to_event_id=up_to, at=time.time(), reason=reason,
        actor=actor[:80], channel=channel, events=deleted))
    left = connection.execute(sa.select(sa.func.count()).select_from(events).where(
        events.c.sender_id == sender_id)).scalar_one()
    return Erased(sender_id, deleted, up_to, channel, left)
