"""feedback: participants' rating and comment per session they had a seat in

Revision ID: 0008_feedback
Revises: 0007_retention
Create Date: 2026-11-22 03:40:00

"""
import sqlalchemy as sa
from alembic import op

import app.db_types

# revision identifiers, used by Alembic.
revision = "0008_feedback"
down_revision = "0007_retention"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "session_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_session_feedback_rating_1_to_5")),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_session_feedback_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_sessions.id"],
            name=op.f("fk_session_feedback_session_id_training_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_feedback")),
        sa.UniqueConstraint("booking_id", name=op.f("uq_session_feedback_booking_id")),
    )
    with op.batch_alter_table("session_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_feedback_session_id"), ["session_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("session_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_feedback_session_id"))
    op.drop_table("session_feedback")
