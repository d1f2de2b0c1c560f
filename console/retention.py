"""Delete old conversations: python -m console.retention [--days N] [--dry-run]

A conversation (one Rasa session) is old when its last event is more than N days ago; N is the
clinic profile's retention_days (clinic/profile.yml, default 365) unless --days says otherwise.
Retention deletes through the Rasa server, like every deletion (docs/data-rights.md): for each
patient with old conversations, one call to its deletion endpoint (RASA_API_URL, RASA_API_TOKEN)
deletes the patient's events up to the last event of their newest old conversation, under the
conversation's lock; then the console deletes its index rows, reviews, notes, tags, escalations
and alert deliveries of those conversations (console/erasures.py), and the patient's handoff
unless they have a newer conversation taken over. Newer conversations of the same patient stay
whole. Each deletion has its audit row (reason "retention", a keyed hash of the sender id, no
text), and each run one more with the counts.

The console runs it by itself every CONSOLE_RETENTION_HOURS (default 24; 0: never). When the Rasa
server cannot be reached the command stops with exit status 2: nothing of the patient it was
deleting is deleted (and what was deleted before stays deleted, recorded and counted).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import defaultdict

import sqlalchemy as sa

from console import db, erasures, rasa_api
from console.config import Settings
from console.indexer import Indexer
from console.tracker import TrackerReader, events

BATCH = 200
ACTION = "retention"
FAILED_ACTION = "retention_failed"
ACTOR = "retention"
REASON = "retention"  # privacy.erasure.RETENTION
log = logging.getLogger("console.retention")


class RetentionStopped(Exception):
    """The Rasa server did not delete a patient's old conversations; `counts`: what was deleted
    before that."""

    def __init__(self, error: rasa_api.RasaAPIError, counts: dict[str, int]) -> None:
        super().__init__(str(error))
        self.error = error
        self.counts = counts


def default_days() -> int:
    from clinic import load_profile

    return load_profile().retention_days


def old_conversations(console: sa.engine.Engine, cutoff: float) -> list:
    conv = db.conversations
    with console.connect() as conn:
        return conn.execute(sa.select(conv.c.id, conv.c.sender_id, conv.c.last_event_id)
                            .where(conv.c.last < cutoff).order_by(conv.c.id)).all()


def count_notes(console: sa.engine.Engine, ids: list[int]) -> int:
    notes = 0
    with console.connect() as conn:
        for start in range(0, len(ids), BATCH):
            notes += conn.execute(sa.select(sa.func.count()).select_from(db.notes).where(
                db.notes.c.conversation_id.in_(ids[start:start + BATCH]))).scalar()
    return notes


def dry_run_counts(tracker: TrackerReader, console: sa.engine.Engine, old: list) -> dict:
    counts = {"conversations": len(old), "events": 0,
              "notes": count_notes(console, [row.id for row in old])}
    if tracker.ready():
        for start in range(0, len(old), BATCH):
            batch = old[start:start + BATCH]
            in_batch = sa.or_(*(sa.and_(events.c.sender_id == row.sender_id,
                                        events.c.id >= row.id, events.c.id <= row.last_event_id)
                                for row in batch))
            with tracker.engine.connect() as conn:
                counts["events"] += conn.execute(
                    sa.select(sa.func.count()).select_from(events).where(in_batch)).scalar()
    return counts


def apply_retention(settings: Settings, days: float, dry_run: bool = False, *,
                    tracker: TrackerReader | None = None, console: sa.engine.Engine | None = None,
                    indexer: Indexer | None = None) -> dict[str, int]:
    """Delete (or with dry_run only count) the conversations older than `days`; the counts.
    RetentionStopped when the Rasa server did not answer or refused."""
    cutoff = time.time() - days * 86400
    tracker = tracker or (indexer.tracker if indexer else TrackerReader(settings.tracker_url))
    console = console or (indexer.console if indexer else db.connect(settings.console_db_url))
    indexer = indexer or Indexer(tracker, console)
    # Index first, so every old event belongs to a conversation the index knows.
    indexer.catch_up()
    old = old_conversations(console, cutoff)
    if dry_run:
        return dry_run_counts(tracker, console, old)
    per_sender: dict[str, list] = defaultdict(list)
    for row in old:
        per_sender[row.sender_id].append(row)
    counts = {"conversations": 0, "events": 0, "notes": 0, "patients": 0}
    stopped: rasa_api.RasaAPIError | None = None
    gone_already: list[tuple[str, int]] = []  # Rasa had no events left to delete
    for sender_id, rows in per_sender.items():
        newest = max(rows, key=lambda r: r.id)  # the sender's newest old conversation
        notes = count_notes(console, [r.id for r in rows])
        try:
            done = rasa_api.erase(settings.rasa_api_url, settings.rasa_api_token, sender_id,
                                  REASON, ACTOR, up_to_event_id=newest.last_event_id)
        except rasa_api.RasaAPIError as error:
            stopped = error
            break
        counts["conversations"] += len(rows)
        counts["events"] += done.events
        counts["notes"] += notes
        counts["patients"] += 1
        if not done.events:
            gone_already.append((sender_id, newest.last_event_id))
    # The console's part of each deletion at once (the console's own pass may have been first).
    indexer.apply_erasures()
    for sender_id, up_to in gone_already:
        # No `privacy_erasures` row: the index's rows of events that were gone already.
        erasures.forget(tracker, console, sender_id, up_to, reason=REASON, actor=ACTOR)
    with console.begin() as conn:
        if stopped is None:
            db.audit(conn, ACTOR, ACTION, days=days, **counts)
        else:
            db.audit(conn, ACTOR, FAILED_ACTION, days=days, status=stopped.status, **counts)
    if stopped is not None:
        raise RetentionStopped(stopped, counts)
    return counts


def last_run(conn: sa.engine.Connection) -> float | None:
    """When retention last ran to the end (its audit row), or None."""
    log_table = db.audit_log
    return conn.execute(sa.select(log_table.c.at).where(log_table.c.action == ACTION)
                        .order_by(log_table.c.at.desc()).limit(1)).scalar()


def seconds_until_due(last: float | None, hours: float, now: float) -> float:
    """How long until the next run every `hours` hours (0: due now)."""
    if last is None:
        return 0.0
    return max(0.0, last + hours * 3600 - now)


def summary(counts: dict[str, int], dry_run: bool = False) -> str:
    verb = "would delete" if dry_run else "deleted"
    return (f"{verb} {counts['conversations']} conversations: {counts['events']} events, "
            f"{counts['notes']} notes")


def stopped_message(rasa_url: str, stopped: RetentionStopped) -> str:
    done, no_answer = stopped.counts, isinstance(stopped.error, rasa_api.NoAnswer)
    parts = [f"retention stopped: the Rasa server's deletion endpoint ({rasa_url}"
             f"{rasa_api.ERASE_PATH}) did not delete ({stopped.error})"]
    if done["conversations"]:
        parts.append(f"before that it {summary(done)}")
    else:
        parts.append("nothing was deleted before that" if no_answer else "nothing was deleted")
    if no_answer:
        parts.append("the patient it was asking about may be deleted by now (the server may "
                     "still be at it)")
    parts.append("check that Rasa is running and that RASA_API_URL and RASA_API_TOKEN are "
                 "right, then run it again")
    return "; ".join(parts) + "."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console.retention", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=float, default=None,
                        help="keep conversations active in the last N days (default: the clinic "
                             "profile's retention_days)")
    parser.add_argument("--dry-run", action="store_true", help="only count")
    args = parser.parse_args(argv)
    days = default_days() if args.days is None else args.days
    if days < 0:
        parser.error("--days must not be negative")
    settings = Settings.from_env()
    try:
        counts = apply_retention(settings, days, args.dry_run)
    except RetentionStopped as stopped:
        print(stopped_message(settings.rasa_api_url, stopped), file=sys.stderr)
        return 2
    print(summary(counts, args.dry_run))
    return 0


if __name__ == "__main__":
    sys.exit(main())
