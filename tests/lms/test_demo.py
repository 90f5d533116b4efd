"""``seed-demo``: countries, one user per role, every plugin's demo content; running it twice adds
nothing the second time."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.db import db
from lms.demo import DEMO_PASSWORD, DEMO_USERS
from lms.models import Country, User


def _counts() -> dict[str, int]:
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def _run(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_seed_demo_core_part_is_idempotent(app, monkeypatch):
    # Only the core's part: no plugin hooks.
    monkeypatch.setitem(app.extensions, "lms_plugins", {})
    out = _run(app)
    assert "countries: 196 added" in out and f"password: {DEMO_PASSWORD}" in out
    first = _counts()
    assert first["country"] == 196 and first["user"] == len(DEMO_USERS)
    out2 = _run(app)
    assert "countries: 0 added" in out2
    assert _counts() == first
    for email, name, role, country in DEMO_USERS:
        user = db.session.scalar(select(User).filter_by(email=email))
        assert (user.name, user.role, user.country_code) == (name, role, country)
        assert user.confirmed_dt is not None and user.is_active and user.check_password(DEMO_PASSWORD)
    assert db.session.get(Country, "SN").region == "africa"


def test_demo_user_drift_is_repaired(app, monkeypatch):
    monkeypatch.setitem(app.extensions, "lms_plugins", {})
    _run(app)
    user = db.session.scalar(select(User).filter_by(email="trainer@example.org"))
    user.role, user.is_active_account = "learner", False
    user.set_password("something else entirely")
    db.session.commit()
    _run(app)
    db.session.expire_all()
    user = db.session.scalar(select(User).filter_by(email="trainer@example.org"))
    assert user.role == "trainer" and user.is_active and user.check_password(DEMO_PASSWORD)


def test_a_country_s_coordinator_chosen_by_an_admin_is_kept(app, make_user, monkeypatch):
    """An administrator made someone else France's coordinator (the demo coordinator is no longer one):
    seeding again does not give France a second coordinator, and does not fail."""
    monkeypatch.setitem(app.extensions, "lms_plugins", {})
    _run(app)
    demo = db.session.scalar(select(User).filter_by(email="coordinator@example.org"))
    demo.role = "learner"
    db.session.flush()
    chosen = make_user(role="coordinator", country_code="FR", email="real.coordinator@example.org")
    db.session.commit()
    _run(app)
    db.session.expire_all()
    coordinators = db.session.scalars(
        select(User.email).where(User.role == "coordinator", User.country_code == "FR")
    ).all()
    assert coordinators == [chosen.email]
    assert db.session.scalar(select(User.role).filter_by(email="coordinator@example.org")) == "learner"


def test_demo_users_can_sign_in(app, client, monkeypatch):
    monkeypatch.setitem(app.extensions, "lms_plugins", {})
    _run(app)
    resp = client.post("/account/login", data={"email": "admin@example.org", "password": DEMO_PASSWORD})
    assert resp.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_seed_demo_with_every_plugin_is_idempotent(app):
    _run(app)
    first = _counts()
    assert first["user"] >= len(DEMO_USERS)
    _run(app)
    assert _counts() == first
