"""Helpers of the LRS documents / forwarding / admin tests (imported by those test modules, which put this
folder on ``sys.path``; the conformance suite has its own helpers).

- :class:`FakeLRS`: a real threading HTTP server on 127.0.0.1 (ephemeral port) that accepts
  ``PUT /xapi/statements?statementId=...`` like an external LRS (JSON, or ``multipart/mixed`` with
  attachment payloads, whose hashes it checks) and records what it received; it can answer 500, refuse
  connections (stopped) and come back on the same port.
- :func:`basic`, :func:`make_client`: HTTP Basic credentials of LRS clients.
- :func:`statement`: a realistic statement for a platform user.
"""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import json
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

BASE = "/xapi"


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def make_client(scopes=("all",), name="tests", **kwargs) -> dict:
    """Create an LRS client (committed) and return request headers for it."""
    from lms.db import db
    from lms.xapi.auth import create_client

    _client, key, secret = create_client(name, list(scopes), **kwargs)
    db.session.commit()
    return {"Authorization": basic(key, secret), "X-Experience-API-Version": "1.0.3"}


def statement(
    user=None,
    *,
    verb="http://adlnet.gov/expapi/verbs/completed",
    activity="http://lms.test/xapi/activities/course/c1",
    activity_type=None,
    name=None,
    home_page="http://lms.test",
    account_name=None,
    sid=None,
) -> dict:
    definition = {}
    if activity_type:
        definition["type"] = activity_type
    if name:
        definition["name"] = name
    obj = {"objectType": "Activity", "id": activity}
    if definition:
        obj["definition"] = definition
    return {
        "id": sid or str(uuid.uuid4()),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": home_page, "name": account_name or (user.uuid if user else "someone")},
        },
        "verb": {"id": verb, "display": {"en": verb.rsplit("/", 1)[-1]}},
        "object": obj,
        "timestamp": "2024-05-01T10:00:00+00:00",
    }


class FakeLRS:
    """An external LRS on loopback. ``mode``: ``"ok"`` (204), ``"error"`` (500), ``"reject"`` (400);
    :meth:`stop` makes connections fail, :meth:`start` brings it back on the same port."""

    def __init__(self):
        self.received: list[dict] = []
        self.payloads: dict[str, bytes] = {}
        """sha2 -> attachment data received in multipart requests."""
        self.attempts: Counter = Counter()
        self.auth: list[str | None] = []
        self.mode = "ok"
        self.delay = 0.0
        self.inflight = 0
        self.lock = threading.Lock()
        self.port = 0
        self.server = None
        self.thread = None
        self.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}{BASE}/"

    def wait_idle(self, timeout: float = 5.0) -> None:
        """Wait until no request is being handled (answers delayed past the client's time-out)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if not self.inflight:
                    return
            time.sleep(0.02)

    def counts(self) -> Counter:
        """statement id -> number of times it was stored."""
        with self.lock:
            return Counter(s["id"] for s in self.received)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_PUT(self):
                with fake.lock:
                    fake.inflight += 1
                try:
                    self._put()
                finally:
                    with fake.lock:
                        fake.inflight -= 1

            def _put(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                sid = (parse_qs(parts.query).get("statementId") or [None])[0]
                with fake.lock:
                    fake.attempts[sid] += 1
                    fake.auth.append(self.headers.get("Authorization"))
                    mode = fake.mode
                    delay = fake.delay
                if delay:
                    time.sleep(delay)
                if parts.path != f"{BASE}/statements" or not sid:
                    return self._answer(404)
                if mode == "error":
                    return self._answer(500, b'{"error": "server down for maintenance"}')
                if mode == "reject":
                    return self._answer(400, b'{"error": "invalid statement"}')
                content_type = self.headers.get("Content-Type") or ""
                if content_type.startswith("multipart/mixed"):
                    data, payloads = _split_multipart(body, content_type)
                else:
                    data, payloads = json.loads(body), {}
                if data is None or not _complete(data, payloads):
                    return self._answer(400, b'{"error": "attachment data missing or not matching"}')
                with fake.lock:
                    fake.payloads.update(payloads)
                    if any(s["id"] == sid for s in fake.received):
                        return self._answer(204)  # the same statement again: idempotent
                    fake.received.append(data)
                self._answer(204)

            def _answer(self, status, body=b""):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("X-Experience-API-Version", "1.0.3")
                self.end_headers()
                if body:
                    self.wfile.write(body)

        return Handler

    def start(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(5)
            self.server = None


def _split_multipart(body: bytes, content_type: str) -> tuple[dict | None, dict[str, bytes]]:
    """``(statement, {sha2: data})`` of a ``multipart/mixed`` PUT, parsed by the standard library; ``(None,
    {})`` when a part's data does not match its ``X-Experience-API-Hash`` (refused with 400, as an
    external LRS would)."""
    message = email.message_from_bytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=email.policy.HTTP
    )
    parts = list(message.iter_parts())
    statement = json.loads(parts[0].get_payload(decode=True))
    payloads = {}
    for part in parts[1:]:
        data = part.get_payload(decode=True)
        sha2 = part["X-Experience-API-Hash"]
        if hashlib.sha256(data).hexdigest() != sha2:
            return None, {}
        payloads[sha2] = data
    return statement, payloads


def _complete(statement: dict, payloads: dict[str, bytes]) -> bool:
    """Whether every attachment without ``fileUrl`` has its data in ``payloads``."""
    return all(
        "fileUrl" in attachment or attachment["sha2"] in payloads
        for attachment in statement.get("attachments") or ()
    )


def error_message(resp) -> str:
    """The explanation of an LRS error response (``{"error": ..., "code": ..., "message": ...}``)."""
    body = resp.get_json() or {}
    if isinstance(body.get("error"), dict):
        return body["error"].get("message", "")
    return body.get("message", "")
