"""The console's own database (users, sessions, audit log, review state, notes, tags).

The schema is created and changed only through the Alembic migrations in console/migrations;
the table objects below mirror it for queries. Rasa's tracker database is never written here.
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
metadata = sa.MetaData()

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(80), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.Float, nullable=False),
)
sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # sha256 of the cookie value
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
)
signin_failures = sa.Table(
    "signin_failures", metadata,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("locked_until", sa.Float, nullable=True),
)
audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("actor", sa.String(80), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("sender_id", sa.String(255), nullable=True),
    sa.Column("detail", sa.Text, nullable=True),
)
reviews = sa.Table(
    "reviews", metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("reviewed_by", sa.String(80), nullable=False),
    sa.Column("reviewed_at", sa.Float, nullable=False),
)
notes = sa.Table(
    "notes", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("author", sa.String(80), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
)
tags = sa.Table(
    "tags", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("tag", sa.String(40), nullable=False),
    sa.Column("author", sa.String(80), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.UniqueConstraint("sender_id", "tag", name="uq_tags_sender_tag"),
)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Bring the console database to the newest migration (creates it on first use)."""
    ensure_sqlite_folder(url)
    command.upgrade(alembic_config(url), "head")


def connect(url: str) -> sa.engine.Engine:
    upgrade(url)
    return sa.create_engine(url, future=True)


def audit(conn: sa.engine.Connection, actor: str, action: str, sender_id: str | None = None,
          **detail: object) -> None:
    conn.execute(audit_log.insert().values(
        at=time.time(), actor=actor, action=action, sender_id=sender_id,
        detail=json.dumps(detail, ensure_ascii=False) if detail else None,
    ))


if __name__ == "__main__":
    from console.config import Settings

    upgrade(Settings.from_env().console_db_url)
    print("console database is up to date")
