"""The ``create-admin`` command."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.db import db
from lms.models import AuditEntry, User


def _run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["create-admin", *args], input=input)


def test_create_admin_creates_a_confirmed_admin_who_can_sign_in(app, client, countries):
    result = _run(
        app, "--email", "Chief@Example.org", "--name", "Chief Admin", "--password", "a long admin secret"
    )
    assert result.exit_code == 0, result.output
    assert "admin chief@example.org is ready" in result.output
    user = db.session.scalar(select(User).filter_by(email="chief@example.org"))
    assert user.role == "admin" and user.confirmed_dt is not None and user.is_active
    assert db.session.scalar(select(AuditEntry).filter_by(action="user.create_admin")).target_id == user.uuid
    resp = client.post(
        "/account/login", data={"email": "chief@example.org", "password": "a long admin secret"}
    )
    assert resp.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_create_admin_prompts_for_missing_values(app, countries):
    result = _run(app, input="prompt@example.org\nPrompted Admin\na long admin secret\na long admin secret\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).filter_by(email="prompt@example.org")).role == "admin"


def test_create_admin_promotes_an_existing_account(app, make_user):
    user = make_user(email="lea@example.org", role="learner", confirmed=False, is_active_account=False)
    result = _run(app, "--email", "lea@example.org", "--name", "Léa", "--password", "a long admin secret")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    u = db.session.get(User, user.id)
    assert u.role == "admin" and u.is_active and u.confirmed_dt is not None
    assert u.check_password("a long admin secret")
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_create_admin_on_an_existing_account_ends_its_sessions(app, client, make_user, login):
    from lms.models import SignInSession

    user = make_user(email="lea@example.org")
    login(user)
    assert db.session.scalar(select(func.count(SignInSession.id))) == 1
    result = _run(app, "--email", "lea@example.org", "--name", "Léa", "--password", "a long admin secret")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(SignInSession.id))) == 0
    assert client.get("/account/profile").status_code == 302  # signed out: the password changed


def test_create_admin_refuses_bad_input_and_writes_nothing(app, countries):
    for args, reason in (
        (
            ["--email", "not-an-address", "--name", "X", "--password", "a long admin secret"],
            "Enter a valid e-mail address.",
        ),
        (["--email", "x@example.org", "--name", "X", "--password", "short"], "at least 10 characters"),
        (
            ["--email", "x@example.org", "--name", "  ", "--password", "a long admin secret"],
            "Enter your name.",
        ),
    ):
        result = _run(app, *args)
        assert result.exit_code != 0 and reason in result.output, result.output
    db.session.rollback()
    assert db.session.scalar(select(func.count(User.id))) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0
