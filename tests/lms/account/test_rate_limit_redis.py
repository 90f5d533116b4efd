"""The same sign-in limit with the Redis storage used by multi-worker deployments (skipped when no Redis
answers on 127.0.0.1:6379)."""

from __future__ import annotations

import socket
import uuid

import pytest

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def app_config():
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_LOGIN": "3 per minute",
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": f"lms-test-{uuid.uuid4().hex}",
    }


def test_login_limit_is_kept_in_redis(app, client, make_user):
    import redis

    make_user(email="ana@example.org")
    data = {"email": "ana@example.org", "password": "wrong password!"}
    statuses = [client.post("/account/login", data=data).status_code for _ in range(4)]
    assert 429 not in statuses[:3]
    assert statuses[3] == 429
    keys = redis.Redis.from_url(REDIS_URL).keys("*" + app.config["RATELIMIT_KEY_PREFIX"] + "*")
    assert keys, "the limiter wrote no counter to Redis"
    redis.Redis.from_url(REDIS_URL).delete(*keys)
