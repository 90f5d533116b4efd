"""The HTTP API of the built-in LRS (xAPI 1.0.3), blueprint ``xapi`` under ``/xapi``.

This module defines the Statement and About resources and the hooks every route of the blueprint goes
through (the document, Activities and Agents resources register their routes on the same ``bp``):

- CORS for browser content: preflight ``OPTIONS`` answered 200 without authentication, and
  ``Access-Control-*`` headers on every response;
- the alternate request syntax (Communication 1.3): ``POST ...?method=PUT`` with form-encoded headers,
  parameters and ``content`` is turned back into the intended request (method, ``request.args``,
  ``request.headers``, body) before the view runs, so views just read ``request``;
- ``X-Experience-API-Version`` required on every request but About (400 when missing or not 1.0.x) and
  set on every response;
- errors as JSON (:func:`lms.xapi.errors.xapi_error_response`); no CSRF (clients authenticate with HTTP
  Basic credentials, never cookies).

Views are thin: parse, call :mod:`lms.xapi.store` / :mod:`lms.xapi.query`, commit once.
"""

from __future__ import annotations

import hashlib
import json
import re

from flask import Blueprint, Response, current_app, g, request
from werkzeug.datastructures import Headers, ImmutableMultiDict, MultiDict
from werkzeug.http import http_date

from lms.db import db, utcnow
from lms.extensions import csrf
from lms.xapi import formats
from lms.xapi.attachments import build_multipart, parse_multipart, payloads_from_parts
from lms.xapi.auth import check_scope, check_statements_allowed
from lms.xapi.errors import XAPI_VERSION, XAPIError, xapi_error_response
from lms.xapi.presentation import attachment_payloads
from lms.xapi.query import get_statement, parse_format, query_statements, read_cursor
from lms.xapi.store import store_batch, store_statements
from lms.xapi.validation import parse_json

bp = Blueprint("xapi", __name__, url_prefix="/xapi")
csrf.exempt(bp)

SUPPORTED_VERSIONS = ["1.0.0", "1.0.1", "1.0.2", "1.0.3"]
_VERSION_HEADER = re.compile(r"^1\.0(?:\.\d+)?$")
ALTERNATE_METHODS = ("GET", "HEAD", "PUT", "POST", "DELETE")
ALTERNATE_HEADERS = {
    name.lower(): name
    for name in (
        "Authorization",
        "X-Experience-API-Version",
        "Content-Type",
        "Content-Length",
        "If-Match",
        "If-None-Match",
    )
}
"""Form fields that describe the ``content`` field, not the form the request carries: they always apply."""
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, POST, PUT, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Experience-API-Version, If-Match, "
    "If-None-Match, Accept-Language",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, X-Experience-API-Consistent-Through, "
    "X-Experience-API-Version",
    "Access-Control-Max-Age": "86400",
}
NO_VERSION_ENDPOINTS = {"xapi.about"}
DEFAULT_MAX_BATCH = 10000
"""Statements per POST unless the ``XAPI_MAX_BATCH`` setting says otherwise (larger batches: 413)."""


# -- hooks for every route of the blueprint --------------------------------------------------------


def _rewrite_alternate_syntax() -> None:
    """Turn a ``POST ?method=X`` request (Communication 1.3) back into the request it stands for: the
    method, the form's header fields as headers, its other fields as parameters, and its ``content``
    field as the body. Other query string parameters are refused (1.3.s3.b3). The LRS MUST treat the
    form's ``Authorization``, ``X-Experience-API-Version``, ``Content-Type``, ``Content-Length``,
    ``If-Match`` and ``If-None-Match`` fields as header parameters (1.3.s3.b7): such a field replaces a
    real header of the same name (the ADL conformance suite refuses an LRS that lets a real
    ``X-Experience-API-Version: 1.0.3`` hide a form's unsupported ``0.8``)."""
    # HTTP method names are upper case, but clients of this syntax also send "put" or "get"
    method = request.args.get("method", "").upper()
    if method not in ALTERNATE_METHODS:
        raise XAPIError(400, "parameter method: must be GET, HEAD, PUT, POST or DELETE")
    extra = sorted(k for k in request.args if k != "method")
    if extra:
        raise XAPIError(
            400,
            "alternate request syntax: parameters other than method go in the form, not the "
            "query string: " + ", ".join(extra),
        )
    # A request with no body at all (e.g. ``POST ?method=GET`` with nothing to add) is an empty form.
    is_empty = not request.mimetype and not request.get_data(cache=True)
    if request.mimetype != "application/x-www-form-urlencoded" and not is_empty:
        raise XAPIError(
            400, "alternate request syntax: the request must be application/x-www-form-urlencoded"
        )
    headers = Headers(list(request.headers.items()))
    params = MultiDict()
    content = None
    content_type_given = False
    for name, value in (MultiDict() if is_empty else request.form).items(multi=True):
        if name == "content":
            content = value
        elif name.lower() in ALTERNATE_HEADERS:
            header = ALTERNATE_HEADERS[name.lower()]
            headers[header] = value
            content_type_given |= header == "Content-Type"
        else:
            params.add(name, value)
    body = (content or "").encode("utf-8")  # the content is read as a UTF-8 string (1.3.s3.b5)
    if not content_type_given:
        headers["Content-Type"] = "application/json" if content is not None else ""
    headers["Content-Length"] = str(len(body))
    request.method = method
    request.environ["REQUEST_METHOD"] = method
    request.args = ImmutableMultiDict(params)
    request.headers = headers
    request._cached_data = body
    if hasattr(request, "_parsed_content_type"):
        del request._parsed_content_type
    g.xapi_alternate = True


def _check_version() -> None:
    version = (request.headers.get("X-Experience-API-Version") or "").strip()
    if not version:
        raise XAPIError(400, "the X-Experience-API-Version header is required (e.g. 1.0.3)")
    if not _VERSION_HEADER.match(version):
        raise XAPIError(
            400,
            f"X-Experience-API-Version {version!r} is not supported; this LRS implements "
            f"xAPI {XAPI_VERSION} and accepts 1.0.x",
        )


@bp.before_request
def _before():
    # g lives on the app context, which a request reuses when one is already pushed (tests, CLI)
    g.pop("lrs_client", None)
    g.pop("xapi_alternate", None)
    if request.method == "OPTIONS":  # CORS preflight: no authentication, no version header
        return Response(status=200)
    alternate = request.method == "POST" and "method" in request.args
    if alternate:
        _rewrite_alternate_syntax()
    if request.url_rule.endpoint not in NO_VERSION_ENDPOINTS:
        _check_version()
    if alternate:
        rule, view_args = current_app.create_url_adapter(request).match(
            method=request.method, return_rule=True
        )
        if rule.endpoint != request.url_rule.endpoint:
            request.url_rule, request.view_args = rule, view_args
            return current_app.ensure_sync(current_app.view_functions[rule.endpoint])(**view_args)
    return None


@bp.after_request
def _after(response: Response) -> Response:
    response.headers["X-Experience-API-Version"] = XAPI_VERSION
    for name, value in CORS_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Cache-Control", "no-store")
    if request.url_rule is not None and request.url_rule.endpoint == "xapi.statements":
        response.headers["X-Experience-API-Consistent-Through"] = formats.format_timestamp(utcnow())
    if request.method == "HEAD" and g.get("xapi_alternate"):
        response.set_data(b"")
    return response


@bp.errorhandler(XAPIError)
def _xapi_error(exc: XAPIError) -> Response:
    db.session.rollback()  # a refused request leaves nothing behind, whatever it flushed
    return xapi_error_response(exc)


def _json(data, status: int = 200) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        status=status,
        mimetype="application/json",
    )


def _params() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in request.args:
        values = request.args.getlist(name)
        if len(values) > 1:
            raise XAPIError(400, f"parameter {name}: given more than once")
        out[name] = values[0]
    return out


def _reject_unknown(params: dict, allowed: set[str], what: str) -> None:
    lowered = {a.lower(): a for a in allowed}
    for name in params:
        if name not in allowed:
            hint = f" (the parameter is named {lowered[name.lower()]!r})" if name.lower() in lowered else ""
            raise XAPIError(400, f"parameter {name}: not allowed for {what}{hint}")


# -- About -----------------------------------------------------------------------------------------


@bp.route("/about", methods=["GET"])
def about():
    """The xAPI versions this LRS supports; no authentication, any version header (2.8)."""
    return _json({"version": SUPPORTED_VERSIONS, "extensions": {}})


# -- Statements ------------------------------------------------------------------------------------


def _statements_body():
    """``(statements JSON, attachment payloads)`` from an application/json or multipart/mixed body."""
    content_type = request.headers.get("Content-Type") or ""
    mime = content_type.split(";")[0].strip().lower()
    body = request.get_data(cache=True)
    if mime == "application/json":
        return parse_json(body, "statements"), {}
    if mime == "multipart/mixed":
        raw, parts = parse_multipart(body, content_type)
        return parse_json(raw, "statements"), payloads_from_parts(parts)
    raise XAPIError(400, "Content-Type must be application/json or multipart/mixed for statements")


@bp.route("/statements", methods=["GET", "PUT", "POST"])
def statements():
    if request.method in ("GET", "HEAD"):
        return _get_statements()
    if request.method == "PUT":
        return _put_statement()
    if request.method == "POST":
        return _post_statements()
    raise XAPIError(405, f"{request.method} is not supported on the Statement resource")


def _put_statement():
    client = check_scope("statements/write")
    params = _params()
    _reject_unknown(params, {"statementId"}, "PUT statements")
    sid = params.get("statementId")
    if not sid:
        raise XAPIError(400, "parameter statementId: required for PUT statements")
    if not formats.is_uuid(sid):
        raise XAPIError(400, "parameter statementId: must be a UUID")
    data, payloads = _statements_body()
    if not isinstance(data, dict):
        raise XAPIError(400, "PUT statements takes one statement (a JSON object)")
    if "id" in data and (not isinstance(data["id"], str) or data["id"].lower() != sid.lower()):
        raise XAPIError(400, "statement.id: differs from the statementId parameter")
    data = {**data, "id": sid}
    check_statements_allowed(client, [data])
    store_statements([data], authority=client.authority, attachments=payloads)
    db.session.commit()
    return Response(status=204)


def _post_statements():
    client = check_scope("statements/write")
    _reject_unknown(_params(), set(), "POST statements")
    data, payloads = _statements_body()
    batch = [data] if isinstance(data, dict) else data
    if not isinstance(batch, list):
        raise XAPIError(400, "POST statements takes a statement or an array of statements")
    limit = int(current_app.config.get("XAPI_MAX_BATCH", DEFAULT_MAX_BATCH))
    if len(batch) > limit:
        raise XAPIError(413, f"a batch may hold at most {limit} statements (got {len(batch)})")
    check_statements_allowed(client, batch)
    stored = store_batch(batch, authority=client.authority, attachments=payloads)
    db.session.commit()
    if not stored.new:
        # Every statement was already stored (and matched, else 409): nothing changed, which the
        # specification answers with 204 No Content (Communication 2.1.2.s2.b4).
        return Response(status=204)
    return _json(stored.ids)


def _statements_response(payload, statements: list[dict], with_attachments: bool) -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if with_attachments:
        multipart, content_type = build_multipart(body, attachment_payloads(statements))
        resp = Response(multipart, status=200, content_type=content_type)
    else:
        resp = Response(body, status=200, mimetype="application/json")
    resp.set_etag(hashlib.sha1(body).hexdigest())  # noqa: S324 - an ETag, as the spec prescribes (3.1.s4.b2)
    stored = [formats.parse_timestamp(s.get("stored")) for s in statements]
    stored = [s for s in stored if s is not None]
    if stored:
        resp.headers["Last-Modified"] = http_date(max(stored))
    return resp


def _get_statements():
    client = check_scope("statements/read", "statements/read/mine")
    mine = None if client.allows("statements/read", method="GET") else client.authority_key
    params = _params()
    accept_language = request.headers.get("Accept-Language")
    if "statementId" in params or "voidedStatementId" in params:
        if "statementId" in params and "voidedStatementId" in params:
            raise XAPIError(400, "statementId and voidedStatementId cannot be used together")
        _reject_unknown(
            params,
            {"statementId", "voidedStatementId", "attachments", "format"},
            "GET statements with statementId or voidedStatementId",
        )
        voided = "voidedStatementId" in params
        sid = params["voidedStatementId" if voided else "statementId"]
        with_attachments = _attachments_flag(params)
        statement = get_statement(
            sid, voided, authority_key=mine, format=parse_format(params), accept_language=accept_language
        )
        if statement is None:
            raise XAPIError(404, f"no {'voided ' if voided else ''}statement with id {sid}")
        return _statements_response(statement, [statement], with_attachments)
    with_attachments = _attachments_flag(read_cursor(params["cursor"])[0] if "cursor" in params else params)
    found, more = query_statements(params, authority_key=mine, accept_language=accept_language)
    return _statements_response({"statements": found, "more": more}, found, with_attachments)


def _attachments_flag(params: dict) -> bool:
    value = params.get("attachments", "false")
    if value not in ("true", "false"):
        raise XAPIError(400, "parameter attachments: must be true or false")
    return value == "true"
