"""Read access to Rasa's SQL tracker store (the `events` table), through SQLAlchemy Core.

A conversation is every event of one sender_id, in id order. The console only reads here; the
retention command (console/retention.py) is the one place that deletes events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

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

LEVELS = {"doctor": 1, "emergency": 2}
MESSAGE_TYPES = ("user", "bot")


def json_text(engine: sa.engine.Engine, *path: str) -> sa.sql.ColumnElement:
    """One field of the `data` JSON as text, in the dialect's own JSON functions."""
    if engine.dialect.name == "postgresql":
        return sa.func.json_extract_path_text(sa.cast(events.c.data, postgresql.JSON), *path)
    return sa.func.json_extract(events.c.data, "$." + ".".join(f'"{p}"' for p in path))


def like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def parse_day(value: str | None) -> float | None:
    """A YYYY-MM-DD date (UTC) as a timestamp; None when empty or not a date."""
    if not value:
        return None
    try:
        day = datetime.strptime(value.strip(), "%Y-%m-%d")
    except ValueError:
        return None
    return day.replace(tzinfo=timezone.utc).timestamp()


@dataclass
class Filters:
    escalated: str = ""  # "", "any", "emergency", "doctor"
    channel: str = ""
    date_from: str = ""
    date_to: str = ""
    q: str = ""
    intent: str = ""
    unreviewed: bool = False
    tag: str = ""

    @classmethod
    def from_args(cls, args) -> Filters:
        def get(name: str) -> str:
            return (args.get(name) or "").strip()[:200]

        escalated = get("escalated")
        return cls(
            escalated=escalated if escalated in ("any", "emergency", "doctor") else "",
            channel=get("channel"), date_from=get("from"), date_to=get("to"), q=get("q"),
            intent=get("intent"), unreviewed=get("unreviewed") == "1", tag=get("tag"),
        )

    def as_query(self) -> dict[str, str]:
        pairs = {"escalated": self.escalated, "channel": self.channel, "from": self.date_from,
                 "to": self.date_to, "q": self.q, "intent": self.intent, "tag": self.tag,
                 "unreviewed": "1" if self.unreviewed else ""}
        return {k: v for k, v in pairs.items() if v}


@dataclass
class Summary:
    sender_id: str
    started: float
    last: float
    messages: int
    channel: str = ""
    first_question: str = ""
    level: str = ""
    reviewed: dict | None = None
    tags: list[str] = field(default_factory=list)


class TrackerReader:
    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(url, future=True)

    def has_events(self) -> bool:
        return sa.inspect(self.engine).has_table("events")

    def channels(self) -> list[str]:
        if not self.has_events():
            return []
        channel = json_text(self.engine, "input_channel")
        query = (sa.select(channel).where(events.c.type_name == "user").distinct()
                 .order_by(channel))
        with self.engine.connect() as conn:
            return [row[0] for row in conn.execute(query) if row[0]]

    def _senders_where(self, *conditions) -> sa.sql.Select:
        return sa.select(events.c.sender_id).where(*conditions)

    def _conditions(self, filters: Filters, reviewed: set[str] | None,
                    tagged: set[str] | None) -> tuple[list, list]:
        where, having = [], []
        level_value = json_text(self.engine, "value")
        if filters.escalated:
            levels = ["emergency", "doctor"] if filters.escalated == "any" else [filters.escalated]
            where.append(events.c.sender_id.in_(self._senders_where(
                events.c.type_name == "slot", events.c.action_name == "escalation_level",
                level_value.in_(levels))))
        if filters.channel:
            where.append(events.c.sender_id.in_(self._senders_where(
                events.c.type_name == "user",
                json_text(self.engine, "input_channel") == filters.channel)))
        if filters.q:
            where.append(events.c.sender_id.in_(self._senders_where(
                events.c.type_name.in_(MESSAGE_TYPES),
                sa.func.lower(json_text(self.engine, "text")).like(
                    like_pattern(filters.q), escape="\\"))))
        if filters.intent:
            where.append(events.c.sender_id.in_(self._senders_where(
                events.c.type_name == "user", events.c.intent_name == filters.intent)))
        if filters.unreviewed and reviewed:
            where.append(events.c.sender_id.not_in(sorted(reviewed)))
        if tagged is not None:
            where.append(events.c.sender_id.in_(sorted(tagged)))
        start = parse_day(filters.date_from)
        if start is not None:
            having.append(sa.func.min(events.c.timestamp) >= start)
        end = parse_day(filters.date_to)
        if end is not None:
            having.append(sa.func.min(events.c.timestamp) < end + 86400)
        return where, having

    def conversations(self, filters: Filters, reviewed: set[str] | None = None,
                      tagged: set[str] | None = None, page: int = 1,
                      page_size: int = 50) -> tuple[list[Summary], int]:
        """One page of conversations, newest first, and how many match in all."""
        if not self.has_events():
            return [], 0
        where, having = self._conditions(filters, reviewed, tagged)
        started = sa.func.min(events.c.timestamp).label("started")
        grouped = (
            sa.select(events.c.sender_id, started,
                      sa.func.max(events.c.timestamp).label("last"),
                      sa.func.sum(sa.case((events.c.type_name.in_(MESSAGE_TYPES), 1), else_=0))
                      .label("messages"))
            .where(*where).group_by(events.c.sender_id)
        )
        if having:
            grouped = grouped.having(sa.and_(*having))
        with self.engine.connect() as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(grouped.subquery())
                                 ).scalar_one()
            rows = conn.execute(grouped.order_by(started.desc(), events.c.sender_id)
                                .limit(page_size).offset((page - 1) * page_size)).all()
            summaries = [Summary(r.sender_id, r.started or 0, r.last or 0, int(r.messages or 0))
                         for r in rows]
            self._complete(conn, summaries)
        return summaries, total

    def all_conversations(self, filters: Filters, reviewed: set[str] | None = None,
                          tagged: set[str] | None = None) -> list[Summary]:
        _, total = self.conversations(filters, reviewed, tagged, 1, 1)
        return self.conversations(filters, reviewed, tagged, 1, max(total, 1))[0]

    def _complete(self, conn: sa.engine.Connection, summaries: list[Summary]) -> None:
        """Channel, first question and highest escalation level of the listed conversations."""
        by_sender = {s.sender_id: s for s in summaries}
        if not by_sender:
            return
        first_ids = (sa.select(sa.func.min(events.c.id))
                     .where(events.c.type_name == "user", events.c.sender_id.in_(by_sender))
                     .group_by(events.c.sender_id))
        for sender_id, data in conn.execute(
                sa.select(events.c.sender_id, events.c.data).where(events.c.id.in_(first_ids))):
            event = _load(data)
            by_sender[sender_id].channel = event.get("input_channel") or ""
            by_sender[sender_id].first_question = event.get("text") or ""
        for sender_id, data in conn.execute(
                sa.select(events.c.sender_id, events.c.data).where(
                    events.c.sender_id.in_(by_sender), events.c.type_name == "slot",
                    events.c.action_name == "escalation_level")):
            value = _load(data).get("value")
            summary = by_sender[sender_id]
            if LEVELS.get(value, 0) > LEVELS.get(summary.level, 0):
                summary.level = value

    def events_of(self, sender_id: str) -> list[dict]:
        if not self.has_events():
            return []
        query = (sa.select(events.c.id, events.c.type_name, events.c.timestamp, events.c.data)
                 .where(events.c.sender_id == sender_id).order_by(events.c.id))
        with self.engine.connect() as conn:
            return [{"id": r.id, "type": r.type_name, "timestamp": r.timestamp,
                     "data": _load(r.data)} for r in conn.execute(query)]


def _load(data: str | None) -> dict:
    try:
        value = json.loads(data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


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


def transcript(raw_events: list[dict]) -> list[Turn]:
    """Every patient message, bot reply and escalation of a conversation, in order."""
    turns: list[Turn] = []
    for event in raw_events:
        data, kind = event["data"], event["type"]
        ts = event["timestamp"] or 0
        if kind == "user":
            parse = data.get("parse_data") or {}
            intent = parse.get("intent") or {}
            safety = parse.get("safety") or {}
            turns.append(Turn(
                "user", ts, text=data.get("text") or "", channel=data.get("input_channel") or "",
                intent=intent.get("name") or "", confidence=intent.get("confidence"),
                entities=[e for e in parse.get("entities") or [] if isinstance(e, dict)],
                findings=[f for f in safety.get("findings") or [] if isinstance(f, dict)],
                safety_level=safety.get("level") or "",
            ))
        elif kind == "bot":
            buttons = (data.get("data") or {}).get("buttons") or []
            turns.append(Turn("bot", ts, text=data.get("text") or "",
                              buttons=[b.get("title", "") for b in buttons if isinstance(b, dict)]))
        elif kind == "slot" and data.get("name") == "escalation_level" and data.get("value"):
            turns.append(Turn("escalation", ts, level=str(data["value"])))
        elif kind == "slot" and data.get("name") == "warning_signs" and data.get("value"):
            signs = data["value"] if isinstance(data["value"], list) else [data["value"]]
            if turns and turns[-1].kind == "escalation":
                turns[-1].signs = [str(s) for s in signs]
    return turns


def utc(ts: float | None) -> str:
    if not ts:
        return ""
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
