"""``minamata-lms xapi ...``: create-client, sync-endpoints, forward-now."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lrs_testing import FakeLRS, statement  # noqa: E402

from lms.db import db  # noqa: E402
from lms.xapi.agents import platform_authority  # noqa: E402
from lms.xapi.auth import LRSClient  # noqa: E402
from lms.xapi.forwarding import ForwardEndpoint  # noqa: E402
from lms.xapi.store import store_statements  # noqa: E402


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["xapi", *args])


def test_create_client_prints_key_and_secret_once(app):
    result = _run(
        app,
        "create-client",
        "Learning Locker import",
        "--scope",
        "statements/write",
        "--scope",
        "state",
        "--expires-days",
        "30",
    )
    assert result.exit_code == 0, result.output
    key = re.search(r"key:\s+(\S+)", result.output).group(1)
    secret = re.search(r"secret:\s+(\S+)", result.output).group(1)
    client = db.session.scalar(select(LRSClient).where(LRSClient.key == key))
    assert client.name == "Learning Locker import" and client.scopes == ["statements/write", "state"]
    assert client.check_secret(secret) and secret not in client.secret_hash
    assert client.expires_dt is not None


def test_create_client_refuses_unknown_scopes(app):
    result = _run(app, "create-client", "x", "--scope", "statements/everything")
    assert result.exit_code != 0 and "statements/everything" in result.output
    assert db.session.scalar(select(func.count()).select_from(LRSClient)) == 0


@pytest.fixture
def app_config():
    return {
        "XAPI_FORWARD": json.dumps(
            [
                {
                    "name": "ralph",
                    "endpoint": "https://ralph.example.org/xapi",
                    "username": "u",
                    "password": "p",
                    "verbs": ["completed", "passed"],
                },
                {"name": "locker", "endpoint": "https://locker.example.org/data/xAPI/"},
            ]
        )
    }


def test_sync_endpoints_applies_the_setting(app):
    result = _run(app, "sync-endpoints")
    assert result.exit_code == 0, result.output
    assert "created ralph" in result.output and "created locker" in result.output
    ralph = db.session.scalar(select(ForwardEndpoint).where(ForwardEndpoint.name == "ralph"))
    assert ralph.source == "config" and ralph.filter_kind == "verbs" and ralph.password == "p"
    assert ralph.filter_values == [
        "http://adlnet.gov/expapi/verbs/completed",
        "http://adlnet.gov/expapi/verbs/passed",
    ]
    # A removed entry is deactivated, a changed one updated.
    app.config["XAPI_FORWARD"] = [{"name": "ralph", "endpoint": "https://ralph2.example.org/xapi/"}]
    result = _run(app, "sync-endpoints")
    assert "updated ralph" in result.output and "deactivated locker" in result.output
    db.session.expire_all()
    endpoints = {e.name: e for e in db.session.scalars(select(ForwardEndpoint))}
    assert endpoints["ralph"].endpoint == "https://ralph2.example.org/xapi/"
    assert endpoints["ralph"].filter_kind == "all" and endpoints["ralph"].is_active
    assert not endpoints["locker"].is_active


@pytest.mark.parametrize(
    "setting",
    [
        "not json",
        json.dumps({"name": "x"}),
        json.dumps([{"name": "x"}]),
        json.dumps([{"name": "x", "endpoint": "https://x.example.org/", "colour": "blue"}]),
        json.dumps(
            [
                {"name": "ok", "endpoint": "https://x.example.org/"},
                {"name": "bad", "endpoint": "gopher://x.example.org/"},
            ]
        ),
    ],
)
def test_a_bad_setting_is_refused_whole(app, setting):
    app.config["XAPI_FORWARD"] = setting
    result = _run(app, "sync-endpoints")
    assert result.exit_code != 0 and "LMS_XAPI_FORWARD" in result.output
    assert db.session.scalar(select(func.count()).select_from(ForwardEndpoint)) == 0


def test_forward_now_delivers_the_queue(app):
    server = FakeLRS()
    try:
        app.config["XAPI_FORWARD"] = [{"name": "fake", "endpoint": server.endpoint}]
        assert _run(app, "sync-endpoints").exit_code == 0
        ids = store_statements([statement() for _ in range(3)], authority=platform_authority())
        db.session.commit()
        result = _run(app, "forward-now")
        assert result.exit_code == 0, result.output
        assert "sent 3" in result.output
        assert server.counts() == {i: 1 for i in ids}
    finally:
        server.stop()
