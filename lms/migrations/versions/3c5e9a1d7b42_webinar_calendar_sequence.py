"""Webinar sessions: the revision of their runs' calendar events (iCalendar SEQUENCE) and the address
where registered people join the live session.

Revision ID: 3c5e9a1d7b42
Revises: 712e13ac98e7
Create Date: 2026-11-24 16:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "3c5e9a1d7b42"
down_revision = "712e13ac98e7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("webinars_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar_sequence", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("join_url", sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table("webinars_session", schema=None) as batch_op:
        batch_op.drop_column("join_url")
        batch_op.drop_column("calendar_sequence")
