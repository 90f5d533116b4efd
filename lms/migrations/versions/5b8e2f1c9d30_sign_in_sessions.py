"""Signed-in sessions: one row per signed-in browser, so signing out ends a session for good and a person
can end their other sessions.

Existing browser sessions carry no session key and are signed out once: everyone signs in again after
this upgrade.

Revision ID: 5b8e2f1c9d30
Revises: c23da4c99063
Create Date: 2026-11-24 20:40:00
"""

import sqlalchemy as sa
from alembic import op

import lms.db

revision = "5b8e2f1c9d30"
down_revision = "c23da4c99063"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_in_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("browser", sa.String(length=60), nullable=False),
        sa.Column("system", sa.String(length=60), nullable=False),
        sa.Column("created_dt", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_dt", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_sign_in_session_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_session")),
        sa.UniqueConstraint("key", name=op.f("uq_sign_in_session_key")),
    )
    with op.batch_alter_table("sign_in_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_session_last_seen_dt"), ["last_seen_dt"], unique=False)
        batch_op.create_index(batch_op.f("ix_sign_in_session_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("sign_in_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_session_user_id"))
        batch_op.drop_index(batch_op.f("ix_sign_in_session_last_seen_dt"))
    op.drop_table("sign_in_session")
