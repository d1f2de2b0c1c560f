"""Escalations: one row per doctor-level or emergency escalation, and per patient who asked for a
person (level "person": in opening hours, a staff member is to answer in the chat; "message": a
message left outside them), with its queue state (open, acknowledged, closed with an outcome) and
its alert deliveries (console/alerts.py sends them).

The indexer (console/indexer.py) derives them from Rasa's events as it reads each event once
(`record_batch`), in the transaction that indexes the events, so there is exactly one row per
escalation however many replicas, retries or restarts there were: the row is keyed by the id of
the `escalation_level` (or `person_requested`) slot event that raised it. Within one conversation
a repeated warning sign adds its signs to the escalation still open at the same or a higher level;
a rise from doctor to emergency is a new escalation (and a new alert). Requests for a person are a
track of their own: a repeated request joins the one still open (a message left outside the hours
joins an open in-hours request; an in-hours request after a message is a new one, and an alert).

Staff change the state only through `acknowledge` and `close`, each audited (console.db.audit)
in the caller's transaction.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from console import db
from safety.levels import DOCTOR, EMERGENCY, LEVEL_RANK
from safety.turn import CATCH_ALL_LABEL, CATCH_ALL_SIGN

OPEN, ACKNOWLEDGED, CLOSED = "open", "acknowledged", "closed"
STATES = (OPEN, ACKNOWLEDGED, CLOSED)
# A patient asked for a person: in opening hours (someone is to answer in the chat) or outside
# them (a message left for the clinic). Values of the `person_requested` slot -> queue level.
PERSON, MESSAGE = "person", "message"
PERSON_REQUESTS = {"in_hours": PERSON, "message": MESSAGE}
PERSON_LEVELS = (PERSON, MESSAGE)
# The queue's order: safety first, then a patient waiting in the chat, then messages.
LEVELS = (EMERGENCY, DOCTOR, PERSON, MESSAGE)
# What the "signs" column says for a request (a plain label, like a sign's; never patient text).
PERSON_LABELS = {PERSON: "asked to talk to a person", MESSAGE: "left a message for the clinic"}
OUTCOMES = ("called_back", "answered_in_chat", "no_answer", "sent_to_emergency_care",
            "no_action_needed")
OUTCOME_NAMES = {"called_back": "called back", "answered_in_chat": "answered in chat",
                 "no_answer": "no answer", "sent_to_emergency_care": "sent to emergency care",
                 "no_action_needed": "no action needed"}
MAX_NOTE = 4000
# A sign id the vocabulary does not know is shown as this, never as the slot's raw value (the
# slot may hold the patient's own words when a finding has no sign id).
UNKNOWN_SIGN = "a warning sign"
# Delivery states (console/alerts.py).
PENDING, RETRYING, SENT, FAILED = "pending", "retrying", "sent", "failed"

table = db.escalations
deliveries = db.alert_deliveries


# --- from the indexer -----------------------------------------------------------------------
def sign_label(sign_id: object) -> str:
    """The plain label staff read for a sign id of the `warning_signs` slot."""
    from safety.vocabulary import default_vocabulary  # loaded once, only when signs appear

    if sign_id == CATCH_ALL_SIGN:
        return CATCH_ALL_LABEL
    try:
        sign = default_vocabulary().sign(str(sign_id))
    except KeyError:
        return UNKNOWN_SIGN
    return sign.escalated_label or sign.label


def sign_labels(value: object) -> list[str]:
    values = value if isinstance(value, list) else [value] if value else []
    return list(dict.fromkeys(sign_label(v) for v in values))


@dataclass
class Raised:
    """What one turn of the event stream says: an escalation (level set) or, when the turn's
    level event was in an earlier batch, only its signs."""

    conversation_id: int
    sender_id: str
    event_id: int
    channel: str
    raised_at: float
    level: str | None = None
    signs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AlertPlan:
    """Where the alerts of new escalations go: (position in CLINIC_ALERT_URLS, redacted form)
    per destination, and how old an escalation may be when indexed and still be alerted (an
    index rebuilt over months of history must not page anyone)."""

    destinations: tuple[tuple[int, str], ...] = ()
    max_age_seconds: float = 1800.0


def _rank(level: str) -> int:
    if level in PERSON_LEVELS:
        return 1 if level == MESSAGE else 2
    return LEVEL_RANK.get(level, 0)


def _track(level: str) -> str:
    """Safety escalations and requests for a person merge only within their own kind."""
    return "person" if level in PERSON_LEVELS else "safety"


def record_batch(conn: sa.engine.Connection, raised: Sequence[Raised],
                 plan: AlertPlan = AlertPlan(), now: float | None = None) -> list[int]:
    """Apply one indexing batch's escalation events, in event order; the new escalations' ids."""
    if not raised:
        return []
    now = time.time() if now is None else now
    conversation_ids = {r.conversation_id for r in raised}
    # The conversations' escalations not closed yet, oldest first: candidates for a merge.
    active: dict[int, list[dict]] = {}
    for row in conn.execute(sa.select(table.c.id, table.c.conversation_id, table.c.level,
                                      table.c.signs, table.c.event_id)
                            .where(table.c.conversation_id.in_(conversation_ids),
                                   table.c.state != CLOSED).order_by(table.c.id)):
        active.setdefault(row.conversation_id, []).append(
            {"id": row.id, "level": row.level, "signs": json.loads(row.signs),
             "event_id": row.event_id, "changed": False})
    known = set(conn.execute(sa.select(table.c.event_id).where(
        table.c.event_id.in_([r.event_id for r in raised if r.level]))).scalars())
    new: list[dict] = []
    target: dict[int, dict] = {}  # conversation -> the escalation its latest turn went to
    for item in raised:
        mine = active.setdefault(item.conversation_id, [])
        if item.level:
            if item.event_id in known:  # indexed before (cannot happen, but never twice)
                continue
            track = _track(item.level)
            same_or_higher = [e for e in mine if _track(e["level"]) == track
                              and _rank(e["level"]) >= _rank(item.level)]
            if same_or_higher:
                chosen = same_or_higher[-1]
            else:
                chosen = {"id": None, "level": item.level,
                          "signs": [PERSON_LABELS[item.level]] if track == "person" else [],
                          "event_id": item.event_id, "item": item}
                mine.append(chosen)
                new.append(chosen)
            if track == "person":
                continue  # a request carries no warning signs
            target[item.conversation_id] = chosen
        safety = [e for e in mine if _track(e["level"]) == "safety"]
        escalation = target.get(item.conversation_id)
        if escalation is None and safety:  # signs whose level event an earlier batch read
            escalation = max(safety, key=lambda e: (_rank(e["level"]), e["event_id"]))
        if escalation is not None:
            added = [s for s in item.signs if s not in escalation["signs"]]
            escalation["signs"] += added
            escalation["changed"] = escalation.get("changed", False) or bool(added)
    _insert(conn, new, plan, now)
    for escalation in (e for rows in active.values() for e in rows):
        if escalation["id"] is not None and escalation["changed"]:
            conn.execute(table.update().where(table.c.id == escalation["id"]).values(
                signs=json.dumps(escalation["signs"])))
    return [e["id"] for e in new if e["id"] is not None]


def _insert(conn: sa.engine.Connection, new: list[dict], plan: AlertPlan, now: float) -> None:
    if not new:
        return
    rows = [{"conversation_id": e["item"].conversation_id, "sender_id": e["item"].sender_id,
             "event_id": e["event_id"], "channel": e["item"].channel[:255], "level": e["level"],
             "signs": json.dumps(e["signs"]), "raised_at": e["item"].raised_at, "state": OPEN}
            for e in new]
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(table).on_conflict_do_nothing(index_elements=["event_id"]), rows)
    ids = dict(conn.execute(sa.select(table.c.event_id, table.c.id).where(
        table.c.event_id.in_([e["event_id"] for e in new]))).all())
    alerts = []
    for escalation in new:
        escalation["id"] = ids.get(escalation["event_id"])
        escalation["changed"] = False
        if escalation["id"] is None or now - escalation["item"].raised_at > plan.max_age_seconds:
            continue
        alerts += [{"escalation_id": escalation["id"], "destination": destination[:255],
                    "destination_index": index, "status": PENDING, "attempts": 0,
                    "next_attempt_at": now}
                   for index, destination in plan.destinations]
    if alerts:
        conn.execute(dialect.insert(deliveries).on_conflict_do_nothing(
            index_elements=["escalation_id", "destination_index"]), alerts)


# --- reading --------------------------------------------------------------------------------
def _as_dict(row) -> dict:
    item = dict(row._mapping)
    item["signs"] = json.loads(item["signs"] or "[]")
    return item


def get(conn: sa.engine.Connection, escalation_id: int) -> dict | None:
    row = conn.execute(sa.select(table).where(table.c.id == escalation_id)).first()
    return _as_dict(row) if row else None


def for_conversation(conn: sa.engine.Connection, conversation_id: int) -> list[dict]:
    return [_as_dict(r) for r in conn.execute(
        sa.select(table).where(table.c.conversation_id == conversation_id).order_by(table.c.id))]


def listing(conn: sa.engine.Connection, states: Iterable[str] = (OPEN, ACKNOWLEDGED),
            limit: int = 200) -> list[dict]:
    """Escalations in the given states, open before acknowledged before closed, oldest first
    within a state (closed ones newest first)."""
    states = [s for s in states if s in STATES]
    order = sa.case({OPEN: 0, ACKNOWLEDGED: 1}, value=table.c.state, else_=2)
    newest_closed = sa.case((table.c.state == CLOSED, -table.c.raised_at),
                            else_=table.c.raised_at)
    return [_as_dict(r) for r in conn.execute(
        sa.select(table).where(table.c.state.in_(states))
        .order_by(order, newest_closed, table.c.id).limit(limit))]


def alert_outcome(conn: sa.engine.Connection, escalation_ids: Iterable[int]) -> dict[int, dict]:
    """Per escalation id: its alerts' overall status (none | pending | retrying | sent |
    failed: the worst of its deliveries), a short text for staff, and each delivery."""
    ids = list(escalation_ids)
    found: dict[int, list[dict]] = {i: [] for i in ids}
    if ids:
        for row in conn.execute(sa.select(deliveries).where(deliveries.c.escalation_id.in_(ids))
                                .order_by(deliveries.c.destination_index)):
            found[row.escalation_id].append(dict(row._mapping))
    return {i: summarise(rows) for i, rows in found.items()}


def summarise(rows: list[dict]) -> dict:
    if not rows:
        return {"status": "none", "text": "no alert", "deliveries": []}
    statuses = [r["status"] for r in rows]
    status = next(s for s in (FAILED, RETRYING, PENDING, SENT) if s in statuses)
    word = {FAILED: "failed", RETRYING: "retrying", PENDING: "sending", SENT: "sent"}[status]
    sent = statuses.count(SENT)
    # With several destinations, how many have it: "failed (sent to 2 of 3)".
    text = word if len(rows) == 1 or sent in (0, len(rows)) and status != FAILED else (
        f"{word} (sent to {sent} of {len(rows)})")
    return {"status": status, "text": text, "deliveries": rows}


# --- staff changes --------------------------------------------------------------------------
def acknowledge(conn: sa.engine.Connection, escalation_id: int, actor: str) -> bool:
    """An open escalation becomes acknowledged by `actor`; False when it is not open (unknown,
    or someone was first)."""
    row = get(conn, escalation_id)
    if row is None:
        return False
    now = time.time()
    done = conn.execute(table.update().where(table.c.id == escalation_id, table.c.state == OPEN)
                        .values(state=ACKNOWLEDGED, acknowledged_by=actor, acknowledged_at=now))
    if done.rowcount != 1:
        return False
    db.audit(conn, actor, "acknowledge", row["conversation_id"], escalation_id=escalation_id)
    return True


def close(conn: sa.engine.Connection, escalation_id: int, actor: str, outcome: str,
          note: str = "") -> bool:
    """An open or acknowledged escalation is closed with one of OUTCOMES and a note (may be
    empty). Closing an open one also records it acknowledged now by the same person: closing is
    the clinic's reaction, and time to acknowledge counts it. False when it is unknown or closed
    already; ValueError for an outcome not in OUTCOMES or a note over MAX_NOTE characters."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {OUTCOMES}")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValueError(f"a note is at most {MAX_NOTE} characters")
    row = get(conn, escalation_id)
    if row is None or row["state"] == CLOSED:
        return False
    now = time.time()
    values = {"state": CLOSED, "closed_by": actor, "closed_at": now, "outcome": outcome,
              "note": note or None}
    if row["acknowledged_at"] is None:
        values.update(acknowledged_by=actor, acknowledged_at=now)
    done = conn.execute(table.update().where(table.c.id == escalation_id,
                                             table.c.state == row["state"]).values(**values))
    if done.rowcount != 1:
        return False
    db.audit(conn, actor, "close", row["conversation_id"], escalation_id=escalation_id,
             outcome=outcome, with_note=bool(note))
    return True
