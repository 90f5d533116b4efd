"""LRS clients: HTTP Basic credentials with xAPI scopes (Communication 4.0 and 4.2).

A client is a public ``key`` (the Basic user name) and a ``secret`` (the password), stored hashed. Its
scopes are those of the specification's table: ``statements/write``, ``statements/read``,
``statements/read/mine``, ``state``, ``define``, ``profile``, ``all/read`` and ``all``.

A client may be bound to one learner (and a registration and activity): that is what
:func:`issue_launch_credentials` creates when the platform launches imported xAPI/cmi5 content. The
statements a bound client writes must have that learner as actor (403 otherwise), and their authority
is a Group of the client and the learner, as the specification prescribes for an application acting for
a known user (Data 2.4.9).

:func:`require_scope` authenticates a request of the ``xapi`` blueprint and puts the client in
``flask.g.lrs_client``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from base64 import b64decode
from datetime import datetime, timedelta
from functools import wraps

from flask import current_app, g, request
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from lms.db import db, utcnow
from lms.models import AuditEntry
from lms.xapi.errors import XAPIError
from lms.xapi.ids import account_agent, group_key
from lms.xapi.validation import VOIDED_VERB

SCOPES = (
    "statements/write",
    "statements/read",
    "statements/read/mine",
    "state",
    "define",
    "profile",
    "all/read",
    "all",
)
READ_METHODS = ("GET", "HEAD")
LAUNCH_SCOPES = ["statements/write", "statements/read/mine", "state"]
# The secrets are 256-bit random strings, so a fast salted hash is as strong as a slow one; a slow
# password hash on every xAPI request would only cost time.
_HASH_METHOD = "pbkdf2:sha256:1000"


class LRSClient(db.Model):
    __tablename__ = "xapi_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(255))
    scopes: Mapped[list] = mapped_column(default=list)
    is_active: Mapped[bool] = mapped_column(default=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    """A learner the client acts for (launch credentials); ``None`` for an application."""
    registration: Mapped[str | None] = mapped_column(String(36))
    activity_id: Mapped[str | None] = mapped_column(String(1000))
    expires_dt: Mapped[datetime | None]
    is_void_allowed: Mapped[bool] = mapped_column(default=True)
    """Whether the client may write voiding statements (cmi5 6.3: an AU's credentials may not)."""
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")

    def check_secret(self, secret: str) -> bool:
        return check_password_hash(self.secret_hash, secret)

    @property
    def is_usable(self) -> bool:
        if not self.is_active:
            return False
        if self.expires_dt is not None and self.expires_dt <= utcnow():
            return False
        return self.user_id is None or (self.user is not None and self.user.is_active)

    def allows(self, *scopes: str, method: str = "GET") -> bool:
        """Whether the client holds one of ``scopes`` (``all`` holds every scope, ``all/read`` every
        scope for reading, ``statements/read`` includes ``statements/read/mine``)."""
        held = set(self.scopes or ())
        if "all" in held:
            return True
        if "all/read" in held and method.upper() in READ_METHODS:
            return True
        if "statements/read" in held:
            held.add("statements/read/mine")
        return any(s in held for s in scopes)

    @property
    def agent(self) -> dict:
        """The agent representing the client: an account on the site named by the client key."""
        return account_agent(current_app.config["BASE_URL"], self.key)

    @property
    def user_agent(self) -> dict | None:
        if self.user is None:
            return None
        from lms.xapi.agents import actor_for

        return actor_for(self.user)

    @property
    def authority(self) -> dict:
        """The authority of the statements this client writes: the client's agent, or for a client
        bound to a learner, a Group of the client and the learner."""
        if self.user is None:
            return self.agent
        return {"objectType": "Group", "member": [self.agent, self.user_agent]}

    @property
    def authority_key(self) -> str | None:
        return group_key(self.authority)


def _validate_scopes(scopes) -> list[str]:
    scopes = list(dict.fromkeys(scopes))
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise ValueError(f"unknown or missing xAPI scopes: {unknown or scopes}; allowed: {', '.join(SCOPES)}")
    return scopes


def client_created_by_request(actor, request_id: str | None) -> LRSClient | None:
    """The client ``actor`` created in the last day from the form with this ``request_id`` (its audit
    entry carries it), so that sending the same form again shows that client instead of creating a
    second one; ``None`` when there is none or no ``request_id``."""
    if not request_id or actor is None:
        return None
    entries = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "lrs.client_created",
            AuditEntry.actor_id == actor.id,
            AuditEntry.created_dt >= utcnow() - timedelta(days=1),
        )
    )
    key = next((e.target_id for e in entries if (e.details or {}).get("request") == request_id), None)
    return db.session.scalar(select(LRSClient).where(LRSClient.key == key)) if key else None


def create_client(
    name: str,
    scopes,
    *,
    user=None,
    registration: str | None = None,
    activity_id: str | None = None,
    expires_dt: datetime | None = None,
    may_void: bool = True,
):
    """Create a client; returns ``(client, key, secret)``. The secret is shown once and stored hashed.
    ``may_void=False`` makes the LRS refuse voiding statements from it (403). Flushes, never commits.
    Raises ``ValueError`` for unknown scopes or an empty name."""
    name = (name or "").strip()
    if not name:
        raise ValueError("an LRS client needs a name")
    key = secrets.token_hex(16)
    secret = secrets.token_urlsafe(32)
    client = LRSClient(
        name=name[:200],
        key=key,
        secret_hash=generate_password_hash(secret, method=_HASH_METHOD),
        scopes=_validate_scopes(scopes),
        user_id=user.id if user is not None else None,
        registration=registration.lower() if registration else None,
        activity_id=activity_id,
        expires_dt=expires_dt,
        is_void_allowed=may_void,
        is_active=True,
    )
    if user is not None:
        client.user = user
    db.session.add(client)
    db.session.flush()
    return client, key, secret


def issue_launch_credentials(
    user,
    *,
    registration: str | None,
    activity_id: str | None,
    minutes: int | None = None,
    may_void: bool = True,
):
    """Short-lived credentials for content launched by ``user``: scopes statements/write,
    statements/read/mine and state; statements must have the learner as actor. ``may_void=False``
    refuses voiding statements from them (cmi5 6.3: an AU must not void statements). Returns
    ``(key, secret)``. Flushes, never commits; the scheduled job
    :func:`lms.xapi.tasks.delete_expired_launch_credentials` deletes them once expired."""
    if minutes is None:
        minutes = int(current_app.config.get("XAPI_LAUNCH_TOKEN_MINUTES", 240))
    _client, key, secret = create_client(
        f"launch {user.uuid}",
        LAUNCH_SCOPES,
        user=user,
        registration=registration,
        activity_id=activity_id,
        expires_dt=utcnow() + timedelta(minutes=minutes),
        may_void=may_void,
    )
    return key, secret


def deactivate_client(client: LRSClient) -> None:
    client.is_active = False
    _cache_forget(client.key)
    db.session.flush()


# -- authentication --------------------------------------------------------------------------------

# (key, stored hash) -> (HMAC of the secret under a per-process random key, monotonic expiry): spares
# the hash check on every request of a session. Only a keyed digest is kept in memory, never the secret
# nor a plain hash of it; a new secret (new stored hash) is never served from the cache, and
# :func:`deactivate_client` drops the client's entries (the client row itself is still read on every
# request, so deactivation and expiry take effect at once).
_verified: dict[tuple[str, str], tuple[bytes, float]] = {}
_verified_lock = threading.Lock()
_CACHE_SECONDS = 60.0
_CACHE_KEY = secrets.token_bytes(32)


def _cache_forget(key: str) -> None:
    with _verified_lock:
        for cached in [k for k in _verified if k[0] == key]:
            _verified.pop(cached, None)


def _secret_ok(client: LRSClient, secret: str) -> bool:
    digest = hmac.new(_CACHE_KEY, secret.encode("utf-8"), hashlib.sha256).digest()
    now = time.monotonic()
    with _verified_lock:
        cached = _verified.get((client.key, client.secret_hash))
    if cached and cached[1] > now and hmac.compare_digest(cached[0], digest):
        return True
    if not client.check_secret(secret):
        return False
    with _verified_lock:
        if len(_verified) > 10000:
            _verified.clear()
        _verified[(client.key, client.secret_hash)] = (digest, now + _CACHE_SECONDS)
    return True


def authenticate() -> LRSClient:
    """The client of the current request (HTTP Basic), or XAPIError 401."""
    challenge = {"WWW-Authenticate": 'Basic realm="xAPI"'}
    header = request.headers.get("Authorization")
    if not header:
        raise XAPIError(
            401, "authentication required: send HTTP Basic credentials of an LRS client", headers=challenge
        )
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic":
        raise XAPIError(401, "only HTTP Basic authentication is supported", headers=challenge)
    try:
        decoded = b64decode(value.strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise XAPIError(401, "malformed HTTP Basic credentials", headers=challenge) from None
    key, sep, secret = decoded.partition(":")
    if not sep or not key:
        raise XAPIError(401, "malformed HTTP Basic credentials", headers=challenge)
    client = db.session.scalar(select(LRSClient).where(LRSClient.key == key))
    if client is None or not _secret_ok(client, secret) or not client.is_usable:
        raise XAPIError(
            401, "the credentials were refused (unknown, wrong, expired or deactivated)", headers=challenge
        )
    return client


def current_client() -> LRSClient:
    client = getattr(g, "lrs_client", None)
    if client is None:
        client = authenticate()
        g.lrs_client = client
    return client


def check_scope(*scopes: str, method: str | None = None) -> LRSClient:
    """Authenticate (once per request) and require one of ``scopes``; 401 / 403 otherwise."""
    client = current_client()
    if not client.allows(*scopes, method=method or request.method):
        raise XAPIError(
            403, "these credentials lack the scope for this request (needs " + " or ".join(scopes) + ")"
        )
    return client


def require_scope(*scopes: str):
    """Decorator for views of the ``xapi`` blueprint: HTTP Basic authentication and one of ``scopes``;
    sets ``flask.g.lrs_client``."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            check_scope(*scopes)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def check_statements_allowed(client: LRSClient, statements: list[dict]) -> None:
    """A client bound to a learner may only write statements whose actor is that learner, and void
    only statements about that learner (403 otherwise, Data 2.3.2.s2.b4). A client without
    ``is_void_allowed`` may not void at all (403)."""
    if not client.is_void_allowed:
        for i, statement in enumerate(statements):
            verb = statement.get("verb") if isinstance(statement, dict) else None
            if isinstance(verb, dict) and verb.get("id") == VOIDED_VERB:
                raise XAPIError(
                    403,
                    f"statements[{i}].verb: these credentials may not void statements "
                    "(content launched with cmi5 never voids, cmi5 section 6.3)",
                )
    if client.user_id is None:
        return
    from lms.xapi.ids import agent_key
    from lms.xapi.models import Statement

    expected = agent_key(client.user_agent)
    targets: dict[str, int] = {}
    for i, statement in enumerate(statements):
        if not isinstance(statement, dict):
            continue  # refused by validation
        actor = statement.get("actor")
        if not isinstance(actor, dict) or actor.get("objectType") == "Group" or agent_key(actor) != expected:
            raise XAPIError(
                403,
                f"statements[{i}].actor: these launch credentials may only record "
                "statements about the learner they were issued for",
            )
        verb, obj = statement.get("verb"), statement.get("object")
        if isinstance(verb, dict) and verb.get("id") == VOIDED_VERB and isinstance(obj, dict):
            if isinstance(obj.get("id"), str):
                targets[obj["id"].lower()] = i
    if not targets:
        return
    rows = db.session.execute(
        select(Statement.statement_id, Statement.actor_key).where(Statement.statement_id.in_(list(targets)))
    )
    for sid, actor_key in rows:
        if actor_key != expected:
            raise XAPIError(
                403,
                f"statements[{targets[sid]}].object: these launch credentials may only void statements "
                "about their learner",
            )


__all__ = [
    "LRSClient",
    "SCOPES",
    "authenticate",
    "check_scope",
    "check_statements_allowed",
    "create_client",
    "current_client",
    "deactivate_client",
    "issue_launch_credentials",
    "require_scope",
]
