"""Errors of the built-in LRS.

Every refusal is an :class:`XAPIError` carrying the HTTP status the xAPI specification prescribes and a
message naming the cause (for a statement: the property path, e.g. ``statements[2].actor.mbox``).
:func:`xapi_error_response` turns it (or a Werkzeug ``HTTPException`` raised inside the ``xapi``
blueprint) into a JSON error with the ``X-Experience-API-Version`` header.
"""

from __future__ import annotations

import json

from flask import Response

XAPI_VERSION = "1.0.3"
"""The patch version of the specification this LRS follows (the version header of every response)."""


class XAPIError(Exception):
    """A request refused by the LRS. ``status`` is 400, 401, 403, 404, 409, 412 or 413 (429 also
    possible); ``message`` explains the cause in plain English (xAPI clients are programs)."""

    def __init__(self, status: int, message: str, *, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"XAPIError({self.status}, {self.message!r})"


def bad_request(message: str) -> XAPIError:
    return XAPIError(400, message)


_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    412: "Precondition Failed",
    413: "Request Entity Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


def xapi_error_response(exc) -> Response:
    """A JSON error response for an :class:`XAPIError` or a Werkzeug ``HTTPException``:
    ``{"error": "Bad Request", "code": 400, "message": "..."}``."""
    if isinstance(exc, XAPIError):
        status, message, headers = exc.status, exc.message, dict(exc.headers)
    else:
        status = getattr(exc, "code", None) or 500
        message = getattr(exc, "description", None) or str(exc)
        headers = {}
        if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
            headers["Allow"] = ", ".join(exc.valid_methods)
    body = {"error": _REASONS.get(status, "Error"), "code": status, "message": message}
    resp = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
    for name, value in headers.items():
        resp.headers[name] = value
    resp.headers["X-Experience-API-Version"] = XAPI_VERSION
    return resp
