"""Escalations (one per escalation the safety layer raised, with its queue state) and their
alert deliveries (one per escalation and configured destination).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_escalations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.BigInteger, nullable=False),
        sa.Column("sender_id", sa.String(255), nullable=False),
        # The tracker event that raised it: a second indexing of that event adds nothing.
        sa.Column("event_id", sa.BigInteger, nullable=False),
        sa.Column("channel", sa.String(255), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("signs", sa.Text, nullable=False),
        sa.Column("raised_at", sa.Float, nullable=False),
        sa.Column("state", sa.String(20), nullable=False, server_default="open"),
        sa.Column("acknowledged_by", sa.String(80), nullable=True),
        sa.Column("acknowledged_at", sa.Float, nullable=True),
        sa.Column("closed_by", sa.String(80), nullable=True),
        sa.Column("closed_at", sa.Float, nullable=True),
        sa.Column("outcome", sa.String(40), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.UniqueConstraint("event_id", name="uq_console_escalations_event_id"),
    )
    # The queue: open ones first, by age.
    op.create_index("ix_console_escalations_state_raised", "console_escalations",
                    ["state", "raised_at"])
    op.create_index("ix_console_escalations_conversation", "console_escalations",
                    ["conversation_id"])
    op.create_table(
        "console_alert_deliveries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("escalation_id", sa.Integer, sa.ForeignKey("console_escalations.id"),
                  nullable=False),
        sa.Column("destination", sa.String(255), nullable=False),
        sa.Column("destination_index", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.Float, nullable=False),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("sent_at", sa.Float, nullable=True),
        sa.UniqueConstraint("escalation_id", "destination_index",
                            name="uq_console_alert_deliveries_destination"),
    )
    # The sender's look-up of what is due.
    op.create_index("ix_console_alert_deliveries_due", "console_alert_deliveries",
                    ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("console_alert_deliveries")
    op.drop_table("console_escalations")
