"""Sign-in, new confirmation links and password resets are rate-limited (tests disable it elsewhere)."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "3 per minute"}


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/account/login", {"email": "ana@example.org", "password": "wrong password!"}),
        ("/account/confirm", {"email": "ana@example.org"}),
        ("/account/password/forgot", {"email": "ana@example.org"}),
        ("/account/password/reset/sometoken", {"password": "x" * 12, "confirm": "x" * 12}),
    ],
)
def test_fourth_attempt_within_a_minute_gets_429(client, make_user, path, data):
    make_user(email="ana@example.org")
    statuses = [client.post(path, data=data).status_code for _ in range(4)]
    assert 429 not in statuses[:3], statuses
    assert statuses[3] == 429
    resp = client.post(path, data=data)
    assert resp.status_code == 429 and "Too many attempts" in resp.get_data(as_text=True)


def test_the_right_password_is_refused_too_once_limited(client, make_user):
    make_user(email="ana@example.org")
    for _ in range(3):
        client.post("/account/login", data={"email": "ana@example.org", "password": "wrong password!"})
    resp = client.post(
        "/account/login", data={"email": "ana@example.org", "password": "correct horse battery staple"}
    )
    assert resp.status_code == 429
    assert client.get("/account/profile").status_code == 302
    # Reading the page is not limited.
    assert client.get("/account/login").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/account/login", "/account/register", "/account/confirm", "/account/password/forgot"],
)
def test_one_address_is_limited_whatever_the_visitors_address(app, client, make_user, path):
    app.config.update(RATELIMIT_LOGIN="100 per minute", RATELIMIT_PER_ADDRESS="3 per hour")
    make_user(email="ana@example.org")
    data = {"email": "ana@example.org", "password": "wrong password!"}
    statuses = [
        client.post(path, data=data, environ_base={"REMOTE_ADDR": f"192.0.2.{n}"}).status_code
        for n in range(1, 5)
    ]
    assert 429 not in statuses[:3], statuses
    assert statuses[3] == 429
    # The same address in other case and spacing is the same address.
    resp = client.post(
        path, data=data | {"email": "  ANA@example.org "}, environ_base={"REMOTE_ADDR": "192.0.2.9"}
    )
    assert resp.status_code == 429
    # Another address, from the same visitors, still gets through.
    other = client.post(
        path, data=data | {"email": "ben@example.org"}, environ_base={"REMOTE_ADDR": "192.0.2.1"}
    )
    assert other.status_code != 429


def test_a_form_without_an_address_is_told_what_is_missing_not_to_wait(app, client):
    app.config.update(RATELIMIT_LOGIN="100 per minute", RATELIMIT_PER_ADDRESS="2 per hour")
    for n in range(4):
        resp = client.post(
            "/account/login",
            data={"email": " ", "password": "x"},
            environ_base={"REMOTE_ADDR": f"192.0.2.{n}"},
        )
        assert resp.status_code == 400, resp.status_code


def test_a_json_body_is_counted_against_its_address_too(app, client, make_user):
    # Flask-WTF reads a JSON body as the form: sending it that way must not escape the count.
    app.config.update(RATELIMIT_LOGIN="100 per minute", RATELIMIT_PER_ADDRESS="3 per hour")
    make_user(email="ana@example.org")
    guess = {"email": "ana@example.org", "password": "wrong password!"}
    statuses = [
        client.post("/account/login", json=guess, environ_base={"REMOTE_ADDR": f"192.0.2.{n}"}).status_code
        for n in range(1, 5)
    ]
    assert statuses[:3] == [400, 400, 400] and statuses[3] == 429, statuses
    form = client.post("/account/login", data=guess, environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert form.status_code == 429


def test_signing_in_does_not_use_up_the_address(app, client, make_user):
    app.config.update(RATELIMIT_LOGIN="100 per minute", RATELIMIT_PER_ADDRESS="2 per hour")
    make_user(email="ana@example.org")
    right = {"email": "ana@example.org", "password": "correct horse battery staple"}
    for _ in range(3):
        assert client.post("/account/login", data=right).status_code == 302
        client.post("/account/logout")
    wrong = right | {"password": "wrong password!"}
    assert [client.post("/account/login", data=wrong).status_code for _ in range(3)] == [400, 400, 429]


def test_the_limiters_storage_holds_no_address(app):
    from lms.account.views import _address_key

    with app.test_request_context("/account/login", method="POST", data={"email": " Ana@Example.org"}):
        key = _address_key()
    with app.test_request_context("/account/login", method="POST", data={"email": "ana@example.org"}):
        assert _address_key() == key
    assert "ana" not in key.lower() and key.startswith("address:")


def test_every_spelling_of_one_address_is_counted_as_that_address(app, client, make_user):
    # Registration stores "ana@ｅxample.org" (a full-width letter) as ana@example.org: same account,
    # so the same count (each attempt would mail the account's owner).
    app.config.update(RATELIMIT_LOGIN="100 per minute", RATELIMIT_PER_ADDRESS="3 per hour")
    make_user(email="ana@example.org")
    spellings = ["ana@ｅxample.org", "ANA@example.org", "ana@ｅｘample.org", "Ana@Example.org "]
    statuses = [
        client.post(
            "/account/register",
            data={"email": email, "name": "Ana", "password": "x" * 12, "confirm": "x" * 12},
            environ_base={"REMOTE_ADDR": f"192.0.2.{n}"},
        ).status_code
        for n, email in enumerate(spellings, start=1)
    ]
    assert 429 not in statuses[:3] and statuses[3] == 429, statuses
