"""Workshop participants: when an attendance sheet recorded them absent.

Revision ID: b7c1d9e4a2f6
Revises: 9d4a6b2e8f17
Create Date: 2026-11-25 02:45:00
"""

import sqlalchemy as sa
from alembic import op

import lms.db

revision = "b7c1d9e4a2f6"
down_revision = "9d4a6b2e8f17"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("courses_workshop_participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("absent_dt", lms.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("courses_workshop_participant", schema=None) as batch_op:
        batch_op.drop_column("absent_dt")
