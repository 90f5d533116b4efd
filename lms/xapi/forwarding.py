"""Forwarding statements to external LRSs (Learning Locker, Ralph, SQL LRS ...) through an outbox.

- :class:`ForwardEndpoint`: an external LRS (endpoint URL, Basic credentials, xAPI version) with a filter
  (every statement, a list of verbs, or a list of object activity types). Endpoints are managed on
  ``/admin/lrs/`` or declared in the ``LMS_XAPI_FORWARD`` setting (a JSON list of ``{name, endpoint,
  username, password, verbs, activity_types, version}``), synced into the table at start-up, before each
  forwarding run, and by ``minamata-lms xapi sync-endpoints``.
- :class:`ForwardItem`: one statement to deliver to one endpoint, written by :func:`enqueue_statements`
  in the same transaction as the statement (so a rollback queues nothing and a commit loses nothing).
  Unique per (endpoint, statement).
- Delivery is the scheduled job in :mod:`lms.xapi.tasks` (PUT with the statement id, so a retry never
  duplicates; exponential back-off; dead-letter after ``XAPI_FORWARD_MAX_ATTEMPTS``).

The password of an endpoint is needed to send, so it is stored as given (not hashed): protect the
database accordingly, or prefer credentials the external LRS limits to ``statements/write``.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, func, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import db, new_uuid, utcnow
from lms.xapi.verbs import activity_type_iri, verb_iri

log = logging.getLogger(__name__)

FILTER_KINDS = ("all", "verbs", "activity_types")
VERSIONS = ("1.0.3", "1.0.2", "1.0.1", "1.0.0")
CONFIG_KEYS = {"name", "endpoint", "username", "password", "verbs", "activity_types", "version"}


class ForwardError(ValueError):
    """Refused endpoint settings; the message is user-readable (translated), ``field`` names the setting it
    is about (``name``, ``endpoint``, ``version``, ``filter_kind``, ``filter_values``) so that a form can show
    it there."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class ForwardEndpoint(db.Model):
    __tablename__ = "xapi_forward_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    endpoint: Mapped[str] = mapped_column(String(1000))
    """Base URL of the external LRS's xAPI endpoint, ending with ``/`` (``statements`` is appended)."""
    username: Mapped[str] = mapped_column(String(255), default="")
    password: Mapped[str] = mapped_column(String(255), default="")
    """Stored as given: it must be sent to the external LRS."""
    version: Mapped[str] = mapped_column(String(10), default="1.0.3")
    filter_kind: Mapped[str] = mapped_column(String(20), default="all")
    filter_values: Mapped[list] = mapped_column(default=list)
    """Verb IRIs or activity type IRIs, per ``filter_kind``."""
    is_active: Mapped[bool] = mapped_column(default=True)
    source: Mapped[str] = mapped_column(String(10), default="admin")  # admin | config
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    last_success_dt: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_dt: Mapped[datetime | None]

    def matches(self, statement: dict) -> bool:
        if self.filter_kind == "verbs":
            return (statement.get("verb") or {}).get("id") in (self.filter_values or [])
        if self.filter_kind == "activity_types":
            obj = statement.get("object") or {}
            return (obj.get("definition") or {}).get("type") in (self.filter_values or []) and obj.get(
                "objectType", "Activity"
            ) == "Activity"
        return True


class ForwardItem(db.Model):
    __tablename__ = "xapi_forward_item"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "statement_id"),
        Index("ix_xapi_forward_item_due", "status", "next_attempt_dt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("xapi_forward_endpoint.id", ondelete="CASCADE"), index=True
    )
    statement_id: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | sent | dead
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_dt: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    claim_token: Mapped[str | None] = mapped_column(String(36), index=True)
    """Set by the delivery run that holds the item (see :func:`lms.xapi.tasks.claim_batch`)."""
    claimed_dt: Mapped[datetime | None]
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    sent_dt: Mapped[datetime | None]

    endpoint: Mapped[ForwardEndpoint] = relationship()


# --- enqueueing (same transaction as the statement) -----------------------------------------------------


_ENDPOINTS_KEY = "lrs_forward_endpoints"


def _active_endpoints() -> list[ForwardEndpoint]:
    """The active endpoints, read once per transaction (a batch of 100 statements costs one query)."""
    transaction = db.session().get_transaction()
    cached = db.session.info.get(_ENDPOINTS_KEY)
    if cached is not None and cached[0] is transaction:
        return cached[1]
    with db.session.no_autoflush:
        endpoints = db.session.scalars(
            select(ForwardEndpoint).where(ForwardEndpoint.is_active.is_(True))
        ).all()
    db.session.info[_ENDPOINTS_KEY] = (transaction, endpoints)
    return endpoints


def enqueue_statements(statements: list[dict]) -> None:
    """Queue newly stored statements for every active endpoint whose filter matches: one multi-row
    INSERT for the batch, in the caller's transaction (called by :func:`lms.xapi.store.store_statements`,
    so a rollback queues nothing and a commit loses nothing)."""
    endpoints = _active_endpoints()
    if not endpoints:
        return
    now = utcnow()
    rows = [
        {
            "endpoint_id": endpoint.id,
            "statement_id": s["id"],
            "status": "pending",
            "attempts": 0,
            "next_attempt_dt": now,
            "created_dt": now,
        }
        for s in statements
        for endpoint in endpoints
        if endpoint.matches(s)
    ]
    if rows:
        db.session.execute(insert(ForwardItem.__table__), rows)


# --- endpoint settings -----------------------------------------------------------------------------------


def normalise_endpoint_url(url: str) -> str:
    """``url`` with a closing slash. An https:// address, or http:// on this machine only (or on a
    private network, when ``XAPI_FORWARD_ALLOW_HTTP`` says so): the credentials (HTTP Basic) and the
    learners' records would otherwise cross the network readable."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ForwardError(
            _(
                "The endpoint must be an https:// address without query or fragment, "
                "e.g. https://lrs.example.org/xapi/"
            ),
            field="endpoint",
        )
    allowed = current_app.config.get("XAPI_FORWARD_ALLOW_HTTP") or _is_loopback(parts.hostname or "")
    if parts.scheme == "http" and not allowed:
        raise ForwardError(
            _(
                "Give a secure (https://) address: over http:// the password and the learning records "
                "would travel unencrypted. Only an LRS on this machine (localhost) may use http://."
            ),
            field="endpoint",
        )
    return url if url.endswith("/") else url + "/"


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalise_filter(kind: str, values) -> list[str]:
    if kind not in FILTER_KINDS:
        raise ForwardError(_("Unknown filter %(kind)s.", kind=kind), field="filter_kind")
    if isinstance(values, str):
        values = [v for v in (p.strip() for p in values.replace(",", "\n").splitlines()) if v]
    values = list(values or [])
    if kind == "all":
        return []
    if not values:
        raise ForwardError(
            _("List at least one verb or activity type for this filter."), field="filter_values"
        )
    resolve = verb_iri if kind == "verbs" else activity_type_iri
    out = []
    for value in values:
        try:
            iri = resolve(str(value).strip())
        except KeyError as exc:
            raise ForwardError(
                _("%(value)s is neither a known key nor an IRI.", value=value), field="filter_values"
            ) from exc
        if iri not in out:
            out.append(iri)
    return out


def save_endpoint(
    endpoint: ForwardEndpoint | None,
    *,
    name: str,
    url: str,
    username: str = "",
    password: str | None = None,
    version: str = "1.0.3",
    filter_kind: str = "all",
    filter_values=(),
    is_active: bool = True,
    source: str = "admin",
) -> ForwardEndpoint:
    """Create (``endpoint=None``) or update an endpoint. ``password=None`` keeps the stored one.
    Raises :class:`ForwardError`; flushes."""
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ForwardError(_("Give the endpoint a name (200 characters at most)."), field="name")
    if version not in VERSIONS:
        raise ForwardError(_("Unsupported xAPI version %(version)s.", version=version), field="version")
    url = normalise_endpoint_url(url)
    values = normalise_filter(filter_kind, filter_values)
    other = db.session.scalar(select(ForwardEndpoint).where(ForwardEndpoint.name == name))
    if other is not None and other is not endpoint:
        raise ForwardError(_("Another endpoint is already named %(name)s.", name=name), field="name")
    if endpoint is None:
        endpoint = ForwardEndpoint(name=name, password="")
        db.session.add(endpoint)
    endpoint.name = name
    endpoint.endpoint = url
    endpoint.username = (username or "").strip()
    if password is not None:
        endpoint.password = password
    endpoint.version = version
    endpoint.filter_kind = filter_kind
    endpoint.filter_values = values
    endpoint.is_active = bool(is_active)
    endpoint.source = source
    db.session.flush()
    db.session.info.pop(_ENDPOINTS_KEY, None)
    return endpoint


def config_endpoints(raw) -> list[dict]:
    """Parse the ``XAPI_FORWARD`` setting (a JSON text or a list) into endpoint dicts; ForwardError
    names the faulty entry."""
    if not raw:
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise ForwardError(f"LMS_XAPI_FORWARD is not valid JSON: {exc}") from exc
    if not isinstance(raw, list | tuple):
        raise ForwardError("LMS_XAPI_FORWARD must be a JSON list of endpoints")
    out = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("endpoint"):
            raise ForwardError(f"LMS_XAPI_FORWARD[{i}] needs at least a name and an endpoint")
        unknown = set(entry) - CONFIG_KEYS
        if unknown:
            raise ForwardError(f"LMS_XAPI_FORWARD[{i}] has unknown keys: {', '.join(sorted(unknown))}")
        if entry.get("verbs") and entry.get("activity_types"):
            raise ForwardError(f"LMS_XAPI_FORWARD[{i}]: filter by verbs or by activity_types, not both")
        out.append(entry)
    return out


def sync_endpoints_from_config(raw) -> list[str]:
    """Upsert the endpoints declared in the settings (by name) and deactivate config endpoints no longer
    declared. Flushes; returns a line per change. Raises ForwardError on a bad setting."""
    entries = config_endpoints(raw)
    lines = []
    declared = set()
    for entry in entries:
        kind = "verbs" if entry.get("verbs") else "activity_types" if entry.get("activity_types") else "all"
        existing = db.session.scalar(select(ForwardEndpoint).where(ForwardEndpoint.name == entry["name"]))
        try:
            save_endpoint(
                existing,
                name=entry["name"],
                url=entry["endpoint"],
                username=entry.get("username") or "",
                password=entry.get("password") or "",
                version=entry.get("version") or "1.0.3",
                filter_kind=kind,
                filter_values=entry.get(kind) or [],
                is_active=True,
                source="config",
            )
        except ForwardError as exc:
            raise ForwardError(f"LMS_XAPI_FORWARD entry {entry['name']!r}: {exc}") from exc
        declared.add(entry["name"])
        lines.append(f"{'updated' if existing else 'created'} {entry['name']}")
    for stale in db.session.scalars(
        select(ForwardEndpoint).where(ForwardEndpoint.source == "config", ForwardEndpoint.is_active.is_(True))
    ):
        if stale.name not in declared:
            stale.is_active = False
            lines.append(f"deactivated {stale.name} (no longer in LMS_XAPI_FORWARD)")
    db.session.flush()
    return lines


def sync_at_startup(app) -> None:
    """Best effort at start-up: the schema may not exist yet (before ``init-db``)."""
    raw = app.config.get("XAPI_FORWARD")
    if not raw:
        return
    with app.app_context():
        try:
            sync_endpoints_from_config(raw)
            db.session.commit()
        except ForwardError as exc:
            db.session.rollback()
            log.error("xAPI forwarding settings ignored: %s", exc)
        except (OperationalError, ProgrammingError, IntegrityError):
            db.session.rollback()
            log.warning("xAPI forwarding endpoints not synced at start-up (database not ready)")
        finally:
            db.session.remove()


# --- queue administration --------------------------------------------------------------------------------


def queue_stats() -> dict[int, dict[str, int]]:
    """``{endpoint_id: {"pending": n, "sent": n, "dead": n}}``."""
    stats: dict[int, dict[str, int]] = {}
    rows = db.session.execute(
        select(ForwardItem.endpoint_id, ForwardItem.status, func.count()).group_by(
            ForwardItem.endpoint_id, ForwardItem.status
        )
    )
    for endpoint_id, status, count in rows:
        stats.setdefault(endpoint_id, {"pending": 0, "sent": 0, "dead": 0})[status] = count
    return stats


def retry_dead(endpoint: ForwardEndpoint | None = None, item: ForwardItem | None = None) -> int:
    """Put dead items (one, one endpoint's, or all) back in the queue, due now. Flushes."""
    stmt = update(ForwardItem).where(ForwardItem.status == "dead")
    if item is not None:
        stmt = stmt.where(ForwardItem.id == item.id)
    if endpoint is not None:
        stmt = stmt.where(ForwardItem.endpoint_id == endpoint.id)
    result = db.session.execute(
        stmt.values(
            status="pending", attempts=0, next_attempt_dt=utcnow(), claim_token=None, claimed_dt=None
        ),
        execution_options={"synchronize_session": "fetch"},
    )
    db.session.flush()
    return result.rowcount or 0
