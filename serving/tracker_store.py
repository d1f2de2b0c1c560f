"""The tracker store of both profiles: Rasa's SQLTrackerStore (same table, same rows), strict,
robust and cheaper per message. The default profile uses it on SQLite, production on PostgreSQL.

- Strict: it refuses to start unless the server runs with `serving.rasa_patches`
  (`python -m serving`), because only then does a database failure give the safe reply instead
  of Rasa's silent switch to an in-memory store.
- PostgreSQL: its own schema (`POSTGRESQL_SCHEMA`, Rasa's variable) is created if missing and
  checked once at start, not before every query; pooled connections are tested before use
  (`pool_pre_ping`), so the first message after a database restart does not fail on a dead
  connection; a connection attempt gives up after `DB_CONNECT_TIMEOUT` seconds instead of hanging
  the server's event loop.
- SQLite: one kept connection in write-ahead-log mode with `synchronous=NORMAL` (a crash of the
  server loses nothing; a power cut may lose the last messages), instead of a new connection and
  a full sync per query. Event ids are never given twice, also after a deletion (AUTOINCREMENT;
  a table without it is rebuilt once at start), as in PostgreSQL.
- Per message: events are read and written as plain rows (no ORM objects), and saving does not
  count the stored events again: the tracker remembers how many it was loaded with. That count
  is exact because the lock store lets one server at a time handle a conversation, and every
  message's tracker is loaded under that lock. A tracker that was not loaded here (a new one)
  is counted as Rasa does.
- Deletion (docs/data-rights.md): `erase` deletes a sender's events and records the deletion in
  `privacy_erasures` (created at start), in one transaction; the caller holds the conversation's
  lock (the chat's own message, or privacy/rasa_endpoint.py). A message whose new events set
  `erasure_confirmed` (the dialogue policy, after the patient confirmed) is not saved: every
  event of the sender, every session, is erased instead, and `erased_in_this_message` tells the
  server to confirm it to the patient once committed (serving/rasa_patches.py).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import time
from collections.abc import Generator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.schema import CreateTable

from privacy import erasure
from serving import rasa_patches

logger = logging.getLogger(__name__)

# Attribute set on a tracker by `retrieve`: how many of its events are already stored.
STORED = "_stored_event_count"


def _write_ahead_log(cursor: Any, patience: float = 10.0) -> None:
    """Switch the database to write-ahead logging. Two servers that switch one database at the
    same moment (replicas starting together) deadlock on its lock, and SQLite answers one of them
    "database is locked" at once, without waiting its busy timeout: so wait here and try again."""
    deadline = time.monotonic() + patience
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class StrictSQLTrackerStore(SQLTrackerStore):
    def __init__(self, domain: Any = None, url: str | None = None, event_broker: Any = None,
                 **kwargs: Any) -> None:
        if not rasa_patches.applied():
            raise RasaException(
                "This tracker store needs the server started with `python -m serving run ...` "
                "(serving/rasa_patches.py), so that a database failure is never hidden."
            )
        kwargs.setdefault("host", url)
        kwargs["port"] = int(kwargs["port"]) if kwargs.get("port") else None
        schema = os.environ.get("POSTGRESQL_SCHEMA")
        postgresql = kwargs.get("dialect", "sqlite").startswith("postgresql")
        if postgresql and schema:
            self._create_schema(schema, kwargs)
        super().__init__(domain=domain, event_broker=event_broker, **kwargs)
        url_ = self.engine.url
        self.engine.dispose()
        self.engine = self._postgresql_engine(url_) if postgresql else self._sqlite_engine(url_)
        self.sessionmaker = sessionmaker(bind=self.engine)
        self.events = self.SQLEvent.__table__
        self._ensure_erasures_table()
        if not postgresql:
            self._sqlite_ids_never_reused()

    def _ensure_erasures_table(self) -> None:
        try:
            erasure.ensure_table(self.engine)
        except (sa.exc.IntegrityError, sa.exc.ProgrammingError, sa.exc.OperationalError):
            # Another replica created it at the same moment (PostgreSQL reports it as one of the
            # first two, SQLite as "table ... already exists"); anything else is raised again.
            if not sa.inspect(self.engine).has_table(erasure.erasures.name):
                raise

    def _sqlite_ids_never_reused(self) -> None:
        """SQLite gives a new row the highest id + 1, so once a deletion has removed the highest
        ids they would be given again: the console, which indexes events above the last id it
        read and deletes what an erasure's `up_to_event_id` covers, would miss a new message or
        delete a new conversation. With AUTOINCREMENT SQLite never gives an id twice, as a
        PostgreSQL sequence does. A table made without it (Rasa makes `events` so) is rebuilt
        once, with its rows and indexes, in one transaction."""
        raw = self.engine.raw_connection()
        dbapi = raw.dbapi_connection
        previous = dbapi.isolation_level
        # An explicit transaction: pysqlite would otherwise commit the DDL piece by piece.
        dbapi.isolation_level = None
        cursor = dbapi.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
            try:
                for table in (self.events, erasure.erasures):
                    self._autoincrement(cursor, table)
                cursor.execute("COMMIT")
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
        finally:
            cursor.close()
            dbapi.isolation_level = previous
            raw.close()

    @staticmethod
    def _autoincrement(cursor: Any, table: sa.Table) -> None:
        name = table.name
        made = cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                              (name,)).fetchone()
        if not made or "AUTOINCREMENT" in made[0].upper():
            return
        indexes = [row[0] for row in cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL", (name,))]
        rebuilt = sa.Table(f"{name}_rebuilt", sa.MetaData(),
                           *(column._copy() for column in table.columns),
                           sqlite_autoincrement=True)
        columns = ", ".join(f'"{column.name}"' for column in table.columns)
        cursor.execute(str(CreateTable(rebuilt).compile(dialect=sqlite_dialect())))
        cursor.execute(f'INSERT INTO "{rebuilt.name}" ({columns}) SELECT {columns} FROM "{name}"')
        cursor.execute(f'DROP TABLE "{name}"')
        cursor.execute(f'ALTER TABLE "{rebuilt.name}" RENAME TO "{name}"')
        for index in indexes:
            cursor.execute(index)

    @staticmethod
    def _postgresql_engine(url: Any) -> sa.engine.Engine:
        engine_kwargs = create_engine_kwargs(url)
        connect_args = dict(engine_kwargs.pop("connect_args", {}))
        connect_args["connect_timeout"] = int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
        # hide_parameters: a database error's message (which is logged) must not carry a sender
        # id or a message's text.
        return sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args,
                                hide_parameters=True,
                                **engine_kwargs)

    @staticmethod
    def _sqlite_engine(url: Any) -> sa.engine.Engine:
        # Everything runs on the server's event-loop thread, so one connection can be kept.
        engine = sa.create_engine(url, poolclass=sa.pool.StaticPool, hide_parameters=True,
                                  connect_args={"check_same_thread": False})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA busy_timeout=5000")
            _write_ahead_log(cursor)
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine

    @staticmethod
    def _create_schema(schema: str, kwargs: dict[str, Any]) -> None:
        url = SQLTrackerStore.get_db_url(
            kwargs.get("dialect", "postgresql"), kwargs.get("host"), kwargs.get("port"),
            kwargs.get("db", "rasa"), kwargs.get("username"), kwargs.get("password"),
        )
        engine = sa.create_engine(url)
        try:
            with engine.begin() as connection:
                connection.execute(sa.text(
                    f'CREATE SCHEMA IF NOT EXISTS "{schema.replace(chr(34), "")}"'))
        except sa.exc.IntegrityError:
            pass  # another replica created it at the same moment
        finally:
            engine.dispose()

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Session, None, None]:
        # The schema was made sure of at start: no extra query per message.
        session = self.sessionmaker()
        try:
            yield session
        finally:
            session.close()

    # --- per message -----------------------------------------------------------------------------
    def _latest_session_rows(self, sender_id: str) -> sa.sql.Select:
        """Rasa's query (`_event_query`): the events since the latest SessionStarted, by id."""
        events = self.events
        session_start = (
            sa.select(sa.func.max(events.c.timestamp))
            .where(events.c.sender_id == sender_id,
                   events.c.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        return (sa.select(events.c.data)
                .where(events.c.sender_id == sender_id,
                       sa.or_(events.c.timestamp >= session_start, session_start.is_(None)))
                .order_by(events.c.id))

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        with self.engine.connect() as connection:
            rows = connection.execute(self._latest_session_rows(sender_id)).scalars().all()
        if not self.domain or not rows:
            return None
        tracker = DialogueStateTracker.from_dict(
            sender_id, [json.loads(row) for row in rows], self.domain.slots)
        setattr(tracker, STORED, len(rows))
        return tracker

    # --- deletion (docs/data-rights.md) ------------------------------------------------------
    def erase(self, sender_id: str, *, reason: str, actor: str,
              up_to_event_id: int | None = None) -> erasure.Erased:
        """Delete the sender's events (all, or those up to `up_to_event_id`) and record it for
        the console, in one transaction. The caller holds the conversation's lock."""
        with self.engine.begin() as connection:
            return erasure.erase(connection, self.events, sender_id, reason=reason, actor=actor,
                                 up_to_event_id=up_to_event_id)

    def _refusal(self, tracker: DialogueStateTracker, new: list[Event]) -> str | None:
        """Why the patient's confirmed deletion must not happen (privacy.erasure.refusal): the
        sender wrote from another channel too, or reported a warning sign lately."""
        channel = str(tracker.latest_message.input_channel or "") if tracker.latest_message \
            else ""
        with self.engine.connect() as connection:
            return erasure.refusal(connection, self.events, tracker.sender_id, channel,
                                   pending=[event.as_dict() for event in new])

    @staticmethod
    def _confirms_erasure(events: list[Event]) -> bool:
        return any(isinstance(event, SlotSet) and event.key == erasure.ERASURE_SLOT
                   and event.value is True for event in events)

    def _stored_count(self, connection: sa.engine.Connection, sender_id: str) -> int:
        return connection.execute(sa.select(sa.func.count()).select_from(
            self._latest_session_rows(sender_id).subquery())).scalar_one()

    async def save(self, tracker: DialogueStateTracker) -> None:
        stored = getattr(tracker, STORED, None)
        events = list(tracker.events)
        counted = stored is not None and tracker.events.maxlen is None
        if self._confirms_erasure(events):
            if not counted:
                with self.engine.connect() as connection:
                    stored = self._stored_count(connection, tracker.sender_id)
                counted = True
            new = events[stored:]
            if self._confirms_erasure(new):
                erasure.language_in_this_message.set(tracker.get_slot("language") or "en")
                refused = self._refusal(tracker, new)
                if refused:
                    # Saved as any message; the server says why nothing was deleted.
                    erasure.refused_in_this_message.set(refused)
                else:
                    # Nothing of this message is saved or streamed: the whole conversation goes.
                    # Set only once committed, so a failed deletion is never confirmed.
                    erased = self.erase(tracker.sender_id, reason=erasure.PATIENT_REQUEST,
                                        actor="patient")
                    erasure.erased_in_this_message.set(erased)
                    setattr(tracker, STORED, 0)  # what the database now holds of this tracker
                    return
        await self.stream_events(tracker)
        with self.engine.begin() as connection:
            if not counted:
                stored = self._stored_count(connection, tracker.sender_id)
            rows = []
            for event in events[stored:]:
                data = event.as_dict()
                rows.append({
                    "sender_id": tracker.sender_id,
                    "type_name": event.type_name,
                    "timestamp": data.get("timestamp"),
                    "intent_name": data.get("parse_data", {}).get("intent", {})
                    .get(INTENT_NAME_KEY),
                    "action_name": data.get("name"),
                    "data": json.dumps(data),
                })
            if rows:
                connection.execute(self.events.insert(), rows)
        setattr(tracker, STORED, len(events))
