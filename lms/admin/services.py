"""Administration services: finding users, changing roles, (de)activating accounts, the deletion
request queue and the country overview. Every change is audited; services flush, views commit."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select

from lms.account import sign_ins
from lms.account.creation import check_role
from lms.account.errors import AccountError
from lms.account.mails import external_url
from lms.account.privacy import reject_deletion
from lms.account.services import check_country
from lms.db import db
from lms.i18n import collation_key, sort_key
from lms.mail import queue_mail
from lms.models import AuditEntry, Country, DeletionRequest, User, audit

USER_STATUSES = ("active", "unconfirmed", "deactivated", "deleted")
PER_PAGE = 25


def user_query(country_code: str = "", role: str = "", status: str = ""):
    """A ``select(User)`` filtered by country, role and status, in name order."""
    stmt = select(User)
    if country_code:
        stmt = stmt.where(User.country_code == country_code)
    if role:
        stmt = stmt.where(User.role == role)
    if status == "deleted":
        stmt = stmt.where(User.deleted_dt.is_not(None))
    else:
        stmt = stmt.where(User.deleted_dt.is_(None))
        if status == "active":
            stmt = stmt.where(User.is_active_account.is_(True), User.confirmed_dt.is_not(None))
        elif status == "unconfirmed":
            stmt = stmt.where(User.is_active_account.is_(True), User.confirmed_dt.is_(None))
        elif status == "deactivated":
            stmt = stmt.where(User.is_active_account.is_(False))
    return stmt.order_by(func.lower(User.name), User.id)


class _MatchedUsers(Pagination):
    """One page of the users whose ids are given (in display order)."""

    def _query_items(self) -> list[User]:
        ids = self._query_args["ids"][(self.page - 1) * self.per_page : self.page * self.per_page]
        users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
        return [users[i] for i in ids]

    def _query_count(self) -> int:
        return len(self._query_args["ids"])


def search_users(q="", country_code="", role="", status="", page=1, per_page=PER_PAGE):
    """One page (a Flask-SQLAlchemy ``Pagination``) of :func:`user_query` whose name or e-mail contains
    every word of ``q``, ignoring case and accents in any script ("ivan" or "Иван" finds "Иван Петров",
    "chloe" finds "Chloé"), in the reader's alphabetical order ("Émile" among the E's): the database's
    own ``lower()`` only folds ASCII on SQLite. A page past the end is empty."""
    words = collation_key(q or "").split()
    rows = db.session.execute(
        user_query(country_code, role, status).with_only_columns(User.id, User.name, User.email)
    ).all()
    matched = [
        row
        for row in rows
        if all(word in collation_key(f"{row.name or ''} {row.email or ''}") for word in words)
    ]
    matched.sort(key=lambda row: (sort_key(row.name or ""), row.id))
    return _MatchedUsers(page=page, per_page=per_page, error_out=False, ids=[row.id for row in matched])


def change_role(admin: User, user: User, role: str) -> User:
    check_role(role)
    if user.deleted_dt is not None:
        raise AccountError(_("This account is deleted."))
    if user.id == admin.id:
        raise AccountError(_("You cannot change your own role; ask another administrator."), field="role")
    if user.role != role:
        audit(admin, "user.role", "user", user.uuid, old=user.role, new=role)
        user.role = role
        db.session.flush()
    return user


def change_country(admin: User, user: User, country_code: str) -> User:
    """Move a person to another country; audited. The only way a country coordinator changes country
    (their profile refuses it: the country is what they coordinate). Flushes."""
    if user.deleted_dt is not None:
        raise AccountError(_("This account is deleted."))
    country_code = check_country(country_code)
    if user.country_code != country_code:
        audit(admin, "user.country", "user", user.uuid, old=user.country_code, new=country_code)
        user.country_code = country_code
        db.session.flush()
    return user


def set_active(admin: User, user: User, active: bool) -> User:
    if user.deleted_dt is not None:
        raise AccountError(_("This account is deleted."))
    if user.id == admin.id and not active:
        raise AccountError(_("You cannot deactivate your own account."))
    if user.is_active_account != active:
        user.is_active_account = active
        if not active:
            sign_ins.end_all(user)
        audit(admin, "user.reactivate" if active else "user.deactivate", "user", user.uuid)
        db.session.flush()
    return user


def audit_trail(target_type: str, target_id: str, limit: int = 500) -> list[AuditEntry]:
    """The audit entries of one target (``"user"`` and a user's uuid, ``"course"`` and a module's ...),
    newest first."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.target_type == target_type, AuditEntry.target_id == str(target_id))
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
    )


def user_history(user: User, limit: int = 50) -> list[AuditEntry]:
    return audit_trail("user", user.uuid, limit)


def open_deletion_requests() -> list[DeletionRequest]:
    return list(
        db.session.scalars(
            select(DeletionRequest)
            .where(DeletionRequest.status == "open")
            .order_by(DeletionRequest.requested_dt)
        )
    )


def handled_deletion_requests(limit: int = 50) -> list[DeletionRequest]:
    return list(
        db.session.scalars(
            select(DeletionRequest)
            .where(DeletionRequest.status != "open")
            .order_by(DeletionRequest.done_dt.desc(), DeletionRequest.id.desc())
            .limit(limit)
        )
    )


def reject_deletion_request(req: DeletionRequest, admin: User, note: str) -> DeletionRequest:
    """Close an open deletion request without deleting and tell its author why, by e-mail in their
    language: otherwise their data page silently offers the request again and they never learn the
    reason. Flushes."""
    reject_deletion(req, admin, note)
    user = req.user
    with force_locale(user.locale or "en"):
        subject = _("Your account was not deleted")
        body = _(
            "Hello %(name)s,\n\nAn administrator of %(site)s did not delete your account, for this "
            "reason:\n\n%(note)s\n\nYou can ask again from the page about your data: %(link)s",
            name=user.name,
            site=current_app.config["SITE_NAME"],
            note=(note or "").strip(),
            link=external_url("account.privacy"),
        )
    queue_mail(user.email, subject, body)
    return req


def open_request_for(user_uuid: str) -> DeletionRequest | None:
    """The open deletion request of the user with that UUID (a user has at most one open request)."""
    return db.session.scalar(
        select(DeletionRequest)
        .join(User, DeletionRequest.user_id == User.id)
        .where(User.uuid == user_uuid, DeletionRequest.status == "open")
    )


def country_overview() -> list[tuple[Country, int]]:
    """Every country with its number of (not deleted) users."""
    counts = dict(
        db.session.execute(
            select(User.country_code, func.count(User.id))
            .where(User.deleted_dt.is_(None), User.country_code.is_not(None))
            .group_by(User.country_code)
        ).all()
    )
    return [(c, counts.get(c.code, 0)) for c in db.session.scalars(select(Country))]
