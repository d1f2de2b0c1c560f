"""Delete old conversations: python -m console.retention --days N [--dry-run]

A conversation (one Rasa session) is old when its last event is more than N days ago. Its
events are deleted from Rasa's tracker store, and its index rows, review, notes, tags,
escalations and their alert deliveries from the console database (and a handoff of a patient
with no conversation left); nothing else is touched.
Each run is written to the audit log (counts only). Newer conversations of the same patient
stay whole.
"""

from __future__ import annotations

import argparse
import sys
import time

import sqlalchemy as sa

from console import db
from console.config import Settings
from console.indexer import Indexer
from console.tracker import TrackerReader, events

BATCH = 200


def apply_retention(settings: Settings, days: float, dry_run: bool = False) -> dict[str, int]:
    cutoff = time.time() - days * 86400
    tracker = TrackerReader(settings.tracker_url)
    console = db.connect(settings.console_db_url)
    # Index first, so every old event belongs to a conversation the index knows.
    Indexer(tracker, console).catch_up()
    conv = db.conversations
    with console.connect() as conn:
        old = conn.execute(sa.select(conv.c.id, conv.c.sender_id, conv.c.last_event_id)
                           .where(conv.c.last < cutoff).order_by(conv.c.id)).all()
    counts = {"conversations": len(old), "events": 0, "notes": 0}
    for start in range(0, len(old), BATCH):
        batch = old[start:start + BATCH]
        ids = [row.id for row in batch]
        in_batch = sa.or_(*(sa.and_(events.c.sender_id == row.sender_id, events.c.id >= row.id,
                                    events.c.id <= row.last_event_id) for row in batch))
        notes = db.notes.c.conversation_id.in_(ids)
        if dry_run:
            if tracker.ready():
                with tracker.engine.connect() as conn:
                    counts["events"] += conn.execute(
                        sa.select(sa.func.count()).select_from(events).where(in_batch)).scalar()
            with console.connect() as conn:
                counts["notes"] += conn.execute(
                    sa.select(sa.func.count()).select_from(db.notes).where(notes)).scalar()
            continue
        if tracker.ready():
            with tracker.engine.begin() as conn:
                counts["events"] += conn.execute(events.delete().where(in_batch)).rowcount
        with console.begin() as conn:
            counts["notes"] += conn.execute(db.notes.delete().where(notes)).rowcount
            conn.execute(db.alert_deliveries.delete().where(db.alert_deliveries.c.escalation_id
                         .in_(sa.select(db.escalations.c.id)
                              .where(db.escalations.c.conversation_id.in_(ids)))))
            for table in db.PER_CONVERSATION:
                if table is not db.notes:
                    conn.execute(table.delete().where(table.c.conversation_id.in_(ids)))
            conn.execute(conv.delete().where(conv.c.id.in_(ids)))
    if not dry_run:
        with console.begin() as conn:
            # A handoff belongs to a sender: it goes with the sender's last conversation.
            conn.execute(db.handoffs.delete().where(~sa.exists().where(
                conv.c.sender_id == db.handoffs.c.sender_id)))
            db.audit(conn, "retention", "retention", days=days, **counts)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console.retention", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=float, required=True,
                        help="keep conversations active in the last N days")
    parser.add_argument("--dry-run", action="store_true", help="only count")
    args = parser.parse_args(argv)
    if args.days < 0:
        parser.error("--days must not be negative")
    counts = apply_retention(Settings.from_env(), args.days, args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    print(f"{verb} {counts['conversations']} conversations: {counts['events']} events, "
          f"{counts['notes']} notes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
