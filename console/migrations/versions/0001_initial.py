"""The console's tables: staff, sessions, sign-in failures, audit log, the conversation index,
reviews, notes and tags.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_table(
        "console_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("console_users.id"), nullable=True),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
    )
    op.create_table(
        "console_signin_failures",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.Float, nullable=True),
    )
    op.create_table(
        "console_audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("conversation_id", sa.BigInteger, nullable=True),
        sa.Column("detail", sa.Text, nullable=True),
    )
    op.create_index("ix_console_audit_log_at", "console_audit_log", ["at"])

    op.create_table(
        "console_conversations",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("started", sa.Float, nullable=False),
        sa.Column("last", sa.Float, nullable=False),
        sa.Column("last_event_id", sa.BigInteger, nullable=False),
        sa.Column("messages", sa.Integer, nullable=False),
        sa.Column("user_messages", sa.Integer, nullable=False),
        sa.Column("channel", sa.String(255), nullable=False),
        sa.Column("first_question", sa.Text, nullable=False),
        sa.Column("has_question", sa.Boolean, nullable=False),
        sa.Column("level", sa.SmallInteger, nullable=False),
        sa.Column("fallback_turns", sa.Integer, nullable=False),
        sa.Column("min_confidence", sa.Float, nullable=True),
    )
    # One index per way the list is filtered, each ending in the list's order (newest first).
    op.create_index("ix_console_conversations_sender", "console_conversations",
                    ["sender_id", "id"])
    op.create_index("ix_console_conversations_started", "console_conversations",
                    ["started", "id"])
    op.create_index("ix_console_conversations_level", "console_conversations",
                    ["level", "started", "id"])
    op.create_index("ix_console_conversations_channel", "console_conversations",
                    ["channel", "started", "id"])
    op.create_table(
        "console_conversation_text",
        sa.Column("conversation_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Trigram index: `LIKE '%words%'` without reading every conversation's text.
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_console_conversation_text_trgm "
                   "ON console_conversation_text USING gin (text gin_trgm_ops)")
    op.create_table(
        "console_conversation_intents",
        sa.Column("conversation_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("intent", sa.String(255), primary_key=True),
        sa.Column("turns", sa.Integer, nullable=False),
    )
    op.create_index("ix_console_conversation_intents_intent", "console_conversation_intents",
                    ["intent", "conversation_id"])
    op.create_table(
        "console_index_state",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("watermark", sa.BigInteger, nullable=False),
        sa.Column("gaps", sa.Text, nullable=False),
    )
    op.execute("INSERT INTO console_index_state (id, watermark, gaps) VALUES (1, 0, '{}')")

    op.create_table(
        "console_reviews",
        sa.Column("conversation_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("reviewed_by", sa.String(80), nullable=False),
        sa.Column("reviewed_at", sa.Float, nullable=False),
    )
    op.create_table(
        "console_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.BigInteger, nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_console_notes_conversation_id", "console_notes", ["conversation_id"])
    op.create_table(
        "console_tags",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.BigInteger, nullable=False),
        sa.Column("tag", sa.String(40), nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.UniqueConstraint("conversation_id", "tag", name="uq_console_tags_conversation_tag"),
    )
    op.create_index("ix_console_tags_conversation_id", "console_tags", ["conversation_id"])
    op.create_index("ix_console_tags_tag", "console_tags", ["tag", "conversation_id"])


def downgrade() -> None:
    for table in ("console_tags", "console_notes", "console_reviews", "console_index_state",
                  "console_conversation_intents", "console_conversation_text",
                  "console_conversations", "console_audit_log", "console_signin_failures",
                  "console_sessions", "console_users"):
        op.drop_table(table)
