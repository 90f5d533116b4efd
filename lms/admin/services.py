"""Administration services: finding users, inviting them, changing roles, (de)activating accounts, the
deletion request queue and the country overview. Every change is audited; services flush, views commit.
No change gives a country a second active coordinator (:mod:`lms.admin.coordinators`)."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.account import creation, sign_ins
from lms.account.creation import check_role
from lms.account.csv_rows import ImportRefused, read_rows, rows_refused
from lms.account.errors import AccountError
from lms.account.mails import external_url
from lms.account.privacy import reject_deletion
from lms.account.services import check_country
from lms.admin import coordinators
from lms.countries import country_name
from lms.db import db, savepoint
from lms.i18n import collation_key, isolate, sort_key
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
        coordinators.check(user, role=role, country_code=user.country_code, active=user.is_active_account)
        with coordinators.guarded(user, user.country_code):
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
        coordinators.check(user, role=user.role, country_code=country_code, active=user.is_active_account)
        with coordinators.guarded(user, country_code):
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
        coordinators.check(user, role=user.role, country_code=user.country_code, active=active)
        with coordinators.guarded(user, user.country_code):
            user.is_active_account = active
            if not active:
                sign_ins.end_all(user)
            audit(admin, "user.reactivate" if active else "user.deactivate", "user", user.uuid)
            db.session.flush()
    return user


def invite_user(
    admin: User, *, email: str, name: str, role: str, country_code: str = "", locale: str = "en"
) -> User:
    """:func:`lms.account.creation.invite_user`, refused (:class:`~lms.admin.coordinators.CoordinatorTaken`)
    when it would invite a second active coordinator of the country. Flushes."""
    code = (country_code or "").strip().upper()
    coordinators.check(None, role=role, country_code=code, active=True)
    with coordinators.guarded(None, code if role == coordinators.ROLE else None):
        return creation.invite_user(
            admin, email=email, name=name, role=role, country_code=country_code, locale=locale
        )


def _coordinator_rows(data: bytes) -> list[tuple[int, str]]:
    """The rows of an invitation list that would give a country a second active coordinator: one the
    country has already, or an earlier row of the file. A file the reader refuses has none here (the
    invitation itself names its problems)."""
    try:
        rows = read_rows(data, creation.INVITE_COLUMNS, {"email", "name"})
    except ImportRefused:
        return []
    errors, first_line = [], {}
    for line, row in rows:
        role = (row.get("role") or "").strip().lower()
        code = (row.get("country") or "").strip().upper()
        if role != coordinators.ROLE or not code or db.session.get(Country, code) is None:
            continue
        other = coordinators.active_coordinator(code)
        if other is not None:
            errors.append(
                (
                    line,
                    _(
                        "%(country)s already has an active country coordinator, %(name)s (%(email)s)",
                        country=country_name(code),
                        name=isolate(other.name),
                        email=isolate(other.email),
                    ),
                )
            )
        elif code in first_line:
            errors.append(
                (
                    line,
                    _(
                        "line %(line)s already invites the coordinator of %(country)s; a country has "
                        "only one",
                        line=first_line[code],
                        country=country_name(code),
                    ),
                )
            )
        else:
            first_line[code] = line
    return errors


def invite_from_csv(admin: User, data: bytes, *, default_locale: str) -> list[User]:
    """:func:`lms.account.creation.invite_from_csv`, the whole file refused (:class:`ImportRefused`, every
    bad row with its line) when it would also give a country a second active coordinator. Flushes."""
    conflicts = _coordinator_rows(data)
    try:
        with savepoint():
            invited = creation.invite_from_csv(admin, data, default_locale=default_locale)
    except ImportRefused as exc:
        if not conflicts:
            raise
        raise rows_refused(exc.errors + conflicts) from None
    except IntegrityError:
        # The database refused a second coordinator: one of the file's, or one another administrator
        # invited or appointed since the file was read.
        conflicts = conflicts or _coordinator_rows(data)
        if not conflicts:
            raise
        raise rows_refused(conflicts) from None
    if conflicts:  # a database without the rule's index
        raise rows_refused(conflicts)
    return invited


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
