"""Users: at most one active country coordinator per country (a partial unique index).

A database where a country already has two active coordinators is not changed: the upgrade stops and
names them, so that an administrator decides who stays (changes the other's role or deactivates their
account) before upgrading again.

Revision ID: f4cc035732a4
Revises: a9e2c4f17b35
Create Date: 2026-11-25 14:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f4cc035732a4"
down_revision = "a9e2c4f17b35"
branch_labels = None
depends_on = None

INDEX_NAME = "uq_user_active_coordinator_country"
INDEX_WHERE = "role = 'coordinator' AND is_active_account"


def _countries_with_two_coordinators() -> dict[str, list[str]]:
    user = sa.table(
        "user",
        sa.column("id", sa.Integer),
        sa.column("email", sa.String),
        sa.column("country_code", sa.String),
        sa.column("role", sa.String),
        sa.column("is_active_account", sa.Boolean),
    )
    rows = op.get_bind().execute(
        sa.select(user.c.country_code, user.c.id, user.c.email)
        .where(
            user.c.role == "coordinator",
            user.c.is_active_account.is_(True),
            user.c.country_code.is_not(None),
        )
        .order_by(user.c.country_code, user.c.id)
    )
    found: dict[str, list[str]] = {}
    for code, user_id, email in rows:
        found.setdefault(code, []).append(f"{email} (id {user_id})")
    return {code: people for code, people in found.items() if len(people) > 1}


def upgrade():
    doubles = _countries_with_two_coordinators()
    if doubles:
        listed = "; ".join(f"{code}: {', '.join(people)}" for code, people in sorted(doubles.items()))
        raise RuntimeError(
            "A country may have only one active country coordinator, and these have more: "
            f"{listed}. Keep one per country (change the others' role or deactivate their accounts on "
            "the administration's user pages), then upgrade again."
        )
    op.create_index(
        INDEX_NAME,
        "user",
        ["country_code"],
        unique=True,
        sqlite_where=sa.text(INDEX_WHERE),
        postgresql_where=sa.text(INDEX_WHERE),
    )


def downgrade():
    op.drop_index(INDEX_NAME, table_name="user")
