"""Fixtures for the account tests: the mail outbox and the links in it."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from lms.db import db
from lms.models import OutboxMessage


@pytest.fixture
def outbox(app):
    """``outbox(recipient=None)``: the queued messages, oldest first (optionally for one address)."""

    def _messages(recipient: str | None = None) -> list[OutboxMessage]:
        stmt = select(OutboxMessage).order_by(OutboxMessage.id)
        if recipient is not None:
            stmt = stmt.where(OutboxMessage.recipient == recipient)
        return list(db.session.scalars(stmt))

    return _messages


def link_path(message: OutboxMessage, prefix: str) -> str:
    """The path of the first link in ``message`` whose path starts with ``prefix`` (base URL removed)."""
    found = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"[^\s]*)", message.body)
    assert found, f"no link to {prefix} in: {message.body}"
    return found.group(1)


@pytest.fixture
def past(monkeypatch):
    """``with past(seconds):`` tokens made inside carry a timestamp that many seconds ago."""
    from contextlib import contextmanager

    from itsdangerous import timed

    @contextmanager
    def _past(seconds: int):
        real = timed.TimestampSigner.get_timestamp
        monkeypatch.setattr(timed.TimestampSigner, "get_timestamp", lambda self: int(time.time()) - seconds)
        try:
            yield
        finally:
            monkeypatch.setattr(timed.TimestampSigner, "get_timestamp", real)

    return _past
