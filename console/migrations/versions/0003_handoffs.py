"""Handoffs: which patients a staff member has taken over from the assistant (one row per sender
while the handoff lasts), for the conversation list's marker and filter.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_handoffs",
        # A handoff belongs to the patient (Rasa's sender), not to one session: it outlives a
        # session's expiry, so a new conversation of the same sender is handed over too.
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("staff", sa.String(80), nullable=False),
        sa.Column("since", sa.Float, nullable=False),
        # The `handoff_by` slot event it was read from (the newest one wins).
        sa.Column("event_id", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("console_handoffs")
