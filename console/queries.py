"""Every query of the console's pages: the conversation list, its filters and the dashboard,
read from the console's index tables (console/db.py, filled by console/indexer.py), never by
scanning Rasa's events; a conversation's review, notes and tags, and the audit log.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa

from console import db, escalations
from console.indexer import DEFAULT_LANGUAGE, LANGUAGES, LEVELS

LEVEL_NAMES = {0: "", **{number: name for name, number in LEVELS.items()}}
ESCALATED = {"any": tuple(LEVELS.values()), **{name: (number,) for name, number in LEVELS.items()}}
COUNT_CAP = 10_000  # counting every match of a broad search is slow and tells staff nothing
MAX_DASHBOARD_DAYS = 366
conv = db.conversations


def like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def parse_day(value: str | None) -> date | None:
    """A YYYY-MM-DD date; None when empty or not a date."""
    try:
        return datetime.strptime((value or "").strip(), "%Y-%m-%d").date()
    except ValueError:
        return None


def day_start(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()


@dataclass
class Filters:
    escalated: str = ""  # "", "any", "emergency", "doctor"
    channel: str = ""
    date_from: str = ""
    date_to: str = ""
    q: str = ""
    intent: str = ""
    low_confidence: bool = False
    unreviewed: bool = False
    tag: str = ""
    handed_over: bool = False  # only conversations a staff member has taken over now
    language: str = ""  # "", or a code of LANGUAGES ("en", "es")

    @classmethod
    def from_args(cls, args) -> Filters:
        def get(name: str) -> str:
            return (args.get(name) or "").strip()[:200]

        escalated = get("escalated")
        language = get("language")
        return cls(
            escalated=escalated if escalated in ESCALATED else "",
            channel=get("channel"), date_from=get("from"), date_to=get("to"), q=get("q"),
            intent=get("intent"), low_confidence=get("lowconf") == "1",
            unreviewed=get("unreviewed") == "1", tag=get("tag").lower(),
            handed_over=get("handoff") == "1",
            language=language if language in LANGUAGES else "",
        )

    def as_query(self) -> dict[str, str]:
        pairs = {"escalated": self.escalated, "channel": self.channel, "from": self.date_from,
                 "to": self.date_to, "q": self.q, "intent": self.intent, "tag": self.tag,
                 "lowconf": "1" if self.low_confidence else "",
                 "unreviewed": "1" if self.unreviewed else "",
                 "handoff": "1" if self.handed_over else "", "language": self.language}
        return {k: v for k, v in pairs.items() if v}

    def conditions(self, low_confidence_below: float) -> list:
        where = [conv.c.user_messages > 0]  # a session the patient never wrote in is noise
        if self.escalated:
            where.append(conv.c.level.in_(ESCALATED[self.escalated]))
        if self.channel:
            where.append(conv.c.channel == self.channel)
        if self.language:
            where.append(conv.c.language == self.language)
        start, end = parse_day(self.date_from), parse_day(self.date_to)
        if start:
            where.append(conv.c.started >= day_start(start))
        if end:
            where.append(conv.c.started < day_start(end + timedelta(days=1)))
        if self.q:
            text = db.conversation_text
            where.append(conv.c.id.in_(sa.select(text.c.conversation_id).where(
                text.c.text.like(like_pattern(self.q), escape="\\"))))
        if self.intent:
            intents = db.conversation_intents
            where.append(conv.c.id.in_(sa.select(intents.c.conversation_id).where(
                intents.c.intent == self.intent)))
        if self.low_confidence:
            where.append(sa.or_(conv.c.fallback_turns > 0,
                                conv.c.min_confidence < low_confidence_below))
        if self.unreviewed:
            where.append(~sa.exists().where(db.reviews.c.conversation_id == conv.c.id))
        if self.tag:
            where.append(conv.c.id.in_(sa.select(db.tags.c.conversation_id).where(
                db.tags.c.tag == self.tag)))
        if self.handed_over:
            # The handed-over patients' latest conversations (a handoff outlives a session).
            later = conv.alias("later")
            where += [conv.c.sender_id.in_(sa.select(db.handoffs.c.sender_id)),
                      ~sa.exists().where(later.c.sender_id == conv.c.sender_id,
                                         later.c.id > conv.c.id)]
        return where


@dataclass
class Summary:
    id: int
    sender_id: str
    started: float
    last: float
    messages: int
    channel: str
    first_question: str
    level: str
    fallback_turns: int
    min_confidence: float | None
    language: str = DEFAULT_LANGUAGE  # a code of LANGUAGES
    reviewed: dict | None = None
    tags: list[str] = field(default_factory=list)
    handoff_by: str = ""  # the staff member who has this (the patient's latest) conversation


def summaries(conn: sa.engine.Connection, rows) -> list[Summary]:
    """Rows of console_conversations with their review state and tags."""
    found = [Summary(r.id, r.sender_id, r.started, r.last, r.messages, r.channel,
                     r.first_question, LEVEL_NAMES.get(r.level, ""), r.fallback_turns,
                     r.min_confidence, r.language) for r in rows]
    by_id = {s.id: s for s in found}
    if by_id:
        for row in conn.execute(sa.select(db.reviews).where(
                db.reviews.c.conversation_id.in_(by_id))):
            by_id[row.conversation_id].reviewed = {"by": row.reviewed_by, "at": row.reviewed_at}
        for row in conn.execute(sa.select(db.tags.c.conversation_id, db.tags.c.tag).where(
                db.tags.c.conversation_id.in_(by_id)).order_by(db.tags.c.tag)):
            by_id[row.conversation_id].tags.append(row.tag)
        mark_handoffs(conn, found)
    return found


def mark_handoffs(conn: sa.engine.Connection, found: list[Summary]) -> None:
    """Mark the conversations taken over by staff: each handed-over patient's latest one."""
    staff = dict(conn.execute(sa.select(db.handoffs.c.sender_id, db.handoffs.c.staff).where(
        db.handoffs.c.sender_id.in_(list({s.sender_id for s in found})))).all())
    if not staff:
        return
    latest = set(conn.execute(sa.select(sa.func.max(conv.c.id)).where(
        conv.c.sender_id.in_(list(staff))).group_by(conv.c.sender_id)).scalars())
    for summary in found:
        if summary.id in latest:
            summary.handoff_by = staff.get(summary.sender_id, "")


def conversation_page(conn: sa.engine.Connection, filters: Filters, low_confidence_below: float,
                      page: int, page_size: int) -> tuple[list[Summary], int, bool]:
    """One page of conversations, newest first; how many match (at most COUNT_CAP) and whether
    there are more than that."""
    where = filters.conditions(low_confidence_below)
    matching = sa.select(conv.c.id).where(*where).limit(COUNT_CAP + 1).subquery()
    total = conn.execute(sa.select(sa.func.count()).select_from(matching)).scalar_one()
    rows = conn.execute(sa.select(conv).where(*where)
                        .order_by(conv.c.started.desc(), conv.c.id.desc())
                        .limit(page_size).offset((page - 1) * page_size)).all()
    return summaries(conn, rows), min(total, COUNT_CAP), total > COUNT_CAP


def all_conversations(conn: sa.engine.Connection, filters: Filters,
                      low_confidence_below: float):
    """Every matching conversation, newest first, in chunks (for exports)."""
    query = (sa.select(conv).where(*filters.conditions(low_confidence_below))
             .order_by(conv.c.started.desc(), conv.c.id.desc()))
    result = conn.execution_options(stream_results=True).execute(query)
    while chunk := result.fetchmany(500):
        yield from summaries(conn, chunk)


def conversation(conn: sa.engine.Connection, conversation_id: int) -> tuple[dict | None,
                                                                              int | None]:
    """A conversation's index row and the id of the same sender's next conversation."""
    row = conn.execute(sa.select(conv).where(conv.c.id == conversation_id)).first()
    if row is None:
        return None, None
    following = conn.execute(sa.select(sa.func.min(conv.c.id)).where(
        conv.c.sender_id == row.sender_id, conv.c.id > row.id)).scalar()
    return dict(row._mapping), following


def patient_conversations(conn: sa.engine.Connection, sender_id: str) -> list[dict]:
    """The sender's conversations as the list shows them (the patient wrote in them), oldest
    first: what a deletion at the patient's request deletes."""
    return [dict(r._mapping) for r in conn.execute(
        sa.select(conv.c.id, conv.c.started, conv.c.last, conv.c.channel, conv.c.messages)
        .where(conv.c.sender_id == sender_id, conv.c.user_messages > 0).order_by(conv.c.id))]


def distinct_values(conn: sa.engine.Connection, column: sa.Column) -> list[str]:
    return [v for (v,) in conn.execute(sa.select(column).distinct().order_by(column)) if v]


def channel_names(conn: sa.engine.Connection) -> list[str]:
    """The channels of the indexed conversations (the list's channel filter)."""
    return distinct_values(conn, conv.c.channel)


def intent_names(conn: sa.engine.Connection) -> list[str]:
    """The intents of the indexed conversations (the list's intent filter)."""
    return distinct_values(conn, db.conversation_intents.c.intent)


def conversation_extras(conn: sa.engine.Connection, conversation_id: int) -> dict:
    """A conversation's review (or None), notes (oldest first), tags (sorted) and escalations
    (oldest first, for their history on the conversation's page)."""
    review = conn.execute(sa.select(db.reviews).where(
        db.reviews.c.conversation_id == conversation_id)).first()
    notes = conn.execute(sa.select(db.notes).where(
        db.notes.c.conversation_id == conversation_id).order_by(db.notes.c.id)).all()
    tags = [r.tag for r in conn.execute(sa.select(db.tags.c.tag).where(
        db.tags.c.conversation_id == conversation_id).order_by(db.tags.c.tag))]
    return {"review": review, "notes": notes, "tags": tags,
            "escalations": conversation_escalations(conn, conversation_id)}


def mark_reviewed(conn: sa.engine.Connection, conversation_id: int, reviewed_by: str) -> None:
    """The conversation reviewed now by reviewed_by (replacing an earlier review)."""
    reviews = db.reviews
    conn.execute(reviews.delete().where(reviews.c.conversation_id == conversation_id))
    conn.execute(reviews.insert().values(
        conversation_id=conversation_id, reviewed_by=reviewed_by, reviewed_at=time.time()))


def add_note(conn: sa.engine.Connection, conversation_id: int, author: str, text: str) -> int:
    """A note on the conversation; its id."""
    return conn.execute(db.notes.insert().values(
        conversation_id=conversation_id, author=author, at=time.time(), text=text)
    ).inserted_primary_key[0]


def add_tag(conn: sa.engine.Connection, conversation_id: int, tag: str,
            author: str) -> int | None:
    """The tag on the conversation: the new tag's id, or None when it had it already."""
    tags = db.tags
    exists = conn.execute(sa.select(tags.c.id).where(
        tags.c.conversation_id == conversation_id, tags.c.tag == tag)).first()
    if exists:
        return None
    return conn.execute(tags.insert().values(
        conversation_id=conversation_id, tag=tag, author=author, at=time.time())
    ).inserted_primary_key[0]


def audit_page(conn: sa.engine.Connection, page: int, size: int) -> tuple[int, list]:
    """How many audit entries there are, and one page of them, newest first."""
    log = db.audit_log
    total = conn.execute(sa.select(sa.func.count()).select_from(log)).scalar()
    entries = conn.execute(sa.select(log).order_by(log.c.id.desc())
                           .limit(size).offset((page - 1) * size)).all()
    return total, entries


def day_bucket(conn: sa.engine.Connection) -> sa.sql.ColumnElement:
    """The UTC day number of a conversation's start, in the dialect's own arithmetic."""
    if conn.dialect.name == "postgresql":
        return sa.cast(sa.func.floor(conv.c.started / 86400), sa.Integer)
    return sa.cast(conv.c.started / 86400, sa.Integer)  # SQLite truncates: floor for >= 0


def dashboard(conn: sa.engine.Connection, first: date, last: date) -> dict:
    """Conversations, escalations, topics, fallback rate, channels and languages from first to
    last."""
    last = min(last, first + timedelta(days=MAX_DASHBOARD_DAYS - 1))
    in_range = [conv.c.user_messages > 0, conv.c.started >= day_start(first),
                conv.c.started < day_start(last + timedelta(days=1))]
    bucket = day_bucket(conn).label("day")
    per_day = {row.day: row for row in conn.execute(
        sa.select(bucket, sa.func.count().label("conversations"),
                  sa.func.sum(sa.case((conv.c.level == 2, 1), else_=0)).label("emergency"),
                  sa.func.sum(sa.case((conv.c.level == 1, 1), else_=0)).label("doctor"),
                  sa.func.sum(conv.c.user_messages).label("user_turns"),
                  sa.func.sum(conv.c.fallback_turns).label("fallback_turns"))
        .where(*in_range).group_by(bucket))}
    days = []
    epoch = date(1970, 1, 1)
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        row = per_day.get((day - epoch).days)
        days.append({"day": day.isoformat(),
                     "conversations": int(row.conversations) if row else 0,
                     "emergency": int(row.emergency or 0) if row else 0,
                     "doctor": int(row.doctor or 0) if row else 0,
                     "user_turns": int(row.user_turns or 0) if row else 0,
                     "fallback_turns": int(row.fallback_turns or 0) if row else 0})
    intents = db.conversation_intents
    turns = sa.func.sum(intents.c.turns).label("turns")
    topics = conn.execute(
        sa.select(intents.c.intent, turns).join(conv, conv.c.id == intents.c.conversation_id)
        .where(*in_range, intents.c.intent != "nlu_fallback")
        .group_by(intents.c.intent).order_by(turns.desc(), intents.c.intent).limit(10)).all()
    count = sa.func.count().label("conversations")
    channels = conn.execute(sa.select(conv.c.channel, count).where(*in_range)
                            .group_by(conv.c.channel).order_by(count.desc())).all()
    per_language = dict(conn.execute(sa.select(conv.c.language, count).where(*in_range)
                                     .group_by(conv.c.language)).all())
    totals = {key: sum(d[key] for d in days)
              for key in ("conversations", "emergency", "doctor", "user_turns", "fallback_turns")}
    totals["fallback_rate"] = (totals["fallback_turns"] / totals["user_turns"]
                               if totals["user_turns"] else 0.0)
    return {
        "from": first.isoformat(), "to": last.isoformat(), "days_back": len(days),
        "totals": totals,
        "per_day": [{k: d[k] for k in ("day", "conversations", "emergency", "doctor")}
                    for d in days],
        "fallback_per_day": [{k: d[k] for k in ("day", "user_turns", "fallback_turns")}
                             for d in days],
        "topics": [{"intent": r.intent, "turns": int(r.turns)} for r in topics],
        "channels": [{"channel": r.channel or "unknown", "conversations": int(r.conversations)}
                     for r in channels],
        # Every language the assistant speaks, in LANGUAGES' order, also with no conversations.
        "languages": [{"language": code, "name": name,
                       "conversations": int(per_language.get(code, 0))}
                      for code, name in LANGUAGES.items()],
    }


# The escalation queue ("Needs attention") and its figures on the dashboard. The rows are written
# by the indexer (console/escalations.py, console_escalations) and the alert sender
# (console_alert_deliveries); staff change their state through console/escalations.py.
RECENTLY_CLOSED_SECONDS = 24 * 3600
RECENTLY_CLOSED_MAX = 50
QUEUE_MAX = 500  # open and acknowledged ones; more than this is a crisis, not a list to scroll


def sign_labels(stored: str | None) -> list[str]:
    """The warning signs' labels of an escalation row (stored as a JSON list)."""
    try:
        signs = json.loads(stored or "[]")
    except ValueError:
        return []
    return [str(sign) for sign in signs] if isinstance(signs, list) else []


def with_alerts(conn: sa.engine.Connection, rows) -> list[dict]:
    """Escalation rows as dicts, their signs decoded, each with its alert's outcome
    (console/escalations.py: status, a short text, the deliveries)."""
    found = [dict(r._mapping) for r in rows]
    alerts = escalations.alert_outcome(conn, [r["id"] for r in found])
    for row in found:
        row["alert"] = alerts[row["id"]]
        row["signs"] = sign_labels(row["signs"])
    return found


def attention_queue(conn: sa.engine.Connection, now: float) -> list[dict]:
    """Open escalations (emergency first, then oldest first), then acknowledged ones (in the same
    order), then those closed in the last day (newest first)."""
    esc = db.escalations
    state_rank = sa.case((esc.c.state == "open", 0), else_=1)
    # escalations.LEVELS' order: emergency, doctor, a person asked for, a message left.
    level_rank = sa.case({level: rank for rank, level in enumerate(escalations.LEVELS)},
                         value=esc.c.level, else_=len(escalations.LEVELS))
    waiting = conn.execute(
        sa.select(esc).where(esc.c.state.in_(("open", "acknowledged")))
        .order_by(state_rank, level_rank, esc.c.raised_at, esc.c.id).limit(QUEUE_MAX)).all()
    closed = conn.execute(
        sa.select(esc).where(esc.c.state == "closed",
                             esc.c.closed_at >= now - RECENTLY_CLOSED_SECONDS)
        .order_by(esc.c.closed_at.desc(), esc.c.id.desc()).limit(RECENTLY_CLOSED_MAX)).all()
    return with_alerts(conn, [*waiting, *closed])


def conversation_escalations(conn: sa.engine.Connection, conversation_id: int) -> list[dict]:
    """A conversation's escalations, oldest first (the history on its page)."""
    esc = db.escalations
    return with_alerts(conn, conn.execute(
        sa.select(esc).where(esc.c.conversation_id == conversation_id)
        .order_by(esc.c.raised_at, esc.c.id)))


def percentile(ordered: list[float], fraction: float) -> float | None:
    """Linear interpolation between the closest ranks (PostgreSQL's percentile_cont)."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def acknowledgement_figures(conn: sa.engine.Connection, first: date, last: date,
                            now: float) -> dict:
    """Time to acknowledge (median, 90th percentile) of the escalations raised from first to
    last, and the escalations open now (how many, the oldest one's raise time). Only the safety
    layer's: a message left on a Friday night waits for Monday by design, and would hide how
    fast the clinic reacts to warning signs."""
    last = min(last, first + timedelta(days=MAX_DASHBOARD_DAYS - 1))  # as dashboard()
    esc = db.escalations
    safety = esc.c.level.not_in(escalations.PERSON_LEVELS)
    # Every state, named: the range then runs on the (state, raised_at) index.
    in_range = [esc.c.state.in_(escalations.STATES), esc.c.raised_at >= day_start(first),
                esc.c.raised_at < day_start(last + timedelta(days=1)), safety]
    raised = conn.execute(sa.select(sa.func.count()).where(*in_range)).scalar_one()
    waited = (esc.c.acknowledged_at - esc.c.raised_at)
    acknowledged = [*in_range, esc.c.acknowledged_at.is_not(None)]
    if conn.dialect.name == "postgresql":
        row = conn.execute(sa.select(
            sa.func.count(), sa.func.percentile_cont(0.5).within_group(waited),
            sa.func.percentile_cont(0.9).within_group(waited)).where(*acknowledged)).one()
        count, median, p90 = row
    else:  # SQLite has no percentiles: the period's waits are a few thousand numbers at most
        ordered = list(conn.execute(sa.select(waited).where(*acknowledged).order_by(waited))
                       .scalars())
        count, median, p90 = len(ordered), percentile(ordered, 0.5), percentile(ordered, 0.9)
    still = conn.execute(sa.select(esc.c.state, sa.func.count().label("n"),
                                   sa.func.min(esc.c.raised_at).label("oldest"))
                         .where(esc.c.state.in_(("open", "acknowledged")), safety)
                         .group_by(esc.c.state)).all()
    by_state = {r.state: r for r in still}
    open_row = by_state.get("open")
    return {
        "raised": int(raised), "acknowledged": int(count),
        "median_seconds": None if median is None else float(median),
        "p90_seconds": None if p90 is None else float(p90),
        "open": int(open_row.n) if open_row else 0,
        "oldest_open_at": float(open_row.oldest) if open_row else None,
        "oldest_open_seconds": max(0.0, now - open_row.oldest) if open_row else None,
        "acknowledged_not_closed": int(by_state["acknowledged"].n)
        if "acknowledged" in by_state else 0,
    }
