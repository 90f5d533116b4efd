"""The e-mails the account services send (through the outbox), each in the recipient's language, with
links built on ``BASE_URL`` (never the request's Host header, which a client controls)."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from lms.account import tokens
from lms.mail import queue_mail
from lms.models import User


def external_url(endpoint: str, **values) -> str:
    """An absolute URL under ``BASE_URL`` (never the request's Host header, which a client controls)."""
    adapter = current_app.url_map.bind("localhost")
    return current_app.config["BASE_URL"].rstrip("/") + adapter.build(endpoint, values)


def send_confirmation(user: User) -> None:
    link = external_url("account.confirm", token=tokens.make_confirm_token(user))
    days = tokens.confirm_max_age() // 86400 or 1
    with force_locale(user.locale or "en"):
        subject = _("Confirm your e-mail address for %(site)s", site=current_app.config["SITE_NAME"])
        body = ngettext(
            "Hello %(name)s,\n\nPlease confirm your e-mail address by opening this link:\n%(link)s\n\n"
            "The link is valid for %(num)d day. If you did not create an account, ignore this message.",
            "Hello %(name)s,\n\nPlease confirm your e-mail address by opening this link:\n%(link)s\n\n"
            "The link is valid for %(num)d days. If you did not create an account, ignore this message.",
            days,
            name=user.name,
            link=link,
        )
    queue_mail(user.email, subject, body)


def send_password_reset(user: User) -> None:
    link = external_url("account.reset_password", token=tokens.make_reset_token(user))
    hours = tokens.reset_max_age() // 3600 or 1
    with force_locale(user.locale or "en"):
        subject = _("Reset your password for %(site)s", site=current_app.config["SITE_NAME"])
        body = ngettext(
            "Hello %(name)s,\n\nTo choose a new password, open this link:\n%(link)s\n\n"
            "The link is valid for %(num)d hour and only until your password changes. If you did not ask "
            "for it, ignore this message: your password stays as it is.",
            "Hello %(name)s,\n\nTo choose a new password, open this link:\n%(link)s\n\n"
            "The link is valid for %(num)d hours and only until your password changes. If you did not ask "
            "for it, ignore this message: your password stays as it is.",
            hours,
            name=user.name,
            link=link,
        )
    queue_mail(user.email, subject, body)


def send_registration_attempt(user: User) -> None:
    """Tell the owner of an address that someone tried to register with it (instead of telling the
    person at the registration form that the address has an account)."""
    with force_locale(user.locale or "en"):
        site = current_app.config["SITE_NAME"]
        subject = _("Someone tried to register with your address on %(site)s", site=site)
        body = _(
            "Hello %(name)s,\n\nSomeone, perhaps you, tried to create an account on %(site)s with this "
            "e-mail address, which already has one. Nothing was changed.\n\nTo sign in, open:\n%(login)s\n\n"
            "If you forgot your password, choose a new one here:\n%(reset)s\n\n"
            "If it was not you, ignore this message.",
            name=user.name,
            site=site,
            login=external_url("account.login"),
            reset=external_url("account.forgot_password"),
        )
    queue_mail(user.email, subject, body)


def send_invitation(user: User, inviter: User | None) -> None:
    """The invitation to an account an administrator created: a link to choose the password (which
    confirms the address), valid ``INVITATION_DAYS`` and until the password is set."""
    link = external_url("account.accept_invitation", token=tokens.make_invitation_token(user))
    days = tokens.invitation_max_age() // 86400 or 1
    with force_locale(user.locale or "en"):
        site = current_app.config["SITE_NAME"]
        subject = _("You are invited to %(site)s", site=site)
        body = ngettext(
            "Hello %(name)s,\n\n%(inviter)s invited you to %(site)s. Your account is ready: its sign-in "
            "address is this e-mail address, %(email)s.\n\nTo accept, choose your password by opening "
            "this link:\n%(link)s\n\nThe link is valid for %(num)d day and works once. Once it has "
            "expired, choose your password here instead:\n%(forgot)s",
            "Hello %(name)s,\n\n%(inviter)s invited you to %(site)s. Your account is ready: its sign-in "
            "address is this e-mail address, %(email)s.\n\nTo accept, choose your password by opening "
            "this link:\n%(link)s\n\nThe link is valid for %(num)d days and works once. Once it has "
            "expired, choose your password here instead:\n%(forgot)s",
            days,
            name=user.name,
            inviter=inviter.display_name if inviter is not None else site,
            site=site,
            email=user.email,
            link=link,
            forgot=external_url("account.forgot_password"),
        )
    queue_mail(user.email, subject, body)
