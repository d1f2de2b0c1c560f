"""The console's side of a deletion (docs/data-rights.md, section 2.3).

Every deletion (the patient's in the chat, an admin's, retention) runs `privacy.erasure.erase` on
the Rasa server, which deletes the sender's events and, in the same transaction, inserts a row
into `privacy_erasures` in Rasa's tracker database. The indexer calls `process` after each pass's
events (and the admin's delete and retention call it right after the Rasa server answered): for
each row, in id order and in one console transaction, it deletes the sender's conversations whose
id is at most the row's `up_to_event_id`, with everything the console derived from them or added
to them (index rows, search text, intents, reviews, notes, tags, escalations and their alert
deliveries, pending ones included, so they are never sent) and the sender's handoff, and writes
one audit row; then it deletes the `privacy_erasures` row.

The audit row (`action = "erasure"`, actor the row's actor, no conversation id) holds the reason,
the channel, a keyed hash of the sender id (privacy.identifiers.audit_hash), the counts, when the
deletion was requested and the erasure row's id: never patient text or the sender id itself.

**A crash in between** (the console's transaction committed, the `privacy_erasures` row not yet
deleted) repeats the deletion, which finds nothing more, and writes no second audit row: the
audit row names the erasure row (its id and its request time, since SQLite may give a deleted
row's id to the next one).

**A conversation indexed while it is being deleted** ends up deleted too: an index pass and an
erasure take the same write lock on the console database (`lock_index`, the indexer's
`console_index_state` row) before anything else. So an index pass that read the patient's events
before Rasa deleted them has committed its rows before the erasure's transaction starts, which
then deletes them; and an index pass that starts after it reads the events after their deletion.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

from console import db, handoff
from console.tracker import TrackerReader
from privacy.erasure import erasures as erasure_rows
from privacy.identifiers import audit_hash

log = logging.getLogger("console.erasures")
ACTION = "erasure"
# The audit row is looked for among those written since the deletion was requested (on the Rasa
# server's clock), less this much for clocks that disagree between machines.
CLOCK_SKEW_SECONDS = 3600
CHUNK = 500  # conversation ids per IN (...)


@dataclass(frozen=True)
class Done:
    """What the console deleted for one deletion. `sender_id` is for the caller (the admin's
    page, retention) and is never logged or audited."""

    erasure_id: int | None
    sender_id: str
    reason: str
    actor: str
    channel: str
    conversations: int
    events: int
    notes: int
    audited: bool  # False: a run before a crash had written the audit row already


def lock_index(conn: sa.engine.Connection) -> None:
    """Take the console database's write lock that index passes and erasures share, as the
    transaction's first statement (a row lock on PostgreSQL; on SQLite, whose transactions begin
    with their first write, the database's write lock)."""
    state = db.index_state
    conn.execute(state.update().where(state.c.id == 1).values(watermark=state.c.watermark))


def requested_at(at: float) -> str:
    return datetime.fromtimestamp(at, timezone.utc).isoformat(timespec="microseconds")


def pending(tracker: TrackerReader) -> list:
    """The `privacy_erasures` rows in id order; none while the table does not exist."""
    if not tracker.has_erasures():
        return []
    with tracker.engine.connect() as conn:
        return conn.execute(sa.select(erasure_rows).order_by(erasure_rows.c.id)).all()


def process(tracker: TrackerReader, console: sa.engine.Engine) -> list[Done]:
    """Act on every `privacy_erasures` row (docs/data-rights.md, 2.3). The caller keeps other
    index passes of this process out (Indexer.apply_erasures); other processes wait at
    `lock_index`."""
    return [apply(tracker, console, row) for row in pending(tracker)]


def apply(tracker: TrackerReader, console: sa.engine.Engine, row) -> Done:
    """One `privacy_erasures` row: the console's part in one transaction with its audit row, then
    the row itself goes."""
    key = {"erasure": row.id, "requested_at": requested_at(row.at),
           "sender": audit_hash(row.sender_id)}
    with console.begin() as conn:
        lock_index(conn)
        conversations, notes = delete_derived(conn, tracker, row.sender_id, row.up_to_event_id)
        audited = not already_audited(conn, key, row.at)
        if audited:
            db.audit(conn, row.actor, ACTION, None, reason=row.reason, channel=row.channel,
                     sender=key["sender"], conversations=conversations, events=row.events,
                     requested_at=key["requested_at"], erasure=row.id)
    with tracker.engine.begin() as conn:
        # By id and time: an id SQLite gave again to a newer deletion is not this row.
        conn.execute(erasure_rows.delete().where(erasure_rows.c.id == row.id,
                                                 erasure_rows.c.at == row.at))
    log.info("erasure %s (%s): %d conversations deleted from the console%s", row.id, row.reason,
             conversations, "" if audited else " (a repeat: audited before)")
    return Done(row.id, row.sender_id, row.reason, row.actor, row.channel, conversations,
                row.events, notes, audited)


def forget(tracker: TrackerReader, console: sa.engine.Engine, sender_id: str, up_to_event_id: int,
           *, reason: str, actor: str, channel: str = "") -> Done:
    """The console's part of a deletion for which the Rasa server had nothing left to delete (no
    `privacy_erasures` row): conversations still in the index whose events are gone. Audited like
    any other deletion when it deleted something."""
    with console.begin() as conn:
        lock_index(conn)
        conversations, notes = delete_derived(conn, tracker, sender_id, up_to_event_id)
        if conversations:
            db.audit(conn, actor, ACTION, None, reason=reason, channel=channel,
                     sender=audit_hash(sender_id), conversations=conversations, events=0,
                     requested_at=requested_at(time.time()), erasure=None)
    return Done(None, sender_id, reason, actor, channel, conversations, 0, notes,
                bool(conversations))


def already_audited(conn: sa.engine.Connection, key: dict, at: float) -> bool:
    log_table = db.audit_log
    rows = conn.execute(sa.select(log_table.c.detail).where(
        log_table.c.action == ACTION, log_table.c.at >= at - CLOCK_SKEW_SECONDS))
    for (detail,) in rows:
        try:
            stored = json.loads(detail or "{}")
        except ValueError:
            continue
        if isinstance(stored, dict) and all(stored.get(k) == v for k, v in key.items()):
            return True
    return False


def delete_derived(conn: sa.engine.Connection, tracker: TrackerReader, sender_id: str,
                   up_to_event_id: int) -> tuple[int, int]:
    """Delete what the console keeps of the sender's conversations up to the event id, and the
    sender's handoff unless the events left say a staff member has the patient now; (how many
    conversations, how many notes) were deleted."""
    conv = db.conversations
    ids = [r.id for r in conn.execute(sa.select(conv.c.id).where(
        conv.c.sender_id == sender_id, conv.c.id <= up_to_event_id))]
    # Escalations by sender too: also one whose conversation row is missing. Their deliveries
    # first (pending alerts are never sent).
    esc = db.escalations
    escalated = sa.select(esc.c.id).where(esc.c.sender_id == sender_id,
                                          esc.c.conversation_id <= up_to_event_id)
    conn.execute(db.alert_deliveries.delete().where(
        db.alert_deliveries.c.escalation_id.in_(escalated)))
    conn.execute(esc.delete().where(esc.c.sender_id == sender_id,
                                    esc.c.conversation_id <= up_to_event_id))
    notes = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for table in db.PER_CONVERSATION:
            done = conn.execute(table.delete().where(table.c.conversation_id.in_(chunk)))
            if table is db.notes:
                notes += done.rowcount
        conn.execute(conv.delete().where(conv.c.id.in_(chunk)))
    keep_handoff(conn, tracker, sender_id)
    return len(ids), notes


def keep_handoff(conn: sa.engine.Connection, tracker: TrackerReader, sender_id: str) -> None:
    """The sender's handoff row as the events left say: none after a deletion of everything;
    after retention, whose deletion keeps the patient's newer conversation, the staff member who
    has that one (a new Rasa session repeats the holder's `handoff_by`, docs/handoff.md)."""
    table = db.handoffs
    now = handoff.current(tracker, sender_id)
    conn.execute(table.delete().where(table.c.sender_id == sender_id))
    if now is not None:
        conn.execute(table.insert().values(sender_id=sender_id, staff=now.staff,
                                           since=now.since, event_id=now.event_id))
