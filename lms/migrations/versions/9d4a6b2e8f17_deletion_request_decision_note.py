"""Deletion requests: the reason an administrator gave for rejecting one.

Revision ID: 9d4a6b2e8f17
Revises: 5b8e2f1c9d30
Create Date: 2026-11-25 03:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "9d4a6b2e8f17"
down_revision = "5b8e2f1c9d30"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("deletion_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_note", sa.Text(), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("deletion_request", schema=None) as batch_op:
        batch_op.drop_column("decision_note")
