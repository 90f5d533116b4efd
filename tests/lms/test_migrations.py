"""The Alembic history produces exactly the models' schema (on SQLite, and on PostgreSQL when the suite
runs there), and upgrading twice is harmless."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from lms import create_app
from lms.db import db
from lms.migrate import schema_differences, upgrade


@pytest.fixture
def empty_database_url(tmp_path):
    url = os.environ.get("LMS_TEST_DATABASE_URL")
    if not url:
        yield "sqlite:///" + str(tmp_path / "migrations.sqlite3")
        return
    base = make_url(url)
    name = f"lms_migr_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_migrations_match_the_models(empty_database_url, tmp_path):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
            "SECRET_KEY": "x",
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    with app.app_context():
        upgrade()
        upgrade()  # already at head: nothing to do, no error
        diffs = schema_differences()
        db.engine.dispose()
    assert diffs == [], "\n".join(str(d) for d in diffs)
