"""Webinar sessions: when a live session was cancelled and the organisers' message to its registrants.

Revision ID: c23da4c99063
Revises: 3c5e9a1d7b42
Create Date: 2026-11-26 10:00:00
"""

import sqlalchemy as sa
from alembic import op

import lms.db

revision = "c23da4c99063"
down_revision = "3c5e9a1d7b42"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("webinars_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancelled_dt", lms.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("cancel_message", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("webinars_session", schema=None) as batch_op:
        batch_op.drop_column("cancel_message")
        batch_op.drop_column("cancelled_dt")
