"""Whose resources a reader of the analytics may see.

Admins see every course, session and kit. A trainer sees the resources they own in the core registry
(:func:`lms.registry.resources_owned_by`): the dashboards, tables, exports, API and triage queue are
filtered to those, and a URL naming another trainer's resource is refused (404, as if it did not exist).
Data not tied to a resource (new accounts, a readiness assessment's feedback) is for admins only.
"""

from __future__ import annotations

from lms.registry import resources_owned_by


def user_scope(user) -> tuple[str, ...] | None:
    """``None`` (everything) for an admin; else the sorted ``"kind:key"`` refs ``user`` owns."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ()
    if user.is_admin:
        return None
    return tuple(sorted({f"{r.kind}:{r.key}" for r in resources_owned_by(user.id)}))


def current_scope() -> tuple[str, ...] | None:
    """The signed-in reader's scope, looked up once per request (kept in the request's environ, which
    lives exactly as long as the request)."""
    from flask import request
    from flask_login import current_user

    if "analytics.scope" not in request.environ:
        request.environ["analytics.scope"] = user_scope(current_user)
    return request.environ["analytics.scope"]


def in_scope(scope: tuple[str, ...] | None, kind: str, key: str) -> bool:
    return scope is None or f"{kind}:{key}" in scope
