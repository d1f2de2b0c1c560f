"""The conversation's language: "en" or "es", the latest value of Rasa's `language` slot in the
conversation (console/indexer.py). Conversations indexed before are English: the assistant spoke
only English then. (The index is not rebuilt: a Spanish conversation indexed by a console older
than this one stays English, so the console is upgraded before the assistant speaks Spanish.)

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A constant default: PostgreSQL adds the column without rewriting the table, SQLite with a
    # plain ALTER TABLE; every existing row reads "en".
    op.add_column("console_conversations",
                  sa.Column("language", sa.String(8), nullable=False, server_default="en"))
    # The list's language filter, ending in the list's order (newest first), as the others.
    op.create_index("ix_console_conversations_language", "console_conversations",
                    ["language", "started", "id"])


def downgrade() -> None:
    op.drop_index("ix_console_conversations_language", table_name="console_conversations")
    with op.batch_alter_table("console_conversations") as batch:
        batch.drop_column("language")
