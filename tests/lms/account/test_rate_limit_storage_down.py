"""When the rate-limit storage (Redis) does not answer, sign-in keeps working and stays limited: each
worker counts in its own memory until the storage is back."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import TEST_PASSWORD


def _closed_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def _storage_back_afterwards():
    yield
    # The limiter is one object for every app of the test process: without this, the next tests' apps
    # would start on the fallback, where production starts a fresh process on the storage.
    from lms.extensions import limiter

    limiter._storage_dead = False


@pytest.fixture
def app_config():
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_LOGIN": "3 per minute",
        "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{_closed_loopback_port()}/5",
    }


def test_sign_in_works_and_is_limited_while_the_storage_is_down(client, make_user):
    make_user(email="ana@example.org")
    resp = client.post("/account/login", data={"email": "ana@example.org", "password": TEST_PASSWORD})
    assert resp.status_code == 302
    client.post("/account/logout")
    data = {"email": "ana@example.org", "password": "wrong password!"}
    statuses = [client.post("/account/login", data=data).status_code for _ in range(3)]
    assert 500 not in statuses and statuses[-1] == 429, statuses
