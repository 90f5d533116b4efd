"""Who may open every account route: anonymous visitors, learners, trainers, coordinators, admins."""

from __future__ import annotations

import pytest

ROLES = ("anonymous", "learner", "trainer", "coordinator", "admin")
SIGNED_IN = ROLES[1:]

ENDPOINTS_COVERED = {
    "account.login",
    "account.logout",
    "account.register",
    "account.confirm",
    "account.resend_confirmation",
    "account.forgot_password",
    "account.reset_password",
    "account.accept_invitation",
    "account.profile",
    "account.change_password",
    "account.sessions",
    "account.end_session",
    "account.end_other_sessions",
    "account.privacy",
    "account.export",
    "account.request_deletion",
    "account.withdraw_deletion",
}


def _expect(anonymous, signed_in):
    return {"anonymous": anonymous, **{r: signed_in for r in SIGNED_IN}}


# (endpoint, method, path, form data, {role: expected status})
CASES = [
    ("account.login", "GET", "/account/login", None, _expect(200, 302)),
    ("account.register", "GET", "/account/register", None, _expect(200, 302)),
    ("account.confirm", "GET", "/account/confirm/not-a-token", None, _expect(400, 400)),
    ("account.resend_confirmation", "GET", "/account/confirm", None, _expect(200, 200)),
    (
        "account.resend_confirmation",
        "POST",
        "/account/confirm",
        {"email": "x@example.org"},
        _expect(302, 302),
    ),
    ("account.forgot_password", "GET", "/account/password/forgot", None, _expect(200, 200)),
    (
        "account.forgot_password",
        "POST",
        "/account/password/forgot",
        {"email": "x@example.org"},
        _expect(302, 302),
    ),
    ("account.reset_password", "GET", "/account/password/reset/not-a-token", None, _expect(400, 400)),
    ("account.accept_invitation", "GET", "/account/invitation/not-a-token", None, _expect(400, 400)),
    ("account.accept_invitation", "POST", "/account/invitation/not-a-token", {}, _expect(400, 400)),
    ("account.profile", "GET", "/account/profile", None, _expect(302, 200)),
    ("account.profile", "POST", "/account/profile", {}, _expect(302, 400)),
    ("account.change_password", "GET", "/account/password", None, _expect(302, 200)),
    ("account.change_password", "POST", "/account/password", {}, _expect(302, 400)),
    ("account.sessions", "GET", "/account/sessions", None, _expect(302, 200)),
    # Another person's (or no) session: nothing to end, back to the list.
    ("account.end_session", "POST", "/account/sessions/999999/end", {}, _expect(302, 302)),
    ("account.end_session", "GET", "/account/sessions/999999/end", None, _expect(405, 405)),
    # Keeps the session it is sent from: the cases after it still run signed in.
    ("account.end_other_sessions", "POST", "/account/sessions/end-others", {}, _expect(302, 302)),
    ("account.privacy", "GET", "/account/privacy", None, _expect(302, 200)),
    ("account.export", "GET", "/account/export", None, _expect(302, 200)),
    ("account.request_deletion", "POST", "/account/delete", {}, _expect(302, 400)),
    ("account.request_deletion", "GET", "/account/delete", None, _expect(405, 405)),
    ("account.withdraw_deletion", "POST", "/account/delete/withdraw", {}, _expect(302, 302)),
    ("account.withdraw_deletion", "GET", "/account/delete/withdraw", None, _expect(405, 405)),
    ("account.logout", "GET", "/account/logout", None, _expect(405, 405)),
    # Last: signs the user out.
    ("account.logout", "POST", "/account/logout", {}, _expect(302, 302)),
]


def test_every_covered_endpoint_has_a_case():
    assert {c[0] for c in CASES} == ENDPOINTS_COVERED


@pytest.mark.parametrize("role", ROLES)
def test_account_routes_by_role(client, make_user, login, role):
    if role != "anonymous":
        login(make_user(role=role))
    failures = []
    for endpoint, method, path, data, expected in CASES:
        resp = client.open(path, method=method, data=data)
        if resp.status_code != expected[role]:
            failures.append(f"{method} {path} ({endpoint}): {resp.status_code}, expected {expected[role]}")
        if (
            resp.status_code == 302
            and expected[role] == 302
            and role == "anonymous"
            and "login" not in path
            and endpoint
            in (
                "account.profile",
                "account.change_password",
                "account.sessions",
                "account.end_session",
                "account.end_other_sessions",
                "account.privacy",
                "account.export",
                "account.request_deletion",
            )
        ):
            assert resp.headers["Location"].startswith("/account/login?next="), path
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", SIGNED_IN)
def test_export_contains_only_the_signed_in_users_data(client, make_user, login, role):
    other = make_user(email="other@example.org")
    me = make_user(role=role, email=f"{role}@example.org")
    login(me)
    text = client.get("/account/export").get_data(as_text=True)
    assert f"{role}@example.org" in text and other.email not in text and other.uuid not in text


@pytest.mark.parametrize("role", ROLES)
def test_a_valid_invitation_opens_for_anyone(client, make_user, login, role):
    """The link is the key: whoever opens it may choose the invited person's password, and accepting
    signs the browser in as the invited person. Someone signed in as another account is asked to sign
    out first (409 for a password sent anyway), so no browser changes account without a word."""
    from lms.account import creation
    from lms.db import db

    if role != "anonymous":
        login(make_user(role=role))
    invited = creation.invite_user(
        make_user(role="admin"), email="invited@example.org", name="Invited", role="learner"
    )
    db.session.commit()
    path = f"/account/invitation/{creation.tokens.make_invitation_token(invited)}"
    page = client.get(path)
    assert page.status_code == 200
    form = {"password": "a long new password", "confirm": "a long new password"}
    if role != "anonymous":
        assert 'name="password"' not in page.get_data(as_text=True)
        assert client.post(path, data=form).status_code == 409
        client.post("/account/logout", data={"next": path})
    resp = client.post(path, data=form)
    assert resp.status_code == 302
    assert "invited@example.org" in client.get("/account/export").get_data(as_text=True)
