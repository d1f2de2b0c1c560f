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
  a full sync per query.
- Per message: events are read and written as plain rows (no ORM objects), and saving does not
  count the stored events again: the tracker remembers how many it was loaded with. That count
  is exact because the lock store lets one server at a time handle a conversation, and every
  message's tracker is loaded under that lock. A tracker that was not loaded here (a new one)
  is counted as Rasa does.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Generator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import Session, sessionmaker

from serving import rasa_patches

logger = logging.getLogger(__name__)

# Attribute set on a tracker by `retrieve`: how many of its events are already stored.
STORED = "_stored_event_count"


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

    @staticmethod
    def _postgresql_engine(url: Any) -> sa.engine.Engine:
        engine_kwargs = create_engine_kwargs(url)
        connect_args = dict(engine_kwargs.pop("connect_args", {}))
        connect_args["connect_timeout"] = int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
        return sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args,
                                **engine_kwargs)

    @staticmethod
    def _sqlite_engine(url: Any) -> sa.engine.Engine:
        # Everything runs on the server's event-loop thread, so one connection can be kept.
        engine = sa.create_engine(url, poolclass=sa.pool.StaticPool,
                                  connect_args={"check_same_thread": False})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=5000")
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

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        stored = getattr(tracker, STORED, None)
        events = list(tracker.events)
        with self.engine.begin() as connection:
            if stored is None or tracker.events.maxlen is not None:
                stored = connection.execute(
                    sa.select(sa.func.count()).select_from(
                        self._latest_session_rows(tracker.sender_id).subquery())
                ).scalar_one()
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
