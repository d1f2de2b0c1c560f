"""Read access to Rasa's SQL tracker store (the `events` table), through SQLAlchemy Core.

The console only reads here, apart from the indexes its migrations add
(console/tracker_migrations) and the `privacy_erasures` rows it has acted on, which
console/erasures.py deletes. Events are deleted only by the Rasa server (privacy.erasure.erase,
docs/data-rights.md), never by the console.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import command

from console import db
from privacy.erasure import erasures as erasure_rows

TRACKER_MIGRATIONS = db.MIGRATIONS.parent / "tracker_migrations"
TRACKER_VERSION_TABLE = "console_tracker_alembic_version"
metadata = sa.MetaData()
events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


def upgrade_tracker(url: str) -> bool:
    """Add the console's indexes to `events`; False while Rasa has not created the table."""
    engine = sa.create_engine(url, future=True)
    try:
        if not sa.inspect(engine).has_table("events"):
            return False
    finally:
        engine.dispose()
    command.upgrade(db.alembic_config(url, TRACKER_MIGRATIONS, TRACKER_VERSION_TABLE), "head")
    return True


class TrackerReader:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = db.create_engine(url)
        self.indexed = False
        self.erasures_exist = False

    def has_erasures(self) -> bool:
        """True once the Rasa server has created `privacy_erasures` (with its first deletion or at
        start): before that there is nothing for console/erasures.py to do."""
        if not self.erasures_exist:
            self.erasures_exist = sa.inspect(self.engine).has_table(erasure_rows.name)
        return self.erasures_exist

    def ready(self) -> bool:
        """True once `events` exists and carries the console's indexes."""
        if not self.indexed:
            self.indexed = upgrade_tracker(self.url)
        return self.indexed

    def events_between(self, sender_id: str, first_id: int, before_id: int | None) -> list[dict]:
        """One sender's events from first_id up to (not including) before_id, in id order."""
        if not self.ready():
            return []
        query = (sa.select(events.c.id, events.c.type_name, events.c.timestamp, events.c.data)
                 .where(events.c.sender_id == sender_id, events.c.id >= first_id)
                 .order_by(events.c.id))
        if before_id is not None:
            query = query.where(events.c.id < before_id)
        with self.engine.connect() as conn:
            return [{"id": r.id, "type": r.type_name, "timestamp": r.timestamp,
                     "data": load_json(r.data)} for r in conn.execute(query)]


def load_json(data: str | None) -> dict:
    try:
        value = json.loads(data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# The actions that send the safety reply (actions/safety_response.py, and the policy's static
# reply when that failed: rasa_components/safety_first_policy.py): the bot messages they send are
# marked, so staff see at once which replies the safety layer gave (also during a handoff).
SAFETY_ACTIONS = {"action_safety_response", "utter_safety_fallback"}


@dataclass
class Turn:
    kind: str  # "user", "bot", "escalation"
    timestamp: float
    text: str = ""
    channel: str = ""
    intent: str = ""
    confidence: float | None = None
    entities: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    safety_level: str = ""
    buttons: list = field(default_factory=list)
    level: str = ""
    signs: list = field(default_factory=list)
    event_id: int = 0
    staff: str = ""  # a reply a staff member sent during a handoff: their name
    safety_reply: bool = False  # a reply of the safety layer (action_safety_response)

    def as_json(self) -> dict:
        """What the live view's script gets (console/static/handoff.js puts it in as text)."""
        return {"kind": self.kind, "id": self.event_id, "time": utc(self.timestamp),
                "text": self.text, "channel": self.channel, "intent": self.intent,
                "staff": self.staff, "safety_reply": self.safety_reply,
                "safety_level": self.safety_level, "level": self.level, "signs": self.signs,
                "buttons": self.buttons}


def staff_name(data: dict) -> str:
    """The staff member who sent a bot message (its metadata's "staff"), or ""."""
    metadata = data.get("metadata")
    name = metadata.get("staff") if isinstance(metadata, dict) else None
    return name.strip()[:80] if isinstance(name, str) else ""


def transcript(raw_events: list[dict]) -> list[Turn]:
    """Every patient message, bot reply (the staff's with their name) and escalation of a
    conversation, in order."""
    turns: list[Turn] = []
    action = ""  # the action whose messages follow: Rasa logs an action before what it sends
    for event in raw_events:
        data, kind = event["data"], event["type"]
        ts = event["timestamp"] or 0
        if kind == "action":
            action = data.get("name") or ""
        elif kind == "user":
            action = ""
            parse = data.get("parse_data") or {}
            intent = parse.get("intent") or {}
            safety = parse.get("safety") or {}
            turns.append(Turn(
                "user", ts, text=data.get("text") or "", channel=data.get("input_channel") or "",
                intent=intent.get("name") or "", confidence=intent.get("confidence"),
                entities=[e for e in parse.get("entities") or [] if isinstance(e, dict)],
                findings=[f for f in safety.get("findings") or [] if isinstance(f, dict)],
                safety_level=safety.get("level") or "", event_id=event.get("id") or 0,
            ))
        elif kind == "bot":
            buttons = (data.get("data") or {}).get("buttons") or []
            staff = staff_name(data)
            turns.append(Turn("bot", ts, text=data.get("text") or "", event_id=event.get("id") or 0,
                              buttons=[b.get("title", "") for b in buttons if isinstance(b, dict)],
                              staff=staff,
                              safety_reply=not staff and action in SAFETY_ACTIONS))
        elif kind == "slot" and data.get("name") == "escalation_level" and data.get("value"):
            turns.append(Turn("escalation", ts, level=str(data["value"]),
                              event_id=event.get("id") or 0))
        elif kind == "slot" and data.get("name") == "warning_signs" and data.get("value"):
            signs = data["value"] if isinstance(data["value"], list) else [data["value"]]
            if turns and turns[-1].kind == "escalation":
                turns[-1].signs = [str(s) for s in signs]
    return turns


def utc(ts: float | None) -> str:
    if not ts:
        return ""
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
