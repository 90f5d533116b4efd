"""Shared fixtures: an app per test on a schema created once per session, emptied after each test.

``LMS_TEST_DATABASE_URL`` runs the whole suite on another database (CI uses PostgreSQL); by default a
SQLite file in a temporary folder is used.
"""

from __future__ import annotations

import itertools
import os

import pytest
from flask import g, request_started
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from lms import create_app
from lms.db import db

# The browser harness (live server, one Playwright/Chromium per test session) serves every test marked
# ``browser``, wherever it lives: two Playwright instances in one process cannot coexist.
pytest_plugins = ["tests.browser.harness"]

_counter = itertools.count(1)
TEST_PASSWORD = "correct horse battery staple"


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("LMS_TEST_DATABASE_URL")
    if not url:
        return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    # Parallel workers (pytest -n) each get their own database next to the configured one.
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = _database_url(tmp_path_factory)
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "test",
            "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        }
    )
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        db.engine.dispose()
    return url


def _empty_tables() -> None:
    # DELETE, child tables first, is much faster than TRUNCATE of every table on PostgreSQL when, as
    # here, most tables are empty after a test.
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())


def make_test_app(database_url, tmp_path, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        # Still scrypt, at a low cost: production keeps werkzeug's default (N=32768).
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "lms.test",
        "BASE_URL": "http://lms.test",
        "INSTANCE_PATH": str(tmp_path / "instance"),
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app_config():
    """Override in a test module to change the app's settings (a dict)."""
    return {}


def _fresh_request_globals(sender, **extra):
    # The app fixture keeps one app context pushed for the whole test (so tests can use the database),
    # and Flask reuses it for every test request: without this, ``g`` (the signed-in user cached by
    # Flask-Login, the locale cached by Flask-Babel) would leak from one request to the next.
    g.__dict__.clear()


@pytest.fixture
def app(database_url, tmp_path, app_config):
    app = make_test_app(database_url, tmp_path, **app_config)
    request_started.connect(_fresh_request_globals, app)
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def countries(app):
    from lms.countries import ensure_countries

    ensure_countries()
    db.session.commit()


@pytest.fixture
def make_user(app, countries):
    """Factory: ``make_user(role="trainer", country_code="FR", email=..., name=..., password=...)``."""
    from lms.models import User

    def _make(
        role="learner",
        country_code="FR",
        email=None,
        name=None,
        password=TEST_PASSWORD,
        confirmed=True,
        **extra,
    ):
        from lms.db import utcnow

        n = next(_counter)
        user = User(
            email=email or f"user{n}@example.org",
            name=name or f"Test User {n}",
            role=role,
            country_code=country_code,
            confirmed_dt=utcnow() if confirmed else None,
            **extra,
        )
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return _make


@pytest.fixture
def login(client):
    """``login(user)`` signs the test client in as ``user`` (through the real login form)."""

    def _login(user, password=TEST_PASSWORD):
        resp = client.post("/account/login", data={"email": user.email, "password": password})
        assert resp.status_code in (302, 303), resp.data[:500]
        return resp

    return _login


@pytest.fixture
def login_without_form(client):
    """``login_without_form(user)`` signs the test client in as ``user`` by writing the session the
    sign-in form would write (its signed-in session record included): for tests with CSRF on."""
    from lms.account import sign_ins

    def _login(user):
        record = sign_ins.open_sign_in(user, "pytest")
        db.session.commit()
        with client.session_transaction() as sess:
            sess["_user_id"] = user.uuid
            sess["_fresh"] = True
            sess[sign_ins.SESSION_KEY] = record.key

    return _login
