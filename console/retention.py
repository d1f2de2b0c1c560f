"""Delete old conversations: python -m console.retention --days N [--dry-run]

A conversation is old when its last event is more than N days ago. Its events are deleted from
Rasa's tracker store and its notes from the console database; nothing else is touched.
"""

from __future__ import annotations

import argparse
import sys
import time

import sqlalchemy as sa

from console import db
from console.config import Settings
from console.tracker import events

BATCH = 500


def old_senders(tracker: sa.engine.Engine, cutoff: float) -> list[str]:
    if not sa.inspect(tracker).has_table("events"):
        return []
    query = (sa.select(events.c.sender_id).group_by(events.c.sender_id)
             .having(sa.func.max(events.c.timestamp) < cutoff))
    with tracker.connect() as conn:
        return [row[0] for row in conn.execute(query)]


def apply_retention(settings: Settings, days: float, dry_run: bool = False) -> dict[str, int]:
    cutoff = time.time() - days * 86400
    tracker = sa.create_engine(settings.tracker_url, future=True)
    console = db.connect(settings.console_db_url)
    senders = old_senders(tracker, cutoff)
    counts = {"conversations": len(senders), "events": 0, "notes": 0}
    for start in range(0, len(senders), BATCH):
        batch = senders[start:start + BATCH]
        if dry_run:
            with tracker.connect() as conn:
                counts["events"] += conn.execute(sa.select(sa.func.count()).select_from(events)
                                                 .where(events.c.sender_id.in_(batch))).scalar()
            with console.connect() as conn:
                counts["notes"] += conn.execute(sa.select(sa.func.count()).select_from(db.notes)
                                                .where(db.notes.c.sender_id.in_(batch))).scalar()
            continue
        with tracker.begin() as conn:
            counts["events"] += conn.execute(
                events.delete().where(events.c.sender_id.in_(batch))).rowcount
        with console.begin() as conn:
            counts["notes"] += conn.execute(
                db.notes.delete().where(db.notes.c.sender_id.in_(batch))).rowcount
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console.retention", description=__doc__)
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
