"""The console's own database: staff, sessions, audit log, review state, notes, tags, the
conversation index built from Rasa's events (console/indexer.py), and the escalations and their
alerts derived from them (console/escalations.py, console/alerts.py).

The schema is created and changed only through the Alembic migrations in console/migrations;
the table objects below mirror it for queries. Every table name starts with `console_`, so the
console may share a database with Rasa's `events` table. Rasa's tables are never written here.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from console.config import ensure_sqlite_folder

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "console_alembic_version"
metadata = sa.MetaData()

users = sa.Table(
    "console_users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(80), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.Float, nullable=False),
)
sessions = sa.Table(
    "console_sessions", metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # sha256 of the cookie value
    sa.Column("user_id", sa.Integer, sa.ForeignKey("console_users.id"), nullable=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
)
signin_failures = sa.Table(
    "console_signin_failures", metadata,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("locked_until", sa.Float, nullable=True),
)
audit_log = sa.Table(
    "console_audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("actor", sa.String(80), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("conversation_id", sa.BigInteger, nullable=True),
    sa.Column("detail", sa.Text, nullable=True),
)

# One row per conversation: a Rasa session of one sender. Its id is the id of the session's
# first event, so it is stable and orders like the events. Filled in by console/indexer.py.
conversations = sa.Table(
    "console_conversations", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("started", sa.Float, nullable=False),
    sa.Column("last", sa.Float, nullable=False),
    sa.Column("last_event_id", sa.BigInteger, nullable=False),
    sa.Column("messages", sa.Integer, nullable=False),
    sa.Column("user_messages", sa.Integer, nullable=False),
    sa.Column("channel", sa.String(255), nullable=False),
    sa.Column("first_question", sa.Text, nullable=False),
    sa.Column("has_question", sa.Boolean, nullable=False),  # first_question is no "hello"
    sa.Column("level", sa.SmallInteger, nullable=False),  # 0 none, 1 doctor, 2 emergency
    sa.Column("fallback_turns", sa.Integer, nullable=False),
    sa.Column("min_confidence", sa.Float, nullable=True),
    # "en" | "es": the `language` slot's latest value in the conversation (English without one).
    sa.Column("language", sa.String(8), nullable=False, server_default="en"),
)
# The patient's messages in lower case, for text search; a table of its own keeps the list's
# scans over console_conversations narrow.
conversation_text = sa.Table(
    "console_conversation_text", metadata,
    sa.Column("conversation_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("text", sa.Text, nullable=False),
)
conversation_intents = sa.Table(
    "console_conversation_intents", metadata,
    sa.Column("conversation_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("intent", sa.String(255), primary_key=True),
    sa.Column("turns", sa.Integer, nullable=False),
)
index_state = sa.Table(
    "console_index_state", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("watermark", sa.BigInteger, nullable=False),  # highest event id indexed
    sa.Column("gaps", sa.Text, nullable=False),  # JSON {event id: first seen}: see indexer
)
reviews = sa.Table(
    "console_reviews", metadata,
    sa.Column("conversation_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("reviewed_by", sa.String(80), nullable=False),
    sa.Column("reviewed_at", sa.Float, nullable=False),
)
notes = sa.Table(
    "console_notes", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("conversation_id", sa.BigInteger, nullable=False, index=True),
    sa.Column("author", sa.String(80), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
)
tags = sa.Table(
    "console_tags", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("conversation_id", sa.BigInteger, nullable=False, index=True),
    sa.Column("tag", sa.String(40), nullable=False),
    sa.Column("author", sa.String(80), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.UniqueConstraint("conversation_id", "tag", name="uq_console_tags_conversation_tag"),
)
# One row per escalation (console/escalations.py), made by the indexer from the
# `escalation_level` slot event that raised it (event_id), so exactly one however many Rasa
# replicas wrote it or how often the index is rebuilt. Signs are plain labels, never patient text.
escalations = sa.Table(
    "console_escalations", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.BigInteger, nullable=False),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("event_id", sa.BigInteger, nullable=False),
    sa.Column("channel", sa.String(255), nullable=False),
    sa.Column("level", sa.String(20), nullable=False),  # doctor | emergency
    sa.Column("signs", sa.Text, nullable=False),  # JSON list of the warning signs' labels
    sa.Column("raised_at", sa.Float, nullable=False),
    sa.Column("state", sa.String(20), nullable=False, default="open"),  # open|acknowledged|closed
    sa.Column("acknowledged_by", sa.String(80), nullable=True),
    sa.Column("acknowledged_at", sa.Float, nullable=True),
    sa.Column("closed_by", sa.String(80), nullable=True),
    sa.Column("closed_at", sa.Float, nullable=True),
    sa.Column("outcome", sa.String(40), nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.UniqueConstraint("event_id", name="uq_console_escalations_event_id"),
    sa.Index("ix_console_escalations_state_raised", "state", "raised_at"),
    sa.Index("ix_console_escalations_conversation", "conversation_id"),
)
# One row per escalation and configured alert destination (console/alerts.py sends them).
alert_deliveries = sa.Table(
    "console_alert_deliveries", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("escalation_id", sa.Integer, sa.ForeignKey("console_escalations.id"),
              nullable=False),
    sa.Column("destination", sa.String(255), nullable=False),  # redacted: no credentials
    sa.Column("destination_index", sa.Integer, nullable=False),  # position in CLINIC_ALERT_URLS
    sa.Column("status", sa.String(20), nullable=False),  # pending|retrying|sent|failed
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", sa.Float, nullable=False),
    sa.Column("last_error", sa.String(500), nullable=True),
    sa.Column("sent_at", sa.Float, nullable=True),
    sa.UniqueConstraint("escalation_id", "destination_index",
                        name="uq_console_alert_deliveries_destination"),
    sa.Index("ix_console_alert_deliveries_due", "status", "next_attempt_at"),
)
# The patients a staff member has taken over (console/handoff.py), one row per sender while the
# handoff lasts; the indexer keeps it from the `handoff_by` slot events Rasa stores.
handoffs = sa.Table(
    "console_handoffs", metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("staff", sa.String(80), nullable=False),
    sa.Column("since", sa.Float, nullable=False),
    sa.Column("event_id", sa.BigInteger, nullable=False),
)
# What retention deletes along with a conversation's events (escalations after their alert
# deliveries: console/retention.py).
PER_CONVERSATION = (conversation_intents, conversation_text, reviews, notes, tags, escalations)


def alembic_config(url: str, location: Path = MIGRATIONS,
                   version_table: str = VERSION_TABLE) -> Config:
    config = Config()
    config.set_main_option("script_location", str(location))
    config.set_main_option("version_table", version_table)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Bring the console database to the newest migration (creates it on first use)."""
    ensure_sqlite_folder(url)
    command.upgrade(alembic_config(url), "head")


def create_engine(url: str) -> sa.engine.Engine:
    # pool_pre_ping: a database restarted under the console costs one failed check, not a 500.
    # hide_parameters: errors are logged, and their parameters could be a patient's text.
    options = {"future": True, "pool_pre_ping": True, "hide_parameters": True}
    if url.startswith("postgresql"):
        # Many rows in one INSERT (the indexer's upserts), not one round trip per row.
        options["executemany_mode"] = "values_plus_batch"
    return sa.create_engine(url, **options)


def connect(url: str) -> sa.engine.Engine:
    upgrade(url)
    return create_engine(url)


def audit(conn: sa.engine.Connection, actor: str, action: str,
          conversation_id: int | None = None, **detail: object) -> None:
    conn.execute(audit_log.insert().values(
        at=time.time(), actor=actor, action=action, conversation_id=conversation_id,
        detail=json.dumps(detail, ensure_ascii=False) if detail else None,
    ))


if __name__ == "__main__":
    from console.config import Settings
    from console.tracker import upgrade_tracker

    settings = Settings.from_env()
    upgrade(settings.console_db_url)
    print("console database is up to date")
    print("tracker indexes:", "up to date" if upgrade_tracker(settings.tracker_url)
          else "waiting for Rasa to create the events table")
