"""serving/tracker_store.py writes exactly the rows Rasa's SQLTrackerStore writes, and reads them
back the same way, on the same table."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from serving.tracker_store import StrictSQLTrackerStore

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, ask]
slots:
  level:
    type: any
    mappings: [{type: custom}]
responses:
  utter_hi: [{text: hi}]
""")


def turn(text: str, intent: str, reply: str, timestamp: float) -> list:
    return [
        UserUttered(text, {"name": intent, "confidence": 0.9}, timestamp=timestamp),
        ActionExecuted("utter_hi", timestamp=timestamp + 0.1),
        BotUttered(reply, timestamp=timestamp + 0.2),
        ActionExecuted("action_listen", timestamp=timestamp + 0.3),
    ]


def session_start(timestamp: float) -> list:
    return [ActionExecuted("action_session_start", timestamp=timestamp),
            SessionStarted(timestamp=timestamp), SlotSet("level", 1, timestamp=timestamp),
            ActionExecuted("action_listen", timestamp=timestamp)]


async def conversation(store, sender: str) -> None:
    """Two messages, a new session, two more: each step retrieves, appends and saves, as the
    message processor does."""
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    for event in session_start(1.0) + turn("hello", "greet", "hi 1", 2.0):
        tracker.update(event)
    await store.save(tracker)
    steps = [turn("what is it", "ask", "hi 2", 3.0),
             session_start(10.0) + turn("back again", "greet", "hi 3", 11.0),
             turn("one more", "ask", "hi 4", 12.0)]
    for events in steps:
        tracker = await store.retrieve(sender)
        for event in events:
            tracker.update(event)
        await store.save(tracker)


def rows(url: str) -> list[tuple]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        result = connection.execute(sa.text(
            "SELECT sender_id, type_name, timestamp, intent_name, action_name, data "
            "FROM events ORDER BY id")).all()
    engine.dispose()
    return [tuple(row) for row in result]


def test_same_rows_as_rasas_store_and_read_back_alike(tmp_path):
    ours = StrictSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "ours.db"))
    stock = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "stock.db"))
    asyncio.run(conversation(ours, "patient-1"))
    asyncio.run(conversation(stock, "patient-1"))
    ours_rows = rows(f"sqlite:///{tmp_path / 'ours.db'}")
    assert ours_rows == rows(f"sqlite:///{tmp_path / 'stock.db'}")
    assert [row[1] for row in ours_rows].count("user") == 4  # nothing twice, nothing lost

    # Each store reads the other's rows: the latest session only, the same events.
    stock_on_ours = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "ours.db"))
    mine = asyncio.run(ours.retrieve("patient-1"))
    theirs = asyncio.run(stock_on_ours.retrieve("patient-1"))
    assert [e.as_dict() for e in mine.events] == [e.as_dict() for e in theirs.events]
    assert [e.text for e in mine.events if isinstance(e, UserUttered)] == [
        "back again", "one more"]
    assert mine.get_slot("level") == 1
    assert asyncio.run(ours.retrieve("nobody")) is None


def test_saving_the_same_tracker_again_adds_nothing(tmp_path):
    """Also across a session boundary, where Rasa's own count (events since the latest session
    start in the database) would write the older session's events a second time."""
    db = str(tmp_path / "again.db")
    ours = StrictSQLTrackerStore(DOMAIN, dialect="sqlite", db=db)
    asyncio.run(conversation(ours, "patient-3"))
    tracker = asyncio.run(ours.retrieve("patient-3"))
    for event in session_start(30.0) + turn("new day", "greet", "hi 5", 31.0):
        tracker.update(event)
    asyncio.run(ours.save(tracker))
    stored = rows(f"sqlite:///{db}")
    asyncio.run(ours.save(tracker))
    assert rows(f"sqlite:///{db}") == stored
    assert [row[1] for row in stored].count("user") == 5


def test_a_tracker_not_loaded_here_is_counted_in_the_database(tmp_path):
    """A tracker that did not come from `retrieve` (e.g. built by the HTTP API) is compared with
    the database, as Rasa does, so its stored events are not written twice."""
    db = str(tmp_path / "t.db")
    ours = StrictSQLTrackerStore(DOMAIN, dialect="sqlite", db=db)
    asyncio.run(conversation(ours, "patient-2"))
    before = rows(f"sqlite:///{db}")
    rebuilt = SQLTrackerStore(DOMAIN, dialect="sqlite", db=db)
    tracker = asyncio.run(rebuilt.retrieve("patient-2"))  # no count attached by our store
    tracker.update(UserUttered("late", {"name": "ask", "confidence": 1.0}, timestamp=20.0))
    asyncio.run(ours.save(tracker))
    after = rows(f"sqlite:///{db}")
    assert after[:len(before)] == before and len(after) == len(before) + 1
    assert '"late"' in after[-1][5]


def test_sqlite_runs_in_write_ahead_log_mode(tmp_path):
    ours = StrictSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "w.db"))
    with ours.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
