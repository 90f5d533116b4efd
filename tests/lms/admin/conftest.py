"""Fixtures for the administration tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def admin(make_user, login):
    """An administrator, signed in on ``client``."""
    user = make_user(role="admin", email="admin@example.org", name="Ada Admin", country_code="CH")
    login(user)
    return user
