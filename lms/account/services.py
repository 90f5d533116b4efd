"""Account services: the validation of what a person types (address, password, name, organisation,
country, language), finding a user, sign-in, password reset and change, and the profile. Creating
accounts (registration, e-mail confirmation, the first administrator, demo users) is
:mod:`lms.account.creation`. Privacy services (data export, deletion) live in :mod:`lms.account.privacy`
and are re-exported here.

Services take plain values, never touch ``request``/``session``/``flash``/``current_user``, and only
flush; the caller (a view or a CLI command) commits once. Refused input raises :class:`AccountError`
whose ``str()`` is a translated message for the person who typed it.
"""

from __future__ import annotations

from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from lms import signals
from lms.account import sign_ins, tokens
from lms.account.errors import AccountError, UnconfirmedAccount
from lms.account.mails import send_password_reset
from lms.db import db, utcnow
from lms.models import Country, User
from lms.timezones import zone_names

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
MAX_NAME_LENGTH = 200
MAX_ORGANISATION_LENGTH = 200


# --- validation -----------------------------------------------------------------------------------


def normalise_email(email: str | None) -> str:
    """The address as stored: trimmed, validated (syntax only, no DNS) and lower-cased."""
    text = (email or "").strip()
    if not text:
        raise AccountError(_("Enter your e-mail address."), field="email")
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise AccountError(_("Enter a valid e-mail address."), field="email") from exc
    return result.normalized.lower()


def check_password_strength(password: str | None, email: str | None = None) -> str:
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("The password must have at least %(num)d characters.", num=MIN_PASSWORD_LENGTH),
            field="password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(
            _("The password must have at most %(num)d characters.", num=MAX_PASSWORD_LENGTH), field="password"
        )
    if email and password.strip().lower() == email.strip().lower():
        raise AccountError(_("The password must not be your e-mail address."), field="password")
    if len(set(password)) < 3:
        raise AccountError(
            _("The password is too easy to guess: use more different characters."), field="password"
        )
    return password


def clean_name(name: str | None) -> str:
    text = " ".join((name or "").split())
    if not text:
        raise AccountError(_("Enter your name."), field="name")
    if len(text) > MAX_NAME_LENGTH:
        raise AccountError(
            _("The name must have at most %(num)d characters.", num=MAX_NAME_LENGTH), field="name"
        )
    return text


def clean_organisation(organisation: str | None) -> str:
    text = " ".join((organisation or "").split())
    if len(text) > MAX_ORGANISATION_LENGTH:
        raise AccountError(
            _("The organisation must have at most %(num)d characters.", num=MAX_ORGANISATION_LENGTH),
            field="organisation",
        )
    return text


def check_country(code: str | None) -> str:
    code = (code or "").strip().upper()
    if not code or db.session.get(Country, code) is None:
        raise AccountError(_("Choose a country from the list."), field="country")
    return code


def check_locale(code: str | None) -> str:
    if code not in current_app.config["LANGUAGES"]:
        raise AccountError(_("Choose one of the languages offered."), field="locale")
    return code


def check_time_zone(zone: str) -> str | None:
    """A zone a user may choose (:func:`lms.timezones.zone_names`), or None for "" (automatic)."""
    if not zone:
        return None
    if zone not in zone_names():
        raise AccountError(_("Choose a time zone from the list."), field="time_zone")
    return zone


def find_user_by_email(email: str | None) -> User | None:
    text = (email or "").strip().lower()
    if not text:
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == text))


def find_user(uuid: str | None) -> User | None:
    if not uuid:
        return None
    return db.session.scalar(select(User).filter_by(uuid=uuid))


# --- signing in -----------------------------------------------------------------------------------


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not a real password", method="scrypt")


def authenticate(email: str, password: str) -> User:
    """The user with that e-mail and password, or :class:`AccountError` (:class:`UnconfirmedAccount`
    when only the confirmation is missing). Records the sign-in time. Flushes."""
    user = find_user_by_email(email)
    wrong = AccountError(_("The e-mail address or password is not correct."))
    if user is None:
        check_password_hash(_dummy_hash(), password or "")  # same work whether or not the address exists
        raise wrong
    if not password or not user.check_password(password):
        raise wrong
    if not user.is_active:
        raise AccountError(
            _("This account is deactivated. Contact the secretariat if you think this is a mistake.")
        )
    if user.confirmed_dt is None:
        raise UnconfirmedAccount(
            _("Please confirm your e-mail address first: open the link we sent you, or ask for a new one.")
        )
    user.last_login_dt = utcnow()
    db.session.flush()
    return user


# --- password reset and change --------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Queue a reset link when the address belongs to an active account. Returns nothing either way so
    the page cannot reveal whether an address has an account."""
    user = find_user_by_email(email)
    if user is not None and user.is_active:
        send_password_reset(user)


def check_reset_token(token: str) -> User:
    """The user a reset link belongs to, or :class:`AccountError` when it is no longer usable."""
    return user_of_password_token(
        token,
        tokens.RESET_SALT,
        tokens.reset_max_age(),
        expired=_("This password reset link has expired. Ask for a new one."),
        invalid=_("This password reset link is not valid or has already been used. Ask for a new one."),
    )


def user_of_password_token(token: str, salt: str, max_age: int, *, expired: str, invalid: str) -> User:
    """The active user a token bound to their password belongs to (a reset or invitation link), or
    :class:`AccountError` with ``expired`` or ``invalid`` (tampered with, or the password has changed
    since: the link was used)."""
    try:
        data = tokens.load_token(token, salt, max_age)
    except tokens.TokenExpired as exc:
        raise AccountError(expired) from exc
    except tokens.TokenInvalid as exc:
        raise AccountError(invalid) from exc
    user = find_user(data["u"])
    if user is None or not user.is_active or data.get("p") != tokens.password_fingerprint(user.password_hash):
        raise AccountError(invalid)
    return user


def reset_password(token: str, password: str) -> User:
    """Set a new password from a reset link; every earlier link stops working. Opening the link proves the
    address, so an unconfirmed account becomes confirmed. Flushes."""
    return set_password_from_link(check_reset_token(token), password)


def set_password_from_link(user: User, password: str) -> User:
    """Set the password chosen from a mailed link (reset, invitation): every earlier link stops working,
    every session of the account ends, and the address is proven, so the account is confirmed. Flushes."""
    check_password_strength(password, user.email)
    user.set_password(password)
    sign_ins.end_all(user)  # whoever knew the old password is signed out everywhere
    newly_confirmed = user.confirmed_dt is None
    if newly_confirmed:
        user.confirmed_dt = utcnow()
    db.session.flush()
    if newly_confirmed:
        signals.user_confirmed.send(user)
    return user


def change_password(
    user: User, current_password: str, new_password: str, keep_session: str | None = None
) -> User:
    """Change ``user``'s password after checking the current one; every other signed-in session of the
    account ends (``keep_session``: the key of the one the change was made from). Flushes."""
    if not current_password or not user.check_password(current_password):
        raise AccountError(_("The current password is not correct."), field="current_password")
    check_password_strength(new_password, user.email)
    user.set_password(new_password)
    sign_ins.end_all(user, keep_key=keep_session)
    db.session.flush()
    return user


# --- profile --------------------------------------------------------------------------------------


def update_profile(
    user: User,
    *,
    name: str,
    country_code: str,
    organisation: str = "",
    locale: str = "en",
    is_focal_point: bool = False,
    is_reminders_off: bool | None = None,
    time_zone: str | None = None,
) -> User:
    """Change what a user may change about themselves (not the e-mail, not the role, and for a country
    coordinator not the country they coordinate). ``is_reminders_off=None`` keeps the reminder setting,
    ``time_zone=None`` the zone; ``time_zone=""`` returns to the automatic zone
    (:func:`lms.timezones.user_zone`). Flushes."""
    country_code = check_country(country_code)
    if user.role == "coordinator" and country_code != user.country_code:
        # The secretariat made them coordinator of this country: another country would make them its
        # coordinator, with its readiness assessments.
        raise AccountError(
            _(
                "As a country coordinator you cannot change your country yourself: ask the secretariat "
                "(an administrator)."
            ),
            field="country",
        )
    values = {
        "name": clean_name(name),
        "country_code": country_code,
        "organisation": clean_organisation(organisation),
        "locale": check_locale(locale),
        "is_focal_point": bool(is_focal_point),
    }
    if is_reminders_off is not None:
        values["is_reminders_off"] = bool(is_reminders_off)
    if time_zone is not None:
        values["time_zone"] = check_time_zone(time_zone)
    for key, value in values.items():
        setattr(user, key, value)
    db.session.flush()
    return user


from lms.account.privacy import (  # noqa: E402  (re-exported: the privacy services belong here too)
    execute_deletion,
    export_user_data,
    open_deletion_request,
    reject_deletion,
    rejected_deletion_request,
    request_deletion,
    withdraw_deletion,
)

__all__ = [
    "AccountError",
    "UnconfirmedAccount",
    "authenticate",
    "change_password",
    "check_reset_token",
    "execute_deletion",
    "export_user_data",
    "find_user",
    "find_user_by_email",
    "open_deletion_request",
    "reject_deletion",
    "rejected_deletion_request",
    "request_deletion",
    "withdraw_deletion",
    "request_password_reset",
    "reset_password",
    "update_profile",
]
