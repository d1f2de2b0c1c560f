"""serving/tracker_store.py writes exactly the rows Rasa's SQLTrackerStore writes, and reads them
back the same way, on the same table."""

from __future__ import annotations

import asyncio

import pytest
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



# --- deletion (docs/data-rights.md) ---------------------------------------------------------------
RIGHTS_DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, ask, confirm_erasure]
slots:
  level:
    type: any
    mappings: [{type: custom}]
  erasure_confirmed:
    type: bool
    influence_conversation: false
    mappings: [{type: custom}]
responses:
  utter_hi: [{text: hi}]
""")


def erasure_rows(url: str) -> list[tuple]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        result = connection.execute(sa.text(
            "SELECT sender_id, up_to_event_id, reason, actor, channel, events "
            "FROM privacy_erasures ORDER BY id")).all()
    engine.dispose()
    return [tuple(row) for row in result]


def event_ids(url: str, sender: str) -> list[int]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        ids = connection.execute(sa.text("SELECT id FROM events WHERE sender_id = :s ORDER BY id"),
                                 {"s": sender}).scalars().all()
    engine.dispose()
    return list(ids)


def confirming_turn(store, sender: str, timestamp: float):
    """The tracker after the turn in which the patient confirms: their message, the policy's
    slot event, listen (rasa_components/data_rights.py)."""
    tracker = asyncio.run(store.retrieve(sender))
    for event in [UserUttered("/confirm_erasure", {"name": "confirm_erasure", "confidence": 1.0},
                              timestamp=timestamp, input_channel="rest"),
                  SlotSet("erasure_confirmed", True, timestamp=timestamp + 0.1),
                  ActionExecuted("action_listen", timestamp=timestamp + 0.2)]:
        tracker.update(event)
    return tracker


async def save_and_read_confirmation(store, tracker):
    """Save as the message processor does, in the task that then reads what the server reads
    (serving/rasa_patches.py): the erasure this message made, or None."""
    from privacy import erasure

    erasure.erased_in_this_message.set(None)
    try:
        await store.save(tracker)
    finally:
        return erasure.erased_in_this_message.get()  # noqa: B012 - also after a failure


def test_the_erasures_table_is_made_at_start_and_erase_deletes_one_sender_only(tmp_path):
    db = str(tmp_path / "e.db")
    url = f"sqlite:///{db}"
    store = StrictSQLTrackerStore(RIGHTS_DOMAIN, dialect="sqlite", db=db)
    assert sa.inspect(store.engine).has_table("privacy_erasures")
    asyncio.run(conversation(store, "patient-a"))
    asyncio.run(conversation(store, "patient-b"))
    others = [row for row in rows(url) if row[0] == "patient-b"]
    ids = event_ids(url, "patient-a")
    middle = ids[len(ids) // 2]

    partly = store.erase("patient-a", reason="retention", actor="retention",
                         up_to_event_id=middle)
    assert (partly.events, partly.up_to_event_id, partly.channel) == (
        len([i for i in ids if i <= middle]), middle, "")  # the test's events name no channel
    assert event_ids(url, "patient-a") == [i for i in ids if i > middle]
    everything = store.erase("patient-a", reason="staff_on_request", actor="ada")
    assert (everything.events, everything.up_to_event_id) == (
        len([i for i in ids if i > middle]), ids[-1])
    assert event_ids(url, "patient-a") == []
    assert [row for row in rows(url) if row[0] == "patient-b"] == others
    assert erasure_rows(url) == [
        ("patient-a", middle, "retention", "retention", "", partly.events),
        ("patient-a", ids[-1], "staff_on_request", "ada", "", everything.events)]

    nothing = store.erase("patient-a", reason="retention", actor="retention")
    assert (nothing.events, nothing.up_to_event_id) == (0, 0)
    assert len(erasure_rows(url)) == 2, "nothing deleted, nothing recorded"
    with pytest.raises(ValueError):
        store.erase("patient-b", reason="because", actor="ada")
    assert [row for row in rows(url) if row[0] == "patient-b"] == others
    # Another replica's store starts on the existing table.
    StrictSQLTrackerStore(RIGHTS_DOMAIN, dialect="sqlite", db=db)


def test_a_confirmed_erasure_deletes_every_session_instead_of_saving(tmp_path):
    from serving.tracker_store import STORED

    db = str(tmp_path / "c.db")
    url = f"sqlite:///{db}"
    store = StrictSQLTrackerStore(RIGHTS_DOMAIN, dialect="sqlite", db=db)
    asyncio.run(conversation(store, "patient-c"))  # two sessions
    asyncio.run(conversation(store, "patient-d"))
    mine = [row for row in rows(url) if row[0] == "patient-c"]
    assert [row[1] for row in mine].count("session_started") == 2
    ids = event_ids(url, "patient-c")
    tracker = confirming_turn(store, "patient-c", 20.0)
    assert sum(isinstance(e, SessionStarted) for e in tracker.events) == 1, \
        "the tracker holds the latest session only; the erasure goes beyond it"

    erased = asyncio.run(save_and_read_confirmation(store, tracker))
    assert (erased.sender_id, erased.events, erased.up_to_event_id) == (
        "patient-c", len(ids), ids[-1])
    assert event_ids(url, "patient-c") == [], "both sessions, and not the confirming turn"
    assert [row for row in rows(url) if row[0] == "patient-d"]
    assert erasure_rows(url) == [("patient-c", ids[-1], "patient_request", "patient", "",
                                  len(ids))]
    assert getattr(tracker, STORED) == 0, "what the database holds of this tracker"
    # Saved again, the same tracker deletes again (nothing is left) and stores nothing.
    again = asyncio.run(save_and_read_confirmation(store, tracker))
    assert again is not None and again.events == 0
    assert event_ids(url, "patient-c") == [] and len(erasure_rows(url)) == 1

    # A message without the slot is saved as always, and confirms nothing.
    asyncio.run(conversation(store, "patient-c"))
    tracker = asyncio.run(store.retrieve("patient-c"))
    tracker.update(SlotSet("erasure_confirmed", False, timestamp=30.0))
    assert asyncio.run(save_and_read_confirmation(store, tracker)) is None
    assert event_ids(url, "patient-c") and len(erasure_rows(url)) == 1


def test_a_failed_erasure_deletes_nothing_and_is_not_confirmed(tmp_path):
    db = str(tmp_path / "f.db")
    url = f"sqlite:///{db}"
    store = StrictSQLTrackerStore(RIGHTS_DOMAIN, dialect="sqlite", db=db)
    asyncio.run(conversation(store, "patient-e"))
    before = rows(url)
    with store.engine.begin() as connection:  # the database refuses every deletion
        connection.execute(sa.text(
            "CREATE TRIGGER no_delete BEFORE DELETE ON events "
            "BEGIN SELECT RAISE(ABORT, 'the disk is gone'); END"))
    tracker = confirming_turn(store, "patient-e", 20.0)
    with pytest.raises(sa.exc.SQLAlchemyError):
        asyncio.run(store.save(tracker))
    assert asyncio.run(save_and_read_confirmation(store, tracker)) is None
    assert rows(url) == before, "nothing deleted, the confirming turn not stored either"
    assert erasure_rows(url) == []


def test_sqlite_never_gives_an_event_id_twice_also_in_a_table_rasa_made(tmp_path):
    """A deletion of the newest events must not hand their ids to the next message: the console
    indexes above the last id it read, and an erasure covers ids up to `up_to_event_id`. A
    database Rasa made (no AUTOINCREMENT) keeps its rows and indexes (the console's too)."""
    db = str(tmp_path / "old.db")
    url = f"sqlite:///{db}"
    asyncio.run(conversation(SQLTrackerStore(RIGHTS_DOMAIN, dialect="sqlite", db=db), "old"))
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(
            "CREATE INDEX ix_events_console_sender_id_id ON events (sender_id, id)"))
    engine.dispose()
    before = rows(url)

    store = StrictSQLTrackerStore(RIGHTS_DOMAIN, dialect="sqlite", db=db)
    assert rows(url) == before
    with store.engine.connect() as connection:
        schema = dict(connection.execute(sa.text(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name IN "
            "('events', 'privacy_erasures')")).all())
    assert "AUTOINCREMENT" in schema["events"] and "AUTOINCREMENT" in schema["privacy_erasures"]
    assert {"ix_events_sender_id", "ix_events_console_sender_id_id"} <= set(schema)
    StrictSQLTrackerStore(RIGHTS_DOMAIN, dialect="sqlite", db=db)  # once is enough
    assert rows(url) == before

    newest = event_ids(url, "old")[-1]
    store.erase("old", reason="staff_on_request", actor="ada")
    asyncio.run(conversation(store, "new"))
    assert min(event_ids(url, "new")) > newest
    assert [row[1:] for row in rows(url)] == [row[1:] for row in before], \
        "the same rows, under new ids"


def test_replicas_starting_together_both_find_the_erasures_table(tmp_path, monkeypatch):
    """Two replicas start on one database: the other made the erasures table between this one's
    check and its CREATE TABLE ("already exists"); this one starts all the same."""
    from privacy import erasure

    url = f"sqlite:///{tmp_path / 'rasa.db'}"
    StrictSQLTrackerStore(DOMAIN, db=str(tmp_path / "rasa.db"), dialect="sqlite")
    created_meanwhile = []

    def check_then_create(engine):
        created_meanwhile.append(True)  # the check saw no table; the other replica made it
        erasure.metadata.create_all(engine, tables=[erasure.erasures], checkfirst=False)

    monkeypatch.setattr(erasure, "ensure_table", check_then_create)
    store = StrictSQLTrackerStore(DOMAIN, db=str(tmp_path / "rasa.db"), dialect="sqlite")
    assert created_meanwhile and sa.inspect(store.engine).has_table(erasure.erasures.name)
    assert erasure_rows(url) == []


def _start_store(db: str, barrier) -> None:
    barrier.wait()
    StrictSQLTrackerStore(DOMAIN, db=db, dialect="sqlite")


def test_replicas_starting_together_all_switch_one_new_database_to_write_ahead_logging(tmp_path):
    """Servers started at the same moment on a database Rasa made (not yet in WAL mode) all
    start: SQLite answers one of two simultaneous switches "database is locked" at once (a clean
    clone's two-replica test failed so), and the store tries again."""
    import multiprocessing

    context = multiprocessing.get_context("fork")  # the patched Rasa of this test process
    failed = 0
    for attempt in range(15):
        db = str(tmp_path / f"rasa{attempt}.db")
        SQLTrackerStore(DOMAIN, dialect="sqlite", db=db)
        barrier = context.Barrier(4)
        servers = [context.Process(target=_start_store, args=(db, barrier)) for _ in range(4)]
        for server in servers:
            server.start()
        for server in servers:
            server.join(60)
        failed += sum(server.exitcode != 0 for server in servers)
        with sa.create_engine(f"sqlite:///{db}").connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert failed == 0
