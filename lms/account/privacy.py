"""Privacy services: a user's data export, deletion requests and their execution by an administrator.

Deleting an account anonymises it rather than removing the row, so that learning records, enrolments
and aggregates keep their meaning: the e-mail becomes ``deleted-<uuid>@invalid``, the name "Deleted
user", the password unusable; the account is deactivated and ``deleted_dt`` set. Before that the
:data:`lms.signals.user_deleted` signal lets the LRS and every plugin erase or pseudonymise their
personal data; the user's UUID (the xAPI actor name) is then replaced by the same pseudonym, so the old
identifier (which external systems may have seen next to the name) no longer leads anywhere.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from lms import signals
from lms.account import sign_ins
from lms.account.errors import AccountError
from lms.db import db, new_uuid, utcnow
from lms.mail import queue_mail
from lms.models import DELETED_NAME, AuditEntry, DeletionRequest, SignInSession, User, audit

EXPORT_FORMAT = "minamata-lms-user-data/1"
MAX_REASON_LENGTH = 2000
UNUSABLE_PASSWORD = "!deleted"  # noqa: S105 - not a werkzeug hash: check_password_hash() is always False
_CORE_SECTIONS = ("format", "exported_dt", "account", "deletion_requests", "account_history")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- export ---------------------------------------------------------------------------------------


def export_user_data(user: User) -> dict:
    """Everything the platform holds about ``user``: the account, their deletion requests, the admin
    actions on their account, and one section per receiver of :data:`lms.signals.user_data_export`."""
    requests = db.session.scalars(
        select(DeletionRequest).where(DeletionRequest.user_id == user.id).order_by(DeletionRequest.id)
    ).all()
    history = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.target_type == "user", AuditEntry.target_id == user.uuid)
        .order_by(AuditEntry.id)
    ).all()
    data: dict = {
        "format": EXPORT_FORMAT,
        "exported_dt": _iso(utcnow()),
        "account": {
            "uuid": user.uuid,
            "email": user.email,
            "name": user.name,
            "country_code": user.country_code,
            "organisation": user.organisation,
            "locale": user.locale,
            "time_zone": user.time_zone,
            "is_reminders_off": user.is_reminders_off,
            "role": user.role,
            "is_focal_point": user.is_focal_point,
            "is_active": user.is_active,
            "confirmed_dt": _iso(user.confirmed_dt),
            "created_dt": _iso(user.created_dt),
            "last_login_dt": _iso(user.last_login_dt),
        },
        "deletion_requests": [
            {
                "status": r.status,
                "reason": r.reason,
                "requested_dt": _iso(r.requested_dt),
                "done_dt": _iso(r.done_dt),
            }
            for r in requests
        ],
        "account_history": [
            {"action": e.action, "details": e.details, "created_dt": _iso(e.created_dt)} for e in history
        ],
        "signed_in_sessions": [
            {
                "browser": r.browser,
                "system": r.system,
                "created_dt": _iso(r.created_dt),
                "last_seen_dt": _iso(r.last_seen_dt),
            }
            for r in db.session.scalars(
                select(SignInSession).where(SignInSession.user_id == user.id).order_by(SignInSession.id)
            )
        ],
    }
    for _receiver, result in signals.user_data_export.send(user):
        if not result:
            continue
        name, section = result
        key, n = str(name), 2
        while key in data:  # never let a plugin overwrite the core's sections or another plugin's
            key, n = f"{name}_{n}", n + 1
        data[key] = section
    return data


def _json_default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, set | tuple):
        return list(value)
    return str(value)


def export_json(data: dict) -> str:
    """The export as pretty-printed UTF-8 JSON (dates as ISO 8601)."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)


# --- deletion requests ----------------------------------------------------------------------------


def open_deletion_request(user: User) -> DeletionRequest | None:
    return db.session.scalar(
        select(DeletionRequest).where(DeletionRequest.user_id == user.id, DeletionRequest.status == "open")
    )


def rejected_deletion_request(user: User) -> DeletionRequest | None:
    """The user's latest deletion request when an administrator rejected it (none when they asked
    again, withdrew or have never asked since)."""
    latest = db.session.scalar(
        select(DeletionRequest)
        .where(DeletionRequest.user_id == user.id)
        .order_by(DeletionRequest.requested_dt.desc(), DeletionRequest.id.desc())
        .limit(1)
    )
    return latest if latest is not None and latest.status == "rejected" else None


def request_deletion(user: User, reason: str = "") -> DeletionRequest:
    """Record the user's request to delete their account and tell the administrators. Flushes."""
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON_LENGTH:
        raise AccountError(
            _("The reason must have at most %(num)d characters.", num=MAX_REASON_LENGTH), field="reason"
        )
    if user.deleted_dt is not None:
        raise AccountError(_("This account is already deleted."))
    if open_deletion_request(user) is not None:
        raise AccountError(
            _("You have already asked for your account to be deleted; an administrator will handle it.")
        )
    req = DeletionRequest(user_id=user.id, reason=reason, status="open")
    db.session.add(req)
    db.session.flush()
    audit(user, "user.deletion_requested", "user", user.uuid)
    admins = db.session.scalars(
        select(User).where(User.role == "admin", User.is_active_account.is_(True), User.deleted_dt.is_(None))
    ).all()
    for admin in admins:
        with force_locale(admin.locale or "en"):
            subject = _("A user asked for their account to be deleted")
            body = _(
                "A deletion request is waiting in the administration of %(site)s:\n%(link)s",
                site=current_app.config["SITE_NAME"],
                link=_admin_requests_link(),
            )
        queue_mail(admin.email, subject, body)
    db.session.flush()
    return req


def _admin_requests_link() -> str:
    from lms.account.mails import external_url

    return external_url("admin.deletion_requests")


def _check_open(req: DeletionRequest, admin: User) -> User:
    if req.status != "open":
        raise AccountError(_("This request has already been handled."))
    user = req.user
    if user is None:
        raise AccountError(_("The account of this request no longer exists."))
    if user.id == admin.id:
        raise AccountError(_("You cannot handle your own deletion request; ask another administrator."))
    return user


def withdraw_deletion(user: User) -> DeletionRequest:
    """The user takes back their open deletion request before an administrator handles it: the account
    stays as it is. Raises ``AccountError`` when there is no open request. Flushes."""
    req = open_deletion_request(user)
    if req is None:
        raise AccountError(_("You have no open deletion request (an administrator may have handled it)."))
    req.status = "withdrawn"
    req.done_dt = utcnow()
    req.done_by_id = user.id
    audit(user, "user.deletion_withdrawn", "user", user.uuid, request=req.id)
    db.session.flush()
    return req


def execute_deletion(req: DeletionRequest, admin: User) -> DeletionRequest:
    """Anonymise the account of an open request, let plugins pseudonymise their records, audit it.
    Flushes; the caller commits."""
    user = _check_open(req, admin)
    old_uuid = user.uuid
    pseudonym = new_uuid()
    signals.user_deleted.send(user, pseudonym=pseudonym)
    user.email = f"deleted-{new_uuid()}@invalid"
    user.name = DELETED_NAME
    user.password_hash = UNUSABLE_PASSWORD
    user.organisation = ""
    user.time_zone = None  # finer than the country kept (an island, a province)
    user.is_focal_point = False
    user.role = "learner"
    user.is_active_account = False
    sign_ins.end_all(user)
    user.confirmed_dt = None
    user.last_login_dt = None
    user.deleted_dt = utcnow()
    user.uuid = pseudonym
    req.status = "done"
    req.done_dt = utcnow()
    req.done_by_id = admin.id
    req.pseudonym = pseudonym
    # Earlier audit entries about this account point to the pseudonym from now on.
    for entry in db.session.scalars(
        select(AuditEntry).where(AuditEntry.target_type == "user", AuditEntry.target_id == old_uuid)
    ):
        entry.target_id = pseudonym
    audit(admin, "user.deleted", "user", pseudonym, request=req.id)
    db.session.flush()
    return req


def reject_deletion(req: DeletionRequest, admin: User, note: str = "") -> DeletionRequest:
    """Close an open request without deleting (e.g. a duplicate, or a legal obligation to keep the
    account); the note is kept with the request (the user reads it on their data page) and audited.
    Flushes."""
    user = _check_open(req, admin)
    note = (note or "").strip()
    if not note:
        raise AccountError(_("Give the reason for rejecting the request."), field="note")
    if len(note) > MAX_REASON_LENGTH:
        raise AccountError(
            _("The reason must have at most %(num)d characters.", num=MAX_REASON_LENGTH), field="note"
        )
    req.status = "rejected"
    req.decision_note = note
    req.done_dt = utcnow()
    req.done_by_id = admin.id
    audit(admin, "user.deletion_rejected", "user", user.uuid, request=req.id, note=note)
    db.session.flush()
    return req
