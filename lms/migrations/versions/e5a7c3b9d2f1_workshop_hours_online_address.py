"""Workshops: the daily hours with the venue's time zone, and a hybrid workshop's online address.

Revision ID: e5a7c3b9d2f1
Revises: f4cc035732a4
Create Date: 2026-11-25 14:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e5a7c3b9d2f1"
down_revision = "f4cc035732a4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("courses_workshop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("online_url", sa.String(length=500), server_default="", nullable=False))
        batch_op.add_column(sa.Column("daily_start", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("daily_end", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("courses_workshop", schema=None) as batch_op:
        batch_op.drop_column("time_zone")
        batch_op.drop_column("daily_end")
        batch_op.drop_column("daily_start")
        batch_op.drop_column("online_url")
