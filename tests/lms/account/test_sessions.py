"""A new password ends the account's other open sessions: someone who signed in with a stolen password
(or holds a stolen session cookie) loses access once the owner changes or resets it."""

from __future__ import annotations

from .conftest import link_path

PASSWORD = "correct horse battery staple"
NEW = "a brand new passphrase"


def _signed_in(client) -> bool:
    return client.get("/account/profile").status_code == 200


def _sign_in(client, user, password=PASSWORD):
    resp = client.post("/account/login", data={"email": user.email, "password": password})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]


def test_changing_the_password_signs_out_other_sessions_but_not_this_one(app, client, make_user):
    user = make_user(email="ana@example.org")
    other = app.test_client()
    _sign_in(client, user)
    _sign_in(other, user)
    assert _signed_in(other)
    resp = client.post(
        "/account/password", data={"current_password": PASSWORD, "password": NEW, "confirm": NEW}
    )
    assert resp.status_code == 302
    assert _signed_in(client)
    assert not _signed_in(other)
    # Signing in again with the new password works as usual.
    _sign_in(other, user, NEW)
    assert _signed_in(other)


def test_a_password_reset_signs_out_every_open_session(app, client, make_user, outbox):
    user = make_user(email="ana@example.org")
    other = app.test_client()
    _sign_in(other, user)
    client.post("/account/password/forgot", data={"email": user.email})
    path = link_path(outbox(user.email)[-1], "/account/password/reset/")
    assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert not _signed_in(other)
