"""How accounts come to be: self-registration with the confirmation of the e-mail address, the
invitations of an administrator (one person, or a CSV list; the invited person chooses their password
from the mailed link, which confirms the address), and the accounts an operator creates (the first
administrator, demo users).

Contracts as in :mod:`lms.account.services`, whose validation and lookups these use: plain values in,
never ``request``/``session``/``flash``/``current_user``, only flush (the caller commits once); refused
input raises :class:`AccountError` whose ``str()`` is a translated message for the person who typed it.
Registering with an address that already has an account tells nobody but that address.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from lms import signals
from lms.account import sign_ins, tokens
from lms.account.csv_rows import read_rows, row_email, rows_refused
from lms.account.errors import AccountError
from lms.account.mails import send_confirmation, send_invitation, send_registration_attempt
from lms.account.services import (
    check_country,
    check_locale,
    check_password_strength,
    clean_name,
    clean_organisation,
    find_user,
    find_user_by_email,
    normalise_email,
    set_password_from_link,
    user_of_password_token,
)
from lms.db import db, utcnow
from lms.i18n import isolate
from lms.models import ROLES, AuditEntry, Country, User, audit, password_hash_method

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
    # An invited person confirms by accepting the invitation (choosing a password): a confirmation
    # link would confirm the account without one and hide the pending invitation from administrators.
    if user is not None and user.confirmed_dt is None and user.is_active and invitation_of(user) is None:
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
    """A confirmed demo account in that role; running it again changes nothing. A country whose
    coordinator an administrator has changed keeps theirs: the demo account is then not made a second
    one (it stays in, or gets, the learner's role). Flushes."""
    check_role(role)
    email = normalise_email(email)
    user = find_user_by_email(email)
    if role == "coordinator":
        from lms.admin.coordinators import active_coordinator  # the administration builds on accounts

        if active_coordinator(country_code, besides=user) is not None:
            role = user.role if user is not None and user.role != "coordinator" else "learner"
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


# --- invitations by an administrator --------------------------------------------------------------

INVITE_ACTION = "user.invite"
INVITE_COLUMNS = {
    "email": ("email", "e-mail", "mail"),
    "name": ("name", "full name"),
    "country": ("country", "country code"),
    "role": ("role",),
    "language": ("language", "locale"),
}


class AccountExists(AccountError):
    """An invitation refused because the address already has an account: ``user``."""

    def __init__(self, message: str, user: User):
        super().__init__(message, field="email")
        self.user = user


def check_role(role: str | None) -> str:
    if role not in ROLES:
        raise AccountError(_("Unknown role."), field="role")
    return role


def invite_user(
    admin: User, *, email: str, name: str, role: str, country_code: str = "", locale: str = "en"
) -> User:
    """Create the account of someone an administrator invites (not confirmed, an unusable random
    password), audit it and mail the invitation in the account's language. Refuses an address that
    already has an account (:class:`AccountExists`). Flushes."""
    email = normalise_email(email)
    name = clean_name(name)
    role = check_role(role)
    country_code = check_country(country_code) if (country_code or "").strip() else None
    locale = check_locale(locale)
    existing = find_user_by_email(email)
    if existing is not None:
        raise AccountExists(_("This address already has an account."), existing)
    return _create_invited(admin, email, name, role, country_code, locale, source="form")


def _create_invited(admin, email, name, role, country_code, locale, source: str) -> User:
    user = User(email=email, name=name, role=role, country_code=country_code, locale=locale)
    user.set_unusable_password()  # the invited person chooses theirs
    db.session.add(user)
    db.session.flush()
    signals.user_registered.send(user)
    audit(admin, INVITE_ACTION, "user", user.uuid, role=role, source=source)
    send_invitation(user, admin)
    db.session.flush()
    return user


def invite_from_csv(admin: User, data: bytes, *, default_locale: str) -> list[User]:
    """Invite the people of an uploaded CSV list (columns email, name; optional country code, role,
    language code: a learner in ``default_locale`` when left out). Every row is checked first: the whole
    file is refused (:class:`ImportRefused`, every bad row with its line and reason) or everyone is
    invited. Flushes."""
    rows = read_rows(data, INVITE_COLUMNS, {"email", "name"})
    errors, seen, plan = [], set(), []
    for line, row in rows:
        found = len(errors)
        email = row_email(line, row, seen, errors)
        name = " ".join((row.get("name") or "").split())
        if not name or len(name) > 200:
            errors.append((line, _("the name is missing or longer than 200 characters")))
        code = (row.get("country") or "").strip().upper()
        if code and db.session.get(Country, code) is None:
            errors.append((line, _("unknown country code %(code)s", code=code)))
        role = (row.get("role") or "learner").strip().lower()
        if role not in ROLES:
            errors.append(
                (
                    line,
                    _(
                        "unknown role %(value)s (expected: %(names)s)",
                        value=isolate(role),
                        names=isolate(", ".join(ROLES)),
                    ),
                )
            )
        locale = (row.get("language") or default_locale).strip().lower()
        if locale not in current_app.config["LANGUAGES"]:
            errors.append(
                (
                    line,
                    _(
                        "unknown language %(value)s (expected: %(names)s)",
                        value=isolate(locale),
                        names=isolate(", ".join(current_app.config["LANGUAGES"])),
                    ),
                )
            )
        if email is not None and find_user_by_email(email) is not None:
            errors.append((line, _("%(email)s already has an account", email=email)))
        if len(errors) == found:
            plan.append((email, name, role, code or None, locale))
    if errors:
        raise rows_refused(errors)
    return [
        _create_invited(admin, email, name, role, code, locale, source="csv")
        for email, name, role, code, locale in plan
    ]


def invitation_of(user: User) -> AuditEntry | None:
    """The (first) invitation of an account an administrator invited whose owner has not accepted it
    yet (not chosen a password from a mailed link); None otherwise."""
    if user.confirmed_dt is not None or user.deleted_dt is not None:
        return None
    return db.session.scalar(
        select(AuditEntry)
        .where(
            AuditEntry.action == INVITE_ACTION,
            AuditEntry.target_type == "user",
            AuditEntry.target_id == user.uuid,
        )
        .order_by(AuditEntry.id)
        .limit(1)
    )


def resend_invitation(admin: User, user: User) -> User:
    """Mail the invitation again, with a new link: the earlier links stop working. Only for an invited
    account that has not accepted and is active. Flushes."""
    if user.deleted_dt is not None:
        raise AccountError(_("This account is deleted."))
    if invitation_of(user) is None:
        raise AccountError(_("This person has already accepted the invitation, or was never invited."))
    if not user.is_active_account:
        raise AccountError(_("This account is deactivated: reactivate it first."))
    user.set_unusable_password()
    audit(admin, "user.invite_resent", "user", user.uuid)
    db.session.flush()
    send_invitation(user, admin)
    return user


def check_invitation_token(token: str) -> User:
    """The user an invitation link belongs to, or :class:`AccountError` when it is no longer usable
    (expired, or used: the password it was made for has changed)."""
    return user_of_password_token(
        token,
        tokens.INVITE_SALT,
        tokens.invitation_max_age(),
        expired=_("This invitation link has expired. Ask for a new link below to choose your password."),
        invalid=_(
            "This invitation link is not valid or has already been used. If you chose your password, "
            "sign in; otherwise ask for a new link below."
        ),
    )


def accept_invitation(token: str, password: str) -> User:
    """Set the password the invited person chose; confirms the address (it received the link) and
    makes the link unusable; records the sign-in that follows. Audited. Flushes."""
    user = set_password_from_link(check_invitation_token(token), password)
    user.last_login_dt = utcnow()
    audit(user, "user.invite_accepted", "user", user.uuid)
    db.session.flush()
    return user
