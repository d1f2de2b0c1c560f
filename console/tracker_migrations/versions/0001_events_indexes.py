"""Indexes on Rasa's `events` table for the console (the only change the console makes there).

A transcript and the retention command read one sender's events in id order from a given id:
(sender_id, id) serves both without sorting. Rasa's own index on sender_id alone stays.

Revision ID: t0001
Revises:
"""

from alembic import op

revision = "t0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_console_sender_id_id", "events", ["sender_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_events_console_sender_id_id", table_name="events")
