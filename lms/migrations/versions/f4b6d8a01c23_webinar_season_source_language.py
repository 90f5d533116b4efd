"""Webinar seasons: the language their title and description were written in (English until now).

Revision ID: f4b6d8a01c23
Revises: b7c1d9e4a2f6
Create Date: 2026-11-25 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f4b6d8a01c23"
down_revision = "b7c1d9e4a2f6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("webinars_season", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_language", sa.String(length=5), server_default="en", nullable=False))


def downgrade():
    with op.batch_alter_table("webinars_season", schema=None) as batch_op:
        batch_op.drop_column("source_language")
