"""The conversation index: one row per conversation, built from Rasa's `events` table.

Rasa keeps events, not conversations; listing 100,000 conversations by grouping millions of
events on every page view is too slow. The indexer reads the events it has not seen yet (by
id), splits them into conversations (a new one at every `action_session_start`, which begins
each Rasa session) and keeps, per conversation, what the list, its filters and the dashboard
need. It is incremental and idempotent per event; the console runs it in the background and
before each list, and `python -m console.indexer` catches up from the command line.

It also records each escalation (console/escalations.py) and its pending alerts, in the same
transaction as the events that raised it: reading each event exactly once is what makes one
escalation, and one alert per destination, per escalation. After each pass's events it acts on
the deletions the Rasa server recorded (console/erasures.py, docs/data-rights.md).

Event ids come from a sequence, and concurrent transactions may commit out of id order: an id
below the watermark may become visible a moment later. Such holes are kept as "gaps" and looked
up again for GAP_SECONDS (a rolled-back insert leaves a hole for ever). One sender's events
never arrive out of order: Rasa's lock store serialises a sender's turns.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections import Counter

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from console import db, erasures, escalations
from console.alerts import alert_plan
from console.config import Settings
from console.escalations import AlertPlan, Raised
from console.tracker import TrackerReader, events, load_json
from safety.levels import DOCTOR, EMERGENCY

BATCH = 5000
GAP_SECONDS = 120
MAX_GAPS = 10_000
FIRST_QUESTION_CHARS = 500
SEARCH_CHARS = 20_000  # of patient text per conversation
SESSION_START = "action_session_start"
SESSION_START_INTENT = "session_start"
SMALL_TALK = {"greet", "goodbye", "thank", "bot_challenge", None}
FALLBACK_INTENT = "nlu_fallback"
# The slot the assistant sets when a patient asks for a person (console/escalations.py), and the
# one that names the staff member who has taken the conversation over (docs/handoff.md).
PERSON_REQUESTED = "person_requested"
HANDOFF_SLOT = "handoff_by"
# The conversation's language (docs/languages.md): the slot's latest value in the conversation.
# A conversation without it (older than the Spanish assistant, or a slot set back to nothing by a
# reset) is English. Only these codes are stored: another value leaves the language as it was.
LANGUAGE_SLOT = "language"
DEFAULT_LANGUAGE = "en"
LANGUAGES = {"en": "English", "es": "Español"}
SLOT_RESETS = {"restart", "reset_slots"}  # Rasa's events that set every slot back to nothing
# How the index stores a conversation's highest level (0: none).
LEVELS = {DOCTOR: 1, EMERGENCY: 2}
COLUMNS = (events.c.id, events.c.sender_id, events.c.type_name, events.c.timestamp,
           events.c.intent_name, events.c.action_name, events.c.data)


def upsert(conn: sa.engine.Connection, table: sa.Table, rows: list[dict], keys: list[str],
           add: tuple[str, ...] = ()) -> None:
    """Insert rows or overwrite them by key; columns in `add` are summed with the stored value."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    values = {c: (table.c[c] + statement.excluded[c]) if c in add else statement.excluded[c]
              for c in rows[0] if c not in keys}
    conn.execute(statement.on_conflict_do_update(index_elements=keys, set_=values), rows)


def language_code(value) -> str | None:
    """The code the index stores for a `language` slot value: "en" or "es", the default for no
    value (the slot was emptied), None for anything else (ignored)."""
    if value is None:
        return DEFAULT_LANGUAGE
    code = value.strip().lower() if isinstance(value, str) else ""
    return code if code in LANGUAGES else None


class Indexer:
    def __init__(self, tracker: TrackerReader, console: sa.engine.Engine,
                 plan: AlertPlan | None = None) -> None:
        self.tracker = tracker
        self.console = console
        # Where new escalations' alerts go; by default CLINIC_ALERT_URLS, so that whoever indexes
        # first (the console, `python -m console.indexer`, retention) queues the same alerts.
        self.plan = plan if plan is not None else alert_plan(Settings.from_env())
        self._lock = threading.Lock()  # one catch-up at a time in this process

    def catch_up(self, max_batches: int | None = None) -> int:
        """Index new events (all of them, or up to max_batches batches), then act on the
        deletions Rasa recorded; how many events were read."""
        if not self.tracker.ready():
            return 0
        done = 0
        with self._lock:
            for _ in range(max_batches or sys.maxsize):
                read, more = self._batch()
                done += read
                if not more:
                    break
            erasures.process(self.tracker, self.console)
        return done

    def apply_erasures(self) -> list[erasures.Done]:
        """Act on the deletions Rasa recorded now (an admin's delete, retention), between this
        process's index passes."""
        with self._lock:
            return erasures.process(self.tracker, self.console)

    def behind(self) -> int:
        """About how many events are not indexed yet."""
        if not self.tracker.ready():
            return 0
        with self.tracker.engine.connect() as conn:
            newest = conn.execute(sa.select(sa.func.max(events.c.id))).scalar() or 0
        with self.console.connect() as conn:
            watermark = conn.execute(sa.select(db.index_state.c.watermark)).scalar() or 0
        return max(0, newest - watermark)

    def _batch(self) -> tuple[int, bool]:
        with self.console.begin() as conn:
            # The write lock first, before the events are read: two console processes take
            # turns, and a deletion of a patient's conversations waits for a pass that read their
            # events before Rasa deleted them (console/erasures.py).
            erasures.lock_index(conn)
            state = conn.execute(sa.select(db.index_state).where(db.index_state.c.id == 1)
                                 .with_for_update()).one()
            now = time.time()
            gaps = {int(k): v for k, v in json.loads(state.gaps).items()
                    if now - v < GAP_SECONDS}
            with self.tracker.engine.connect() as tconn:
                rows = tconn.execute(sa.select(*COLUMNS).where(events.c.id > state.watermark)
                                     .order_by(events.c.id).limit(BATCH)).all()
                late = tconn.execute(sa.select(*COLUMNS).where(events.c.id.in_(list(gaps)))
                                     ).all() if gaps else []
            expected = state.watermark + 1
            for row in rows:
                # Only recent holes can still fill; old ones are rollbacks or deletions.
                if row.id > expected and (row.timestamp or 0) > now - GAP_SECONDS:
                    for missing in range(max(expected, row.id - MAX_GAPS), row.id):
                        gaps[missing] = now
                expected = row.id + 1
            for row in late:
                gaps.pop(row.id, None)
            if len(gaps) > MAX_GAPS:
                gaps = dict(sorted(gaps.items())[-MAX_GAPS:])
            self._apply(conn, sorted([*late, *rows], key=lambda r: r.id))
            conn.execute(db.index_state.update().where(db.index_state.c.id == 1).values(
                watermark=rows[-1].id if rows else state.watermark,
                gaps=json.dumps({str(k): v for k, v in gaps.items()})))
        return len(rows) + len(late), len(rows) == BATCH

    def _apply(self, conn: sa.engine.Connection, rows: list) -> None:
        if not rows:
            return
        conversations = db.conversations
        senders = {row.sender_id for row in rows}
        newest = (sa.select(sa.func.max(conversations.c.id))
                  .where(conversations.c.sender_id.in_(senders))
                  .group_by(conversations.c.sender_id))
        current: dict[str, dict] = {
            r.sender_id: dict(r._mapping) for r in conn.execute(
                sa.select(conversations).where(conversations.c.id.in_(newest)))}
        touched: dict[int, dict] = {}
        texts: dict[int, list[str]] = {}
        intents: Counter = Counter()
        raised: list[Raised] = []
        handoffs: dict[str, tuple] = {}  # sender -> its newest `handoff_by` event in the batch
        for row in rows:
            conv = current.get(row.sender_id)
            timestamp = row.timestamp or 0.0
            if conv is None or (row.type_name == "action" and row.action_name == SESSION_START):
                conv = current[row.sender_id] = {
                    "id": row.id, "sender_id": row.sender_id, "started": timestamp,
                    "last": timestamp, "last_event_id": row.id, "messages": 0,
                    "user_messages": 0, "channel": "", "first_question": "",
                    "has_question": False, "level": 0,
                    "fallback_turns": 0, "min_confidence": None,
                    "language": DEFAULT_LANGUAGE}
            touched[conv["id"]] = conv
            conv["last"] = max(conv["last"], timestamp)
            conv["last_event_id"] = row.id
            if row.type_name == "user":
                self._user_event(conv, row, texts, intents)
            elif row.type_name == "bot":
                conv["messages"] += 1
            elif row.type_name == "slot":
                self._slot_event(conv, row, raised, handoffs)
            elif row.type_name in SLOT_RESETS:
                conv["language"] = DEFAULT_LANGUAGE
        upsert(conn, conversations, list(touched.values()), ["id"])
        escalations.record_batch(conn, raised, self.plan)
        self._record_handoffs(conn, handoffs)
        self._append_texts(conn, texts)
        upsert(conn, db.conversation_intents,
               [{"conversation_id": cid, "intent": intent, "turns": turns}
                for (cid, intent), turns in intents.items()],
               ["conversation_id", "intent"], add=("turns",))

    @staticmethod
    def _slot_event(conv: dict, row, raised: list[Raised], handoffs: dict[str, tuple]) -> None:
        timestamp = row.timestamp or 0.0
        value = load_json(row.data).get("value")
        if row.action_name == "escalation_level":
            level = LEVELS.get(value, 0)
            conv["level"] = max(conv["level"], level)
            if level:
                raised.append(Raised(conv["id"], row.sender_id, row.id, conv["channel"],
                                     timestamp, level=value))
        elif row.action_name == PERSON_REQUESTED:
            # A patient asked for a person: a queue item (and an alert) of its own kind.
            kind = escalations.PERSON_REQUESTS.get(value)
            if kind:
                raised.append(Raised(conv["id"], row.sender_id, row.id, conv["channel"],
                                     timestamp, level=kind))
        elif row.action_name == "warning_signs":
            # The policy sets the signs right after the level (one turn, one escalation).
            labels = escalations.sign_labels(value)
            if labels:
                raised.append(Raised(conv["id"], row.sender_id, row.id, conv["channel"],
                                     timestamp, signs=labels))
        elif row.action_name == LANGUAGE_SLOT:
            language = language_code(value)
            if language:
                conv["language"] = language
        elif row.action_name == HANDOFF_SLOT:
            staff = value.strip()[:80] if isinstance(value, str) and value.strip() else None
            earlier = handoffs.get(row.sender_id)
            if staff and earlier and earlier[0] == staff:
                return  # the same holder again (a new session): the handoff began earlier
            handoffs[row.sender_id] = (staff, timestamp, row.id)

    @staticmethod
    def _record_handoffs(conn: sa.engine.Connection, handoffs: dict[str, tuple]) -> None:
        """Who has which patient now: the newest `handoff_by` value per sender (null: handed
        back). A new Rasa session repeats the holder's name (docs/handoff.md): that keeps the
        handoff's start, it is no new take-over."""
        table = db.handoffs
        for sender_id, (staff, since, event_id) in handoffs.items():
            stored = conn.execute(sa.select(table.c.staff).where(
                table.c.sender_id == sender_id)).scalar()
            if staff and stored == staff:
                continue
            conn.execute(table.delete().where(table.c.sender_id == sender_id))
            if staff:
                conn.execute(table.insert().values(sender_id=sender_id, staff=staff, since=since,
                                                   event_id=event_id))

    @staticmethod
    def _user_event(conv: dict, row, texts: dict, intents: Counter) -> None:
        data = load_json(row.data)
        intent = (data.get("parse_data") or {}).get("intent") or {}
        name = row.intent_name or intent.get("name")
        if name == SESSION_START_INTENT:  # "/session_start" is a control message, not a turn
            return
        text = data.get("text") if isinstance(data.get("text"), str) else ""
        conv["messages"] += 1
        conv["user_messages"] += 1
        if conv["user_messages"] == 1:
            conv["channel"] = str(data.get("input_channel") or "")[:255]
        # The list shows the patient's first real question; a "hello" only until one comes.
        if text and not conv["has_question"] and (
                not conv["first_question"] or name not in SMALL_TALK):
            conv["first_question"] = text[:FIRST_QUESTION_CHARS]
            conv["has_question"] = name not in SMALL_TALK
        if name:
            intents[(conv["id"], name)] += 1
        if name == FALLBACK_INTENT:
            conv["fallback_turns"] += 1
        confidence = intent.get("confidence")
        if isinstance(confidence, (int, float)):
            low = conv["min_confidence"]
            conv["min_confidence"] = confidence if low is None else min(low, confidence)
        if text:
            texts.setdefault(conv["id"], []).append(text.lower())

    @staticmethod
    def _append_texts(conn: sa.engine.Connection, texts: dict[int, list[str]]) -> None:
        if not texts:
            return
        table = db.conversation_text
        stored = {r.conversation_id: r.text for r in conn.execute(
            sa.select(table).where(table.c.conversation_id.in_(list(texts))))}
        upsert(conn, table, [
            {"conversation_id": cid,
             "text": "\n".join(filter(None, [stored.get(cid, ""), *pieces]))[:SEARCH_CHARS]}
            for cid, pieces in texts.items()], ["conversation_id"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console.indexer", description=(
        "Bring the console's conversation index up to date with Rasa's events (the console "
        "also does this by itself; use this after a bulk import)."))
    parser.parse_args(argv)
    settings = Settings.from_env()
    indexer = Indexer(TrackerReader(settings.tracker_url), db.connect(settings.console_db_url))
    started = time.perf_counter()
    count = indexer.catch_up()
    print(f"indexed {count} events in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
