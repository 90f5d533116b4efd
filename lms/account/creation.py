"""How accounts come to be: self-registration with the confirmation of the e-mail address, and the
accounts an operator creates (the first administrator, demo users).

Contracts as in :mod:`lms.account.services`, whose validation and lookups these use: plain values in,
never ``request``/``session``/``flash``/``current_user``, only flush (the caller commits once); refused
input raises :class:`AccountError` whose ``str()`` is a translated message for the person who typed it.
Registering with an address that already has an account tells nobody but that address.
"""

from __future__ import annotations

from flask_babel import gettext as _
from werkzeug.security import generate_password_hash

from lms import signals
from lms.account import sign_ins, tokens
from lms.account.errors import AccountError
from lms.account.mails import send_confirmation, send_registration_attempt
from lms.account.services import (
    check_country,
    check_locale,
    check_password_strength,
    clean_name,
    clean_organisation,
    find_user,
    find_user_by_email,
    normalise_email,
)
from lms.db import db, utcnow
from lms.models import ROLES, User, audit, password_hash_method

# --- registration and confirmation ----------------------------------------------------------------


def register_user(
    *,
    email: str,
    name: str,
    password: str,
    country_code: str,
    organisation: str = "",
    locale: str = "en",
    is_focal_point: bool = False,
) -> User | None:
    """Create an unconfirmed learner account and queue the confirmation e-mail. Flushes.

    When the address already has an account, nothing is created and that address is mailed a notice
    instead (someone tried to register with it: sign in or reset the password); ``None`` is returned. The
    caller must answer both cases the same way so the form does not reveal who has an account."""
    email = normalise_email(email)
    name = clean_name(name)
    check_password_strength(password, email)
    country_code = check_country(country_code)
    organisation = clean_organisation(organisation)
    locale = check_locale(locale)
    existing = find_user_by_email(email)
    if existing is not None:
        # The same work as a real registration, so the response time tells nothing either.
        generate_password_hash(password, method=password_hash_method())
        if existing.is_active:  # like a password reset: a deactivated account gets no mail
            send_registration_attempt(existing)
        return None
    user = User(
        email=email,
        name=name,
        country_code=country_code,
        organisation=organisation,
        locale=locale,
        is_focal_point=bool(is_focal_point),
        role="learner",
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    signals.user_registered.send(user)
    send_confirmation(user)
    return user


def confirm_email(token: str) -> User:
    """Confirm the address the token was sent to. Confirming twice is harmless. Flushes."""
    try:
        data = tokens.load_token(token, tokens.CONFIRM_SALT, tokens.confirm_max_age())
    except tokens.TokenExpired as exc:
        raise AccountError(_("This confirmation link has expired. Ask for a new one below.")) from exc
    except tokens.TokenInvalid as exc:
        raise AccountError(_("This confirmation link is not valid.")) from exc
    user = find_user(data["u"])
    if user is None or user.deleted_dt is not None or data.get("e") != user.email:
        raise AccountError(_("This confirmation link is not valid."))
    if user.confirmed_dt is None:
        user.confirmed_dt = utcnow()
        db.session.flush()
        signals.user_confirmed.send(user)
    return user


def resend_confirmation(email: str) -> None:
    """Queue a new confirmation link when that address has an unconfirmed account; says nothing either
    way, so the answer does not reveal who has an account."""
    user = find_user_by_email(email)
    if user is not None and user.confirmed_dt is None and user.is_active:
        send_confirmation(user)


# --- administrators and demo users ----------------------------------------------------------------


def create_admin_user(email: str, name: str, password: str) -> User:
    """Create a confirmed administrator, or make the existing account with that e-mail an active,
    confirmed administrator with this password. Audited. Flushes."""
    email = normalise_email(email)
    name = clean_name(name)
    check_password_strength(password, email)
    user = find_user_by_email(email)
    created = user is None
    if created:
        user = User(email=email, name=name, role="admin", confirmed_dt=utcnow())
        db.session.add(user)
    else:
        user.role = "admin"
        user.is_active_account = True
        user.confirmed_dt = user.confirmed_dt or utcnow()
        sign_ins.end_all(user)  # a new password: whoever held the account's sessions is signed out
    user.set_password(password)
    db.session.flush()
    if created:
        signals.user_registered.send(user)
        signals.user_confirmed.send(user)
    audit(None, "user.create_admin", "user", user.uuid, created=created)
    db.session.flush()
    return user


def ensure_demo_user(email: str, name: str, role: str, country_code: str | None, password: str) -> User:
    """A confirmed demo account in that role; running it again changes nothing. Flushes."""
    if role not in ROLES:
        raise AccountError(_("Unknown role."), field="role")
    email = normalise_email(email)
    user = find_user_by_email(email)
    if user is None:
        user = User(email=email, name=name, role=role, country_code=country_code, confirmed_dt=utcnow())
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        signals.user_registered.send(user)
        signals.user_confirmed.send(user)
        return user
    user.name, user.role, user.country_code, user.is_active_account = name, role, country_code, True
    user.confirmed_dt = user.confirmed_dt or utcnow()
    if not user.check_password(password):
        user.set_password(password)
    db.session.flush()
    return user
