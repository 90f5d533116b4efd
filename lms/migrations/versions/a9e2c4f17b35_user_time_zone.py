"""Users: the time zone they read times in (none chosen: their country's, or UTC).

Revision ID: a9e2c4f17b35
Revises: f4b6d8a01c23
Create Date: 2026-11-25 08:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a9e2c4f17b35"
down_revision = "f4b6d8a01c23"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("time_zone")
