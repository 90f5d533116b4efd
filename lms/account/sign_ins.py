"""Signed-in sessions: every sign-in is recorded, so a person sees where their account is open and can
end any of those sessions from another device.

The session cookie carries the record's ``key`` (:data:`SESSION_KEY`); the user loader in
:mod:`lms.auth` accepts a cookie only while its record exists and has been used within
``SESSION_IDLE_DAYS``. Signing out deletes the record, so a copy of the cookie taken before (from a
shared computer, a stolen backup) no longer opens the account. Functions here only flush.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import ua_parser
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from lms.db import db, utcnow
from lms.models import SignInSession, User

SESSION_KEY = "_sid"
"""Session cookie key: the key of the :class:`~lms.models.SignInSession` it belongs to."""

TOUCH_EVERY = timedelta(minutes=10)
"""How stale ``last_seen_dt`` may get before a request writes it again (one write per ten minutes of
use, not one per page)."""


def open_sign_in(user: User, user_agent: str, now: datetime | None = None) -> SignInSession:
    """Record a new signed-in browser of ``user``, described from its ``User-Agent`` header."""
    browser, system = _describe(user_agent)
    now = now or utcnow()
    record = SignInSession(
        key=secrets.token_urlsafe(32),
        user_id=user.id,
        browser=browser,
        system=system,
        created_dt=now,
        last_seen_dt=now,
    )
    db.session.add(record)
    db.session.flush()
    return record


def _describe(user_agent: str) -> tuple[str, str]:
    parsed = ua_parser.parse(user_agent[:1000]) if user_agent else None
    browser = parsed.user_agent.family if parsed and parsed.user_agent else ""
    system = parsed.os.family if parsed and parsed.os else ""
    return browser[:60], system[:60]


def load(user_uuid: str, key: str | None, idle: timedelta, now: datetime | None = None):
    """The user with ``user_uuid`` and their live record with ``key``, read in one query (the user
    loader runs on every signed-in request), or ``None`` when either is missing or the record has been
    idle longer than ``idle``."""
    if not key:
        return None
    row = db.session.execute(
        select(User, SignInSession)
        .join(SignInSession, SignInSession.user_id == User.id)
        .where(User.uuid == user_uuid, SignInSession.key == key)
    ).first()
    if row is None or row[1].last_seen_dt < (now or utcnow()) - idle:
        return None
    return row[0], row[1]


def touch(record_id: int, now: datetime | None = None) -> None:
    """Note that the session was used just now."""
    db.session.execute(update(SignInSession).filter_by(id=record_id).values(last_seen_dt=now or utcnow()))


def sessions_of(user: User, idle: timedelta, now: datetime | None = None) -> list[SignInSession]:
    """``user``'s live sessions, the most recently used first."""
    since = (now or utcnow()) - idle
    query = select(SignInSession).filter(
        SignInSession.user_id == user.id, SignInSession.last_seen_dt >= since
    )
    return list(
        db.session.scalars(query.order_by(SignInSession.last_seen_dt.desc(), SignInSession.id.desc()))
    )


def end(user: User, record_id: int) -> bool:
    """End one of ``user``'s sessions (never another person's); ``False`` when there was none."""
    result = db.session.execute(delete(SignInSession).filter_by(id=record_id, user_id=user.id))
    return result.rowcount > 0


def end_by_key(key: str | None) -> None:
    """End the session with this cookie key (signing out)."""
    if key:
        db.session.execute(delete(SignInSession).filter_by(key=key))


def end_all(user: User, keep_key: str | None = None) -> int:
    """End every session of ``user`` except the one with ``keep_key``; how many were ended."""
    query = delete(SignInSession).filter(SignInSession.user_id == user.id)
    if keep_key:
        query = query.filter(SignInSession.key != keep_key)
    return db.session.execute(query).rowcount


def prune_idle(idle: timedelta, now: datetime | None = None) -> int:
    """Delete the records of sessions idle longer than ``idle`` (they no longer sign anyone in)."""
    cutoff = (now or utcnow()) - idle
    return db.session.execute(delete(SignInSession).filter(SignInSession.last_seen_dt < cutoff)).rowcount


def device_label(record: SignInSession) -> str:
    """ "Firefox on Windows", in the reader's language; the parts the browser did not tell are named so."""
    browser = record.browser if record.browser and record.browser != "Other" else _("Unknown browser")
    if not record.system or record.system == "Other":
        return browser
    return _("%(browser)s on %(system)s", browser=browser, system=record.system)
