"""Behind a trusted reverse proxy (``PROXY_HOPS``) rate limits count per visitor address."""

from __future__ import annotations

import pytest

from lms import create_app

LOGIN = {"email": "ana@example.org", "password": "wrong password!"}


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "3 per minute", "PROXY_HOPS": 1}


def _statuses(client, address, n):
    return [
        client.post("/account/login", data=LOGIN, headers={"X-Forwarded-For": address}).status_code
        for _ in range(n)
    ]


def test_each_forwarded_address_has_its_own_budget(client, make_user):
    make_user(email="ana@example.org")
    assert _statuses(client, "203.0.113.7", 4)[3] == 429
    # Another visitor behind the same proxy is not limited by the first one's attempts.
    assert 429 not in _statuses(client, "198.51.100.23", 3)


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(tmp_path):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"}
    )
    wsgi = app.wsgi_app
    assert type(wsgi).__name__ != "ProxyFix"
    with app.test_request_context(
        "/", headers={"X-Forwarded-For": "203.0.113.7"}, environ_base={"REMOTE_ADDR": "192.0.2.1"}
    ):
        from flask import request

        assert request.remote_addr == "192.0.2.1"
