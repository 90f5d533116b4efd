"""Workshops: the revision of their calendar event (iCalendar SEQUENCE).

Revision ID: 712e13ac98e7
Revises: 686f44870038
Create Date: 2026-11-24 13:35:16.248992
"""

import sqlalchemy as sa
from alembic import op

revision = "712e13ac98e7"
down_revision = "686f44870038"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("courses_workshop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar_sequence", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("courses_workshop", schema=None) as batch_op:
        batch_op.drop_column("calendar_sequence")
