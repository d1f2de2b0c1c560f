"""When the chat refuses a patient's confirmed deletion (privacy.erasure.refusal): the sender
wrote from another channel too, or a warning sign was recorded in the last 24 hours. On the
events table as Rasa's SQL tracker store makes it (console/tracker.py's definition), in an
in-memory SQLite database."""

from __future__ import annotations

import json
import time

import sqlalchemy as sa

from console.tracker import events, metadata
from privacy import erasure

NOW = 1_800_000_000.0


def database(*rows: tuple[str, str, float, dict]) -> sa.engine.Engine:
    engine = sa.create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as connection:
        for sender, kind, at, data in rows:
            connection.execute(events.insert().values(
                sender_id=sender, type_name=kind, timestamp=at,
                data=json.dumps({"event": kind, "timestamp": at, **data})))
    return engine


def refusal(engine: sa.engine.Engine, sender: str, channel: str, pending=None) -> str | None:
    with engine.connect() as connection:
        return erasure.refusal(connection, events, sender, channel, now=NOW, pending=pending)


def user(sender: str, channel: str, at: float = NOW - 60) -> tuple:
    return (sender, "user", at, {"text": "hi", "input_channel": channel})


def level(sender: str, value: str | None, at: float = NOW - 60) -> tuple:
    return (sender, "slot", at, {"name": "escalation_level", "value": value})


def test_a_patient_who_wrote_only_on_this_channel_may_delete():
    engine = database(user("p", "telegram"), user("p", "telegram"), user("other", "rest"))
    assert refusal(engine, "p", "telegram") is None


def test_messages_from_another_channel_refuse_it():
    engine = database(user("p", "twilio_whatsapp"), user("p", "rest"))
    assert refusal(engine, "p", "rest") == erasure.NOT_FROM_HERE
    assert refusal(engine, "p", "twilio_whatsapp") == erasure.NOT_FROM_HERE


def test_a_warning_sign_in_the_last_24_hours_refuses_it_and_an_older_one_does_not():
    hold = erasure.ESCALATION_HOLD_HOURS * 3600
    recent = database(user("p", "rest"), level("p", "doctor", NOW - hold + 60))
    old = database(user("p", "rest"), level("p", "emergency", NOW - hold - 60))
    cleared = database(user("p", "rest"), level("p", None))
    someone_else = database(user("p", "rest"), level("q", "emergency"))
    assert refusal(recent, "p", "rest") == erasure.AFTER_WARNING_SIGN
    assert refusal(old, "p", "rest") is None
    assert refusal(cleared, "p", "rest") is None
    assert refusal(someone_else, "p", "rest") is None


def test_a_sign_in_the_confirming_message_itself_refuses_it():
    engine = database(user("p", "rest"))
    pending = [{"event": "slot", "name": "escalation_level", "value": "emergency",
                "timestamp": time.time()}]
    assert refusal(engine, "p", "rest", pending=pending) == erasure.AFTER_WARNING_SIGN
