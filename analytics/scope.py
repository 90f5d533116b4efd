"""Whose resources a reader of the analytics may see.

Admins see every course, session and kit. A trainer sees the resources they own in the core registry
(:func:`lms.registry.resources_owned_by`): the dashboards, tables, exports, API and triage queue are
filtered to those, and a URL naming another trainer's resource is refused (404, as if it did not exist).
Data not tied to a resource (new accounts, a readiness assessment's feedback) is for admins only.

The scope is looked up on every request (never cached across requests, so a trainer who loses a
resource loses its dashboards at once), but cheaply: only the ``kind`` and ``key`` of the owned
resources, aggregated into one string by the database, and on dashboard pages in the same round trip
as the snapshots' fingerprint (:func:`analytics.views.dashboard_state`).
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Select, bindparam, func, select

from lms.db import db
from lms.registry import LearningResource, owned_resources_query


def owned_refs_subquery(user_id):
    """A scalar subquery: the ``"kind:key"`` refs of every resource (published or withdrawn) ``user_id``
    owns, joined by newlines, NULL when none. The same rows as :func:`lms.registry.resources_owned_by`
    (checked by the tests), without loading the resources' titles, languages and articles.
    ``user_id`` is an id or a bind parameter."""
    refs = func.aggregate_strings(LearningResource.kind + ":" + LearningResource.key, "\n")
    return owned_resources_query(user_id).with_only_columns(refs).scalar_subquery()


def owned_condition(model, user_id):
    """SQL: the rows of ``model`` (with ``kind`` and ``key`` columns) about a resource ``user_id`` owns
    (the scope of :func:`user_scope`, inside the query instead of read first). ``user_id`` is an id or a
    bind parameter, so a statement using it can be built once and run for every trainer."""
    return (
        owned_resources_query(user_id)
        .where(LearningResource.kind == model.kind, LearningResource.key == model.key)
        .exists()
    )


def parse_refs(joined: str | None) -> tuple[str, ...]:
    """The sorted refs of an :func:`owned_refs_subquery` value (keys never hold a newline)."""
    return tuple(sorted(set(joined.split("\n")))) if joined else ()


def scoped_id(user) -> int | None:
    """The user id whose owned resources bound the reader's view, or None (anonymous or admin)."""
    if user is None or not getattr(user, "is_authenticated", False) or user.is_admin:
        return None
    return user.id


@lru_cache(maxsize=1)
def _owned_refs_select() -> Select:
    """Built once per process: building a statement costs more than running this one."""
    return select(owned_refs_subquery(bindparam("owner_id")))


def user_scope(user) -> tuple[str, ...] | None:
    """``None`` (everything) for an admin; else the sorted ``"kind:key"`` refs ``user`` owns."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ()
    if user.is_admin:
        return None
    return parse_refs(db.session.scalar(_owned_refs_select(), {"owner_id": user.id}))


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
