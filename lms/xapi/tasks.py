"""Scheduled jobs of the LRS: delivering queued statements to external LRSs, and deleting expired
launch credentials (:func:`delete_expired_launch_credentials`).

:func:`forward_due` claims a batch of due :class:`~lms.xapi.forwarding.ForwardItem` rows with one
``UPDATE ... WHERE status='pending' AND unclaimed`` (on PostgreSQL the candidate rows are picked with
``FOR UPDATE SKIP LOCKED``), commits the claim, then sends each statement with ``tincan.RemoteLRS``
``save_statement`` — a PUT carrying the statement id, so a retry after a lost answer stores nothing
twice. Two runs at once therefore never send the same item; a run that dies leaves its claim to expire
after ``XAPI_FORWARD_CLAIM_SECONDS`` and the item is sent by a later run.

A statement whose attachment data this LRS holds (attachments sent without ``fileUrl``, JWS
signatures) goes as ``multipart/mixed`` with those payloads, exactly as stored: the external LRS could
not accept it without them, and a signed statement must reach it unchanged.

Failures back off exponentially (30 s, 1 min, 2 min ... at most 6 h). Transient failures (connection
refused, time-out, 5xx, 401/403/408/429) are retried until ``XAPI_FORWARD_MAX_ATTEMPTS``; a statement
the external LRS refuses as invalid (other 4xx) is dead-lettered at once. A 409 means the external LRS
already holds a statement with that id (a previous attempt whose answer was lost): it counts as sent.
"""

from __future__ import annotations

import http.client
import json
import logging
from collections import defaultdict
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlparse

import tincan
from flask import current_app
from sqlalchemy import or_, select, update
from tincan.http_request import HTTPRequest

from lms.db import db, new_uuid, utcnow
from lms.scheduler import Job
from lms.xapi.attachments import build_multipart
from lms.xapi.forwarding import (
    ForwardEndpoint,
    ForwardError,
    ForwardItem,
    sync_at_startup,
    sync_endpoints_from_config,
)
from lms.xapi.presentation import attachment_payloads

log = logging.getLogger(__name__)

TRANSIENT_STATUSES = {401, 403, 408, 425, 429}
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 6 * 3600


class RemoteLRS(tincan.RemoteLRS):
    """``tincan.RemoteLRS`` with a network time-out (the library's connections have none, so one
    unresponsive server would block the scheduler)."""

    timeout: float = 20.0

    def _send_request(self, request):
        headers = {"X-Experience-API-Version": self.version}
        if self.auth is not None:
            headers["Authorization"] = self.auth
        headers.update(request.headers)
        params = urlencode({k: str(v).encode("utf-8") for k, v in request.query_params.items()})
        url = request.resource if request.resource.startswith("http") else self.endpoint + request.resource
        parsed = urlparse(url)
        cls = http.client.HTTPSConnection if parsed.scheme == "https" else http.client.HTTPConnection
        conn = cls(parsed.hostname, parsed.port, timeout=self.timeout)
        path = parsed.path or "/"
        query = "&".join(q for q in (parsed.query, params) if q)
        if query:
            path += "?" + query
        # A BinaryRequest's body is bytes (tincan's requests hold text only).
        body = request.body if isinstance(request, BinaryRequest) else getattr(request, "content", None)
        try:
            conn.request(request.method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        success = 200 <= response.status < 300 or (
            response.status == 404 and getattr(request, "ignore404", False)
        )
        return tincan.LRSResponse(success=success, request=request, response=response, data=data)


class BinaryRequest(HTTPRequest):
    """A ``tincan`` request whose body is bytes (a multipart body with binary attachment data), where
    ``HTTPRequest.content`` must be UTF-8 text."""

    _props = [*HTTPRequest._props, "body"]

    def __init__(self, *args, body: bytes = b"", **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1)))


def claim_batch(limit: int, now: datetime | None = None) -> str:
    """Claim up to ``limit`` due items for this run and commit; returns the claim token."""
    now = now or utcnow()
    token = new_uuid()
    stale = now - timedelta(seconds=int(current_app.config.get("XAPI_FORWARD_CLAIM_SECONDS", 600)))
    unclaimed = or_(ForwardItem.claim_token.is_(None), ForwardItem.claimed_dt < stale)
    due = (
        select(ForwardItem.id)
        .join(ForwardEndpoint, ForwardEndpoint.id == ForwardItem.endpoint_id)
        .where(
            ForwardItem.status == "pending",
            ForwardItem.next_attempt_dt <= now,
            unclaimed,
            ForwardEndpoint.is_active.is_(True),
        )
        .order_by(ForwardItem.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True, of=ForwardItem)
    db.session.commit()  # start the claim in a fresh transaction
    db.session.execute(
        update(ForwardItem)
        .where(ForwardItem.id.in_(due.scalar_subquery()), ForwardItem.status == "pending", unclaimed)
        .values(claim_token=token, claimed_dt=now),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
    return token


def _save(lrs: RemoteLRS, data: dict, payloads: dict[str, tuple[str, bytes]]) -> tincan.LRSResponse:
    """PUT one statement to ``lrs``. The external LRS sets its own "stored"; the rest travels exactly as
    stored here: the JSON itself, not rebuilt through ``tincan.Statement``, which refuses a Group as
    authority (an OAuth-style or launch credential) and rewrites what it carries (durations, empty
    extension values). With attachment ``payloads`` (``{sha2: (content_type, data)}``, those the
    statement refers to), a ``multipart/mixed`` request carrying them."""
    statement = {k: v for k, v in data.items() if k != "stored"}
    body = json.dumps(statement, ensure_ascii=False).encode("utf-8")
    content_type = "application/json"
    if payloads:
        body, content_type = build_multipart(body, payloads)
    request = BinaryRequest(method="PUT", resource="statements", body=body)
    request.query_params["statementId"] = statement["id"]
    request.headers["Content-Type"] = content_type
    return lrs._send_request(request)


def _payloads_of(data: dict, payloads: dict) -> dict[str, tuple[str, bytes]]:
    """The entries of ``payloads`` that the attachments of the statement ``data`` refer to."""
    wanted = {a["sha2"].lower() for a in data.get("attachments") or ()}
    return {sha2: payloads[sha2] for sha2 in sorted(wanted & payloads.keys())}


def _fail(item: ForwardItem, endpoint: ForwardEndpoint, error: str, *, permanent: bool, max_attempts: int):
    now = utcnow()
    item.attempts += 1
    item.last_error = error[:2000]
    item.next_attempt_dt = now + backoff(item.attempts)
    item.claim_token = None
    item.claimed_dt = None
    if permanent or item.attempts >= max_attempts:
        item.status = "dead"
    endpoint.last_error = error[:2000]
    endpoint.last_error_dt = now


def _sent(item: ForwardItem, endpoint: ForwardEndpoint, note: str | None = None):
    now = utcnow()
    item.status = "sent"
    item.sent_dt = now
    item.attempts += 1
    item.last_error = note
    item.claim_token = None
    item.claimed_dt = None
    endpoint.last_success_dt = now


def _send_endpoint(
    endpoint: ForwardEndpoint,
    items: list[ForwardItem],
    statements: dict,
    payloads: dict,
    counts: dict,
    max_attempts: int,
) -> None:
    lrs = RemoteLRS(
        endpoint=endpoint.endpoint,
        version=endpoint.version,
        username=endpoint.username or "",
        password=endpoint.password or "",
    )
    for index, item in enumerate(items):
        data = statements.get(item.statement_id)
        if data is None:
            _fail(
                item,
                endpoint,
                "the statement is no longer in the LRS",
                permanent=True,
                max_attempts=max_attempts,
            )
            counts["dead"] += 1
            db.session.commit()
            continue
        try:
            response = _save(lrs, data, _payloads_of(data, payloads))
        except (OSError, http.client.HTTPException) as exc:
            _fail(item, endpoint, f"{type(exc).__name__}: {exc}", permanent=False, max_attempts=max_attempts)
            counts["dead" if item.status == "dead" else "failed"] += 1
            # The server is unreachable: leave the rest of this endpoint's batch for a later run.
            for rest in items[index + 1 :]:
                rest.claim_token = None
                rest.claimed_dt = None
            db.session.commit()
            return
        except Exception as exc:
            # Anything else is this statement's own trouble (a fault in sending it): it is counted
            # against the item, which is retried later and dead-lettered in the end, instead of
            # failing the run and holding every claimed item until its claim goes stale.
            log.exception("could not forward statement %s to %s", item.statement_id, endpoint.endpoint)
            _fail(item, endpoint, f"{type(exc).__name__}: {exc}", permanent=False, max_attempts=max_attempts)
            counts["dead" if item.status == "dead" else "failed"] += 1
            db.session.commit()
            continue
        status = response.response.status
        if response.success:
            _sent(item, endpoint)
            counts["sent"] += 1
        elif status == 409:
            _sent(item, endpoint, "409: the external LRS already holds this statement")
            counts["sent"] += 1
        else:
            body = response.data or ""
            body = (body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body))[:500]
            permanent = 400 <= status < 500 and status not in TRANSIENT_STATUSES
            _fail(item, endpoint, f"HTTP {status}: {body}", permanent=permanent, max_attempts=max_attempts)
            counts["dead" if item.status == "dead" else "failed"] += 1
        db.session.commit()


def forward_due(limit: int | None = None, now: datetime | None = None) -> dict:
    """Deliver one batch of due items. Returns ``{"sent": n, "failed": n, "dead": n}``. Commits."""
    from lms.xapi.models import Statement

    app = current_app
    raw = app.config.get("XAPI_FORWARD")
    if raw:
        try:
            sync_endpoints_from_config(raw)
            db.session.commit()
        except ForwardError as exc:
            db.session.rollback()
            log.error("xAPI forwarding settings ignored: %s", exc)
    limit = limit or int(app.config.get("XAPI_FORWARD_BATCH", 50))
    max_attempts = int(app.config.get("XAPI_FORWARD_MAX_ATTEMPTS", 8))
    token = claim_batch(limit, now)
    items = db.session.scalars(
        select(ForwardItem).where(ForwardItem.claim_token == token).order_by(ForwardItem.id)
    ).all()
    counts = {"sent": 0, "failed": 0, "dead": 0}
    if not items:
        return counts
    ids = {i.statement_id for i in items}
    statements = dict(
        db.session.execute(
            select(Statement.statement_id, Statement.data).where(Statement.statement_id.in_(ids))
        ).all()
    )
    payloads = attachment_payloads(list(statements.values()))
    by_endpoint: dict[int, list[ForwardItem]] = defaultdict(list)
    for item in items:
        by_endpoint[item.endpoint_id].append(item)
    for endpoint_id, group in by_endpoint.items():
        endpoint = db.session.get(ForwardEndpoint, endpoint_id)
        _send_endpoint(endpoint, group, statements, payloads, counts, max_attempts)
    return counts


def forward_all(max_batches: int = 1000, now: datetime | None = None) -> dict:
    """Run :func:`forward_due` until nothing due is left (``xapi forward-now``)."""
    total = {"sent": 0, "failed": 0, "dead": 0}
    for _ in range(max_batches):
        counts = forward_due(now=now)
        for key, value in counts.items():
            total[key] += value
        if not counts["sent"]:  # nothing due, or the external LRSs are failing: stop for now
            break
    return total


def delete_expired_launch_credentials(now: datetime | None = None) -> int:
    """Delete the expired launch credentials: LRS clients bound to a learner (courses' xAPI/cmi5
    launches, the webinar player's credentials, anything made with ``create_client(user=...)``) whose
    ``expires_dt`` has passed. Clients not bound to a learner (created by an administrator for an
    application) are never deleted, expired or not. The statements and documents the credentials wrote
    stay: nothing refers to the client row. Returns how many were deleted. Commits."""
    from sqlalchemy import delete

    from lms.xapi.auth import LRSClient

    result = db.session.execute(
        delete(LRSClient).where(
            LRSClient.user_id.is_not(None),
            LRSClient.expires_dt.is_not(None),
            LRSClient.expires_dt <= (now or utcnow()),
        )
    )
    db.session.commit()
    return result.rowcount or 0


JOBS = [
    Job("lms.xapi.forward", forward_due, "interval", {"seconds": 30}),
    Job("lms.xapi.expired_launch_credentials", delete_expired_launch_credentials, "interval", {"hours": 1}),
]


def init_app(app) -> None:
    """Register the LRS's jobs (:data:`JOBS`) with the scheduler and sync the configured forwarding
    endpoints."""
    jobs = app.extensions.setdefault("lms_extra_jobs", [])
    jobs.extend(j for j in JOBS if j not in jobs)
    if not app.testing:
        sync_at_startup(app)
