"""retention: when a cohort's personal data was erased, and its figures kept from then

Revision ID: 0007_retention
Revises: 0006_catalogues
Create Date: 2026-11-22 03:20:00

"""
import sqlalchemy as sa
from alembic import op

import app.db_types

# revision identifiers, used by Alembic.
revision = "0007_retention"
down_revision = "0006_catalogues"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "personal_data_erased_at", app.db_types.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(sa.Column("retained_figures", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.drop_column("retained_figures")
        batch_op.drop_column("personal_data_erased_at")
