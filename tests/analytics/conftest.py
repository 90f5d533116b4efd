"""Fixtures of the analytics tests: statements inserted straight into the statement store (fast and
independent of the LRS implementation), the rollup job, and signed-in clients per role."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lms.db import db

BASE = "http://lms.test"
T0 = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def app_config():
    return {"ANALYTICS_SETTLE_SECONDS": 0}


@pytest.fixture
def iri():
    def _iri(path: str) -> str:
        return f"{BASE}/xapi/activities/{path}"

    return _iri


@pytest.fixture
def add_statements(app, countries):
    """``add_statements([dict(verb=..., activity="course/c1", actor="a1", ...), ...])`` inserts and commits;
    returns the column values of each statement. Keys: those of :func:`analytics.synth.build`, with
    ``activity`` a path under ``/xapi/activities/`` and ``ts`` defaulting to T0 + index minutes."""
    from analytics import synth

    def _add(specs: list[dict]) -> list[dict]:
        built = []
        for i, spec in enumerate(specs):
            spec = dict(spec)
            activity = spec.pop("activity", "course/c1")
            activity_id = activity if activity.startswith("http") else f"{BASE}/xapi/activities/{activity}"
            spec.setdefault("ts", T0 + timedelta(minutes=i))
            spec.setdefault("actor", "a1")
            spec.setdefault("country", "FR")
            spec["parents"] = [
                p if p.startswith("http") else f"{BASE}/xapi/activities/{p}" for p in spec.get("parents", ())
            ]
            built.append(synth.build(base_url=BASE, activity_id=activity_id, **spec))
        synth.insert_rows(built)
        db.session.commit()
        return [b[0] for b in built]

    return _add


@pytest.fixture
def rollup(app):
    from analytics.rollup import run_rollup

    def _run(**kw):
        kw.setdefault("settle_seconds", 0)
        result = run_rollup(**kw)
        db.session.expire_all()
        return result

    return _run


@pytest.fixture
def as_role(client, make_user, login):
    """``as_role("trainer")`` signs the test client in as a new user of that role; returns the user."""

    def _as(role: str, **kw):
        user = make_user(role=role, **kw)
        login(user)
        return user

    return _as


@pytest.fixture
def as_owner(as_role):
    """``as_owner()`` signs in a new trainer who owns every resource now in the registry (dashboards
    show a trainer their own resources only); returns the user."""
    from sqlalchemy import select

    from lms.registry import LearningResource, set_resource_owners

    def _as(**kw):
        user = as_role("trainer", **kw)
        for kind, key in db.session.execute(select(LearningResource.kind, LearningResource.key)).all():
            set_resource_owners(kind, key, [user.id])
        db.session.commit()
        return user

    return _as


@pytest.fixture
def publish(app):
    """``publish("course", "c1", "Article 3")`` puts a resource in the registry."""
    from lms.registry import publish_resource

    def _publish(kind, key, title=None, titles=None, languages=("en", "fr", "es")):
        res = publish_resource(
            kind=kind,
            key=key,
            plugin="courses" if kind != "webinar" else "webinars",
            titles=titles or {"en": title or key},
            url=f"/{kind}s/{key}",
            languages=list(languages),
        )
        db.session.commit()
        return res

    return _publish


@pytest.fixture(autouse=True)
def _fresh_fragment_cache():
    """Rendered dashboard bodies are cached per process; each test starts with none."""
    from analytics import views, views_public

    views._FRAGMENTS.clear()
    views_public._PUBLIC.clear()
    yield
    views._FRAGMENTS.clear()
    views_public._PUBLIC.clear()
