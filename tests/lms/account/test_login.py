"""Signing in and out: credentials, unconfirmed and deactivated accounts, safe redirects, rate limit."""

from __future__ import annotations

import pytest

from lms.db import db, utcnow
from lms.models import User

PASSWORD = "correct horse battery staple"
WRONG = "The e-mail address or password is not correct."


def _post(client, email, password=PASSWORD, **extra):
    return client.post("/account/login", data={"email": email, "password": password, **extra})


def _profile_status(client) -> int:
    return client.get("/account/profile").status_code


def test_login_signs_in_records_time_and_redirects_home(client, make_user):
    user = make_user(email="ana@example.org")
    assert user.last_login_dt is None
    resp = _post(client, "ANA@example.org ")
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_dt is not None
    assert _profile_status(client) == 200


def test_login_page_carries_next_and_follows_a_local_one(client, make_user):
    make_user(email="ana@example.org")
    assert 'value="/courses/x?a=1"' in client.get("/account/login?next=/courses/x?a=1").get_data(as_text=True)
    resp = _post(client, "ana@example.org", next="/account/privacy")
    assert resp.headers["Location"] == "/account/privacy"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "evil.example/x",
        "/\t/evil.example",
        "/%09/evil.example",
    ],
)
def test_open_redirect_attempts_in_next_go_home(client, make_user, target):
    make_user(email="ana@example.org")
    resp = client.post(
        f"/account/login?next={target}", data={"email": "ana@example.org", "password": PASSWORD}
    )
    assert resp.status_code == 302
    location = resp.headers["Location"]
    assert location == "/", location
    resp2 = client.post("/account/logout")
    assert resp2.status_code == 302
    resp3 = _post(client, "ana@example.org", next=target)
    # In a form field nothing is percent-decoded: "/%09/..." stays a harmless local path.
    assert resp3.headers["Location"] in ("/", "/%09/evil.example")


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_user):
    make_user(email="ana@example.org")
    a = _post(client, "ana@example.org", "wrong password!")
    b = _post(client, "nobody@example.org", "wrong password!")
    assert a.status_code == b.status_code == 400
    assert WRONG in a.get_data(as_text=True) and WRONG in b.get_data(as_text=True)
    assert _profile_status(client) == 302


def test_empty_fields_are_refused(client, make_user):
    resp = client.post("/account/login", data={"email": "", "password": ""})
    assert resp.status_code == 400 and "This field is required." in resp.get_data(as_text=True)


def test_unconfirmed_account_is_told_to_confirm_and_offered_a_new_link(client, make_user):
    make_user(email="new@example.org", confirmed=False)
    resp = _post(client, "new@example.org")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Please confirm your e-mail address first" in html
    assert 'href="/account/confirm"' in html
    assert _profile_status(client) == 302


def test_unconfirmed_message_needs_the_right_password(client, make_user):
    make_user(email="new@example.org", confirmed=False)
    html = _post(client, "new@example.org", "wrong password!").get_data(as_text=True)
    assert WRONG in html and "confirm your e-mail" not in html


def test_deactivated_account_is_refused(client, make_user):
    make_user(email="off@example.org", is_active_account=False)
    resp = _post(client, "off@example.org")
    assert resp.status_code == 400 and "This account is deactivated" in resp.get_data(as_text=True)
    assert _profile_status(client) == 302


def test_deleted_account_cannot_sign_in(client, make_user):
    make_user(email="gone@example.org", deleted_dt=utcnow())
    resp = _post(client, "gone@example.org")
    assert resp.status_code == 400 and _profile_status(client) == 302


def test_deactivation_ends_open_sessions(client, make_user, login):
    user = make_user()
    login(user)
    assert _profile_status(client) == 200
    user.is_active_account = False
    db.session.commit()
    assert _profile_status(client) == 302


def test_logout_is_post_only_and_signs_out(client, make_user, login):
    login(make_user())
    assert client.get("/account/logout").status_code == 405
    assert _profile_status(client) == 200
    resp = client.post("/account/logout")
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    assert _profile_status(client) == 302


def test_signed_in_user_visiting_login_is_redirected_safely(client, make_user, login):
    login(make_user())
    assert client.get("/account/login?next=/account/privacy").headers["Location"] == "/account/privacy"
    assert client.get("/account/login?next=https://evil.example/").headers["Location"] == "/"


def test_anonymous_visitor_is_sent_to_login_with_next(client, countries):
    resp = client.get("/account/profile")
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/account/login?next=")


def test_user_locale_applies_after_sign_in(client, make_user):
    from flask_babel import refresh

    make_user(email="fr@example.org", locale="fr")
    client.get("/language/es")
    _post(client, "fr@example.org")
    refresh()  # the tests keep one app context open, where Flask-Babel caches the locale
    html = client.get("/account/profile").get_data(as_text=True)
    assert '<html lang="fr"' in html


def test_a_visitor_who_chose_another_language_is_told_which_one_the_account_uses(client, make_user):
    from flask_babel import refresh

    make_user(email="fr@example.org", locale="fr")
    client.get("/language/es")
    resp = client.post(
        "/account/login", data={"email": "fr@example.org", "password": PASSWORD}, follow_redirects=True
    )
    refresh()
    html = resp.get_data(as_text=True)
    assert '<html lang="fr"' in html
    # Both messages in the account's language (the page's); the second names it and how to change it.
    assert "Vous êtes connecté" in html and "You are signed in." not in html
    assert "français" in html and "la langue de votre compte" in html
    # Someone who had chosen nothing, or the account's own language, is not told.
    client.post("/account/logout")
    client.get("/language/fr")
    again = client.post(
        "/account/login", data={"email": "fr@example.org", "password": PASSWORD}, follow_redirects=True
    )
    assert "la langue de votre compte" not in again.get_data(as_text=True)


def test_signing_out_keeps_the_language_the_person_was_reading(client, make_user, login):
    # A French-speaking learner signs out on a browser set to English: the "signed out" message and the
    # home page stay in French, the language they were just reading.
    login(make_user(locale="fr"))
    resp = client.post("/account/logout", headers={"Accept-Language": "en"}, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert "Vous êtes déconnecté." in html
    assert _profile_status(client) == 302
