"""Core models: people, countries, signed-in sessions, the mail outbox, deletion requests, the audit
trail."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask import current_app, has_app_context
from flask_babel import gettext
from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from lms.db import db, new_uuid, utcnow

ROLES = ("learner", "trainer", "coordinator", "admin")
UN_REGIONS = ("africa", "asia_pacific", "ceeg", "grulac", "weog")
# The name an erased account keeps in the database; pages show ``User.display_name`` instead.
DELETED_NAME = "Deleted user"


def password_hash_method() -> str:
    """scrypt with werkzeug's default cost; the test suite lowers the cost (``PASSWORD_HASH_METHOD``)
    so that thousands of test users do not take minutes to hash."""
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return "scrypt"


class Country(db.Model):
    """A State, by ISO 3166-1 alpha-2 code, with its UN regional group. Names come from Babel."""

    __tablename__ = "country"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    alpha3: Mapped[str] = mapped_column(String(3), unique=True)
    region: Mapped[str] = mapped_column(String(20), index=True)
    is_party: Mapped[bool] = mapped_column(default=True)


# Active country coordinators (role "coordinator", account not deactivated): one per country
# (lms.admin.coordinators refuses a second by name; this index holds the rule when two act at once).
# The same text is in the index's migration; booleans are 0/1 on SQLite.
ACTIVE_COORDINATOR_WHERE = "role = 'coordinator' AND is_active_account"


class User(UserMixin, db.Model):
    __tablename__ = "user"
    __table_args__ = (
        Index(
            "uq_user_active_coordinator_country",
            "country_code",
            unique=True,
            sqlite_where=text(ACTIVE_COORDINATOR_WHERE),
            postgresql_where=text(ACTIVE_COORDINATOR_WHERE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The pseudonym used as the xAPI actor (account name) and in exports; never the e-mail.
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("country.code"), index=True)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    locale: Mapped[str] = mapped_column(String(5), default="en")
    # The IANA zone chosen on the profile; None: the country's zone, or UTC (lms.timezones.user_zone).
    time_zone: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20), default="learner")
    is_focal_point: Mapped[bool] = mapped_column(default=False)
    # Turns off reminder e-mails of every plugin (stalled work, pending assessments); messages a
    # trainer or coordinator sends on purpose still arrive.
    is_reminders_off: Mapped[bool] = mapped_column(default=False)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    confirmed_dt: Mapped[datetime | None]
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_dt: Mapped[datetime | None]
    deleted_dt: Mapped[datetime | None]

    country: Mapped[Country | None] = relationship()

    @property
    def display_name(self) -> str:
        """The name pages, exports and messages show for this person: their name, or "Deleted user" in
        the reader's language once the account is erased (its stored name is then a fixed pseudonym)."""
        if self.deleted_dt is None:
            return self.name
        return gettext("Deleted user") if has_app_context() else DELETED_NAME

    # flask-login reads ``is_active``; deactivated and deleted accounts cannot sign in.
    @property
    def is_active(self) -> bool:
        return self.is_active_account and self.deleted_dt is None

    def get_id(self) -> str:
        return self.uuid

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=password_hash_method())

    def set_unusable_password(self) -> None:
        """A password nobody knows and no password matches (an invited or imported person chooses theirs
        from a mailed link). Not a hash: hashing a random secret would only cost time (scrypt, per
        account of a list). A new one changes the fingerprint, so earlier mailed links stop working."""
        self.password_hash = "!" + secrets.token_hex(32)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, role: str) -> bool:
        """Admins hold every role; trainers and coordinators hold their own and learner's."""
        if self.role == "admin":
            return True
        return role == "learner" or self.role == role

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_trainer(self) -> bool:
        return self.role in ("trainer", "admin")

    def coordinates(self, country_code: str | None) -> bool:
        return self.role == "coordinator" and country_code is not None and self.country_code == country_code


class SignInSession(db.Model):
    """One signed-in browser of an account. The session cookie carries ``key``; signing out deletes the
    row, so a copy of that cookie no longer opens the account (see :mod:`lms.account.sign_ins`)."""

    __tablename__ = "sign_in_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # What the browser said it was when signing in ("Firefox", "Windows"): enough for a person to
    # recognise their devices; no IP address is kept.
    browser: Mapped[str] = mapped_column(String(60), default="")
    system: Mapped[str] = mapped_column(String(60), default="")
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_dt: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class OutboxMessage(db.Model):
    """A side effect (an e-mail) written in the same transaction as the change that causes it and
    delivered later by the scheduler, so a crash loses nothing and a retry sends nothing twice."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_dt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    kind: Mapped[str] = mapped_column(String(30), default="mail")
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # [{"filename": ..., "content_type": ..., "data_b64": ...}]
    attachments: Mapped[list] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | sent | dead
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_dt: Mapped[datetime] = mapped_column(default=utcnow)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    sent_dt: Mapped[datetime | None]


class DeletionRequest(db.Model):
    __tablename__ = "deletion_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | done | rejected | withdrawn
    requested_dt: Mapped[datetime] = mapped_column(default=utcnow)
    done_dt: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The pseudonym the user's learning records carry after deletion.
    pseudonym: Mapped[str | None] = mapped_column(String(36))
    # Why an administrator rejected the request, shown to the user on their data page.
    decision_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])


class AuditEntry(db.Model):
    """Who changed what, for admin actions and content authoring in every plugin."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(60))
    target_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict] = mapped_column(default=dict)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship()


def audit(actor: User | None, action: str, target_type: str, target_id, **details) -> AuditEntry:
    """Add an audit entry to the session (the caller's transaction commits it)."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        details=details,
    )
    db.session.add(entry)
    return entry
