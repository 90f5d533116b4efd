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


def test_init_db_loads_the_countries_on_a_new_installation(empty_database_url, tmp_path):
    """A production installation runs only ``init-db`` (never ``seed-demo``): registration, workshops
    and readiness assessments need the country list, so init-db loads it, and running it again adds none."""
    from sqlalchemy import func, select

    from lms.cli import init_db
    from lms.models import Country

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
            "SECRET_KEY": "x",
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    runner = app.test_cli_runner()
    first = runner.invoke(init_db)
    second = runner.invoke(init_db)
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Country))
        senegal = db.session.get(Country, "SN")
        db.session.remove()
        db.engine.dispose()
    assert first.exit_code == 0, first.output
    assert "countries: 196 added" in first.output
    assert "countries: 0 added" in second.output
    assert count == 196
    assert senegal is not None and senegal.region == "africa"
