"""Signed, timed tokens for the links sent by e-mail (confirmation, password reset, invitation).

Tokens are made with :class:`itsdangerous.URLSafeTimedSerializer` keyed by the app's ``SECRET_KEY`` and a
salt per purpose, so a confirmation token can never be used as a reset token. A reset token also carries
a fingerprint of the current password hash: once the password changes, every earlier reset link stops
working. An invitation token (an account an administrator created: its owner chooses a password) is
bound the same way, so it works once. A confirmation token carries the e-mail it was sent to.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CONFIRM_SALT = "lms.account.confirm"
RESET_SALT = "lms.account.reset"
LANGUAGE_SALT = "lms.account.language"
INVITE_SALT = "lms.account.invite"
CONFIRM_MAX_AGE = 7 * 24 * 3600  # seconds; setting ACCOUNT_CONFIRM_MAX_AGE overrides
RESET_MAX_AGE = 2 * 3600  # seconds; setting ACCOUNT_RESET_MAX_AGE overrides


class TokenInvalid(Exception):
    """The token is tampered with, for another purpose, or malformed."""


class TokenExpired(TokenInvalid):
    """The token was genuine but is too old."""


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def password_fingerprint(password_hash: str) -> str:
    """A short digest of the stored hash: changes whenever the password does."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def make_confirm_token(user) -> str:
    return _serializer(CONFIRM_SALT).dumps({"u": user.uuid, "e": user.email})


def make_reset_token(user) -> str:
    return _password_token(user, RESET_SALT)


def make_invitation_token(user) -> str:
    return _password_token(user, INVITE_SALT)


def _password_token(user, salt: str) -> str:
    """A token for ``user`` that stops working once their password changes."""
    return _serializer(salt).dumps({"u": user.uuid, "p": password_fingerprint(user.password_hash)})


def make_language_token(user) -> str:
    """The mark of the language switcher's own links for ``user``: only a link carrying it changes the
    account's language (that of its mails). It never expires and serves nothing else, unlike the CSRF
    token, which must not appear in addresses (logs, history)."""
    return _serializer(LANGUAGE_SALT).dumps({"u": user.uuid})


def is_language_token(token: str | None, user) -> bool:
    try:
        return load_token(token or "", LANGUAGE_SALT, max_age=None)["u"] == user.uuid
    except TokenInvalid:
        return False


def load_token(token: str, salt: str, max_age: int | None) -> dict:
    """The token's payload; raises :class:`TokenExpired` or :class:`TokenInvalid`."""
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenExpired() from exc
    except (BadSignature, ValueError, TypeError) as exc:
        raise TokenInvalid() from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), str):
        raise TokenInvalid()
    return data


def confirm_max_age() -> int:
    return int(current_app.config.get("ACCOUNT_CONFIRM_MAX_AGE", CONFIRM_MAX_AGE))


def reset_max_age() -> int:
    return int(current_app.config.get("ACCOUNT_RESET_MAX_AGE", RESET_MAX_AGE))


def invitation_max_age() -> int:
    """Seconds an invitation link stays valid (``INVITATION_DAYS``)."""
    return current_app.config.get("INVITATION_DAYS", 14) * 86400  # a whole number: ensure_invitation_days
