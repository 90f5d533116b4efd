"""Document resources of the built-in LRS: State, Activity Profile and Agent Profile (xAPI 1.0.3,
Communication 2.2, 2.3, 2.6, 2.7) with their concurrency rules (Communication 3.1).

- PUT stores (replaces) a document of any content type; POST merges the top-level properties of a JSON
  object into an existing JSON object document (both JSON, else 400), or stores it as a PUT would when
  there is none.
- GET returns one document (its content type, a quoted SHA-1 ``ETag``, ``Last-Modified``) or, without
  the id parameter, the array of ids (``since`` = stored or updated strictly after; with the id it is
  checked, then ignored); DELETE removes one document, or for State without ``stateId`` every document
  of the activity + agent (+ registration).
- ``If-Match`` / ``If-None-Match`` are honoured on PUT, POST and DELETE (412 when they fail); a PUT to
  an existing Activity or Agent Profile document sent with neither header gets 409.
- A POST needs content (400 without: there is nothing to store or merge); a DELETE takes none (400
  with a body: the request does not have the structure the specification gives it, 3.2.s3.b6).
- Scopes: ``state`` (State) or ``profile`` (profiles) or ``all``; ``all/read`` may GET. What launch
  credentials bound to a learner may touch (their learner's documents, never a change to cmi5's
  ``LMS.LaunchData``) is in :mod:`lms.xapi.document_access`.

Views are thin: the service functions below flush and never commit; the view commits once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from flask import Response, current_app, request
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from werkzeug.http import http_date

from lms.db import db, utcnow
from lms.xapi.auth import require_scope
from lms.xapi.document_access import check_binding
from lms.xapi.document_conditions import check_preconditions
from lms.xapi.errors import XAPIError
from lms.xapi.models import Document
from lms.xapi.resource_params import (
    agent_param,
    check_params,
    iri_param,
    optional_timestamp,
    registration_param,
    request_body,
    request_header,
    string_param,
)
from lms.xapi.views import bp

DEFAULT_MAX_DOCUMENT_BYTES = 16 * 1024 * 1024

# resource -> (kind, id parameter, required context parameters, optional context parameters)
RESOURCES = {
    "state": ("state", "stateId", ("activityId", "agent"), ("registration",)),
    "activity_profile": ("activity_profile", "profileId", ("activityId",), ()),
    "agent_profile": ("agent_profile", "profileId", ("agent",), ()),
}


@dataclass
class DocRef:
    """The identity of one document, or of a set of documents when ``doc_id`` is None."""

    kind: str
    activity_id: str | None
    agent: dict | None
    agent_key: str | None
    registration: str | None
    doc_id: str | None

    def key_hash(self) -> str:
        parts = [
            self.kind,
            self.activity_id or "",
            self.agent_key or "",
            self.registration or "",
            self.doc_id,
        ]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()

    def filters(self, since: datetime | None = None) -> list:
        """WHERE conditions selecting every document of this context (the id is left out: a State
        GET of ids or a DELETE without ``stateId`` takes them all), updated after ``since`` if given."""
        conds = [Document.kind == self.kind]
        if self.activity_id is not None:
            conds.append(Document.activity_id == self.activity_id)
        if self.agent_key is not None:
            conds.append(Document.agent_key == self.agent_key)
        if self.registration is not None:
            conds.append(Document.registration == self.registration)
        if since is not None:
            conds.append(Document.updated_dt > since)
        return conds


def sha1_hex(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()  # noqa: S324 - the ETag the xAPI spec prescribes


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _json_object(content: bytes, what: str) -> dict:
    try:
        value = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise XAPIError(400, f"The {what} is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise XAPIError(400, f"The {what} must be a JSON object to be merged by POST.")
    return value


# --- service (flushes, never commits) -----------------------------------------------------------------


def find_document(ref: DocRef) -> Document | None:
    return db.session.scalar(select(Document).where(Document.key_hash == ref.key_hash()))


def list_documents(ref: DocRef, since: datetime | None = None) -> list[tuple[str, datetime]]:
    """``(id, updated)`` of the documents of a context (State without registration: every registration)."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(Document.doc_id, Document.updated_dt).where(*ref.filters(since)).order_by(Document.id)
        )
    ]


def _write(ref: DocRef, doc: Document | None, content: bytes, content_type: str) -> Document:
    now = utcnow()
    if doc is None:
        doc = Document(
            kind=ref.kind,
            doc_id=ref.doc_id,
            activity_id=ref.activity_id,
            agent_key=ref.agent_key,
            agent=ref.agent,
            registration=ref.registration,
            key_hash=ref.key_hash(),
        )
        db.session.add(doc)
    doc.content = content
    doc.content_type = content_type
    doc.etag = sha1_hex(content)
    doc.updated_dt = now
    db.session.flush()
    return doc


def put_document(ref: DocRef, content: bytes, content_type: str | None, **conditions) -> Document:
    """Store (replace) a document. JSON content types must carry valid JSON."""
    doc = find_document(ref)
    check_preconditions(doc, method="PUT", kind=ref.kind, **conditions)
    return _store(ref, doc, content, content_type)


def _store(ref: DocRef, doc: Document | None, content: bytes, content_type: str | None) -> Document:
    content_type = content_type or "application/octet-stream"
    if media_type(content_type) == "application/json":
        try:
            json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise XAPIError(
                400, f"The document is declared application/json but is not valid JSON: {exc}"
            ) from exc
    return _write(ref, doc, content, content_type)


def post_document(ref: DocRef, content: bytes, content_type: str | None, **conditions) -> Document:
    """Merge a JSON object into the stored JSON object (top-level properties replace); a POST for a
    document not yet stored is treated as a PUT and stores it, whatever its content type (2.2.s7)."""
    doc = find_document(ref)
    check_preconditions(doc, method="POST", kind=ref.kind, **conditions)
    if doc is None:
        return _store(ref, doc, content, content_type)
    if media_type(content_type) != "application/json":
        raise XAPIError(
            400,
            "POST merges JSON documents: send the document as application/json (use PUT to "
            "store another content type).",
        )
    posted = _json_object(content, "posted document")
    if media_type(doc.content_type) != "application/json":
        raise XAPIError(
            400,
            "The stored document is not application/json, so it cannot be merged; replace it with PUT.",
        )
    merged = _json_object(doc.content, "stored document")
    merged.update(posted)
    body = json.dumps(merged, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return _write(ref, doc, body, "application/json")


def delete_documents(ref: DocRef, **conditions) -> int:
    """Delete one document (``ref.doc_id``) or, for State without it, the context's documents."""
    if ref.doc_id is not None:
        doc = find_document(ref)
        check_preconditions(doc, method="DELETE", kind=ref.kind, **conditions)
        if doc is None:
            return 0
        db.session.delete(doc)
        db.session.flush()
        return 1
    result = db.session.execute(delete(Document).where(*ref.filters()))
    db.session.flush()
    return result.rowcount or 0


# --- request parsing ------------------------------------------------------------------------------------


def _ref(resource: str, method: str) -> tuple[DocRef, datetime | None]:
    kind, id_param, required, optional = RESOURCES[resource]
    allowed = set(required) | set(optional) | {id_param}
    if method == "GET":
        allowed.add("since")
    params = check_params(allowed)
    doc_id = string_param(
        params, id_param, required=method in ("PUT", "POST") or (method == "DELETE" and kind != "state")
    )
    activity_id = iri_param(params, "activityId") if "activityId" in required else None
    agent, key = agent_param(params, "agent") if "agent" in required else (None, None)
    registration = registration_param(params) if "registration" in optional else None
    since = optional_timestamp(params, "since") if method == "GET" else None
    if doc_id is not None:
        since = None  # checked above, but it filters lists of ids only: a single document is returned as is
    ref = DocRef(kind, activity_id, agent, key, registration, doc_id)
    check_binding(resource, ref, method)
    return ref, since


def _conditions() -> dict:
    return {"if_match": request_header("If-Match"), "if_none_match": request_header("If-None-Match")}


def _document_response(doc: Document) -> Response:
    resp = Response(doc.content, status=200, content_type=doc.content_type)
    resp.headers["ETag"] = f'"{doc.etag}"'
    resp.headers["Last-Modified"] = http_date(doc.updated_dt)
    return resp


def _ids_response(docs: list[tuple[str, datetime]]) -> Response:
    body = json.dumps([doc_id for doc_id, _updated in docs], ensure_ascii=False).encode("utf-8")
    resp = Response(body, status=200, mimetype="application/json")
    resp.headers["ETag"] = f'"{sha1_hex(body)}"'
    if docs:
        resp.headers["Last-Modified"] = http_date(max(updated for _doc_id, updated in docs))
    return resp


def _max_bytes() -> int:
    return int(current_app.config.get("XAPI_DOCUMENT_MAX_BYTES") or DEFAULT_MAX_DOCUMENT_BYTES)


def _handle_read(resource: str) -> Response:
    ref, since = _ref(resource, "GET")
    if ref.doc_id is None:
        return _ids_response(list_documents(ref, since))
    doc = find_document(ref)
    if doc is None:
        raise XAPIError(404, "No such document.")
    return _document_response(doc)


def _handle_write(resource: str) -> Response:
    method = request.method
    ref, _since = _ref(resource, method)
    conditions = _conditions()
    try:
        if method == "DELETE":
            if request_body()[0]:
                raise XAPIError(400, "A DELETE takes no content: send the parameters in the query string.")
            delete_documents(ref, **conditions)
            etag = None
        else:
            content, content_type = request_body()
            if method == "POST" and not content:
                raise XAPIError(400, "The POST has no content: send the document to store or merge.")
            if len(content) > _max_bytes():
                raise XAPIError(413, f"Documents are limited to {_max_bytes()} bytes.")
            writer = put_document if method == "PUT" else post_document
            etag = writer(ref, content, content_type, **conditions).etag
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise XAPIError(
            409, "Another request created this document at the same moment; GET it and retry with If-Match."
        ) from exc
    except XAPIError:
        db.session.rollback()
        raise
    resp = Response(status=204)
    if etag:
        resp.headers["ETag"] = f'"{etag}"'
    return resp


# --- routes (on the LRS blueprint; its hooks add the version header, CORS and JSON errors) ------------

_READ = ("all", "all/read")


@bp.route("/activities/state", methods=["GET"], endpoint="state_get")
@require_scope("state", *_READ)
def state_get():
    return _handle_read("state")


@bp.route("/activities/state", methods=["PUT", "POST", "DELETE"], endpoint="state_write")
@require_scope("state", "all")
def state_write():
    return _handle_write("state")


@bp.route("/activities/profile", methods=["GET"], endpoint="activity_profile_get")
@require_scope("profile", *_READ)
def activity_profile_get():
    return _handle_read("activity_profile")


@bp.route("/activities/profile", methods=["PUT", "POST", "DELETE"], endpoint="activity_profile_write")
@require_scope("profile", "all")
def activity_profile_write():
    return _handle_write("activity_profile")


@bp.route("/agents/profile", methods=["GET"], endpoint="agent_profile_get")
@require_scope("profile", *_READ)
def agent_profile_get():
    return _handle_read("agent_profile")


@bp.route("/agents/profile", methods=["PUT", "POST", "DELETE"], endpoint="agent_profile_write")
@require_scope("profile", "all")
def agent_profile_write():
    return _handle_write("agent_profile")
