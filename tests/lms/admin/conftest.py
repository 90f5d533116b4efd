"""Fixtures for the administration tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def admin(make_user, login):
    """An administrator, signed in on ``client``."""
    user = make_user(role="admin", email="admin@example.org", name="Ada Admin", country_code="CH")
    login(user)
    return user


_HASHES: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _hash_each_password_once(monkeypatch):
    """These tests create many users with the same password; scrypt it once per password (the hash is a
    real scrypt hash, so signing in still checks it). Account tests keep the unpatched method."""
    from lms.models import User

    real = User.set_password

    def set_password(self, password):
        if password not in _HASHES:
            real(self, password)
            _HASHES[password] = self.password_hash
        self.password_hash = _HASHES[password]

    monkeypatch.setattr(User, "set_password", set_password)
