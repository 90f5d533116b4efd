"""E-mail confirmation links and asking for a new one."""

from __future__ import annotations

from sqlalchemy import select

from lms import signals
from lms.account import tokens
from lms.db import db
from lms.models import User

from .conftest import link_path


def _register(client, email="fp@example.org"):
    resp = client.post(
        "/account/register",
        data={
            "name": "Focal Point",
            "email": email,
            "password": "mercury-free-2030",
            "confirm": "mercury-free-2030",
            "country": "CH",
            "locale": "en",
        },
        follow_redirects=True,
    )
    assert resp.status_code == 200 and resp.request.path == "/account/login"
    return db.session.scalar(select(User).filter_by(email=email))


def test_confirmation_link_confirms_once_and_emits_signal(client, countries, outbox):
    user = _register(client)
    path = link_path(outbox(user.email)[0], "/account/confirm/")
    seen = []
    with signals.user_confirmed.connected_to(lambda sender, **kw: seen.append(sender.uuid)):
        resp = client.get(path)
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/account/login")
        db.session.expire_all()
        first = db.session.get(User, user.id).confirmed_dt
        assert first is not None
        # Opening the link again is harmless: same date, no second signal.
        assert client.get(path).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).confirmed_dt == first
    assert seen == [user.uuid]


def test_confirmed_user_can_then_sign_in(client, countries, outbox):
    user = _register(client)
    client.get(link_path(outbox(user.email)[0], "/account/confirm/"))
    resp = client.post("/account/login", data={"email": "fp@example.org", "password": "mercury-free-2030"})
    assert resp.status_code == 302


def _refused(client, path):
    resp = client.get(path)
    assert resp.status_code == 400
    return resp.get_data(as_text=True)


def test_bad_tampered_and_wrong_purpose_tokens_are_refused(client, countries, outbox):
    user = _register(client)
    path = link_path(outbox(user.email)[0], "/account/confirm/")
    token = path.rsplit("/", 1)[1]
    assert "not valid" in _refused(client, "/account/confirm/garbage")
    tampered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    assert "not valid" in _refused(client, f"/account/confirm/{tampered}")
    body, sig = token.split(".", 1)
    assert "not valid" in _refused(client, f"/account/confirm/{body[:-1]}x.{sig}")
    reset_token = tokens.make_reset_token(user)
    assert "not valid" in _refused(client, f"/account/confirm/{reset_token}")
    db.session.expire_all()
    assert db.session.get(User, user.id).confirmed_dt is None


def test_token_signed_with_another_key_is_refused(client, app, countries):
    from itsdangerous import URLSafeTimedSerializer

    user = _register(client)
    forged = URLSafeTimedSerializer("not-the-secret", salt=tokens.CONFIRM_SALT).dumps(
        {"u": user.uuid, "e": user.email}
    )
    assert "not valid" in _refused(client, f"/account/confirm/{forged}")


def test_expired_token_is_refused_with_a_way_forward(client, countries, past):
    user = _register(client)
    with past(8 * 24 * 3600):
        token = tokens.make_confirm_token(user)
    html = _refused(client, f"/account/confirm/{token}")
    assert "expired" in html and "/account/confirm" in html  # link to ask for a new one
    db.session.expire_all()
    assert db.session.get(User, user.id).confirmed_dt is None


def test_resend_confirmation_sends_only_to_unconfirmed_accounts_and_reveals_nothing(
    client, countries, make_user, outbox
):
    user = _register(client)
    done = make_user(email="done@example.org")
    answers = []
    for email in (user.email, done.email, "nobody@example.org"):
        resp = client.post("/account/confirm", data={"email": email}, follow_redirects=True)
        assert resp.status_code == 200
        answers.append(resp.get_data(as_text=True).split("<main", 1)[1])
    assert answers[0] == answers[1] == answers[2]
    assert len(outbox(user.email)) == 2  # registration + resend
    assert outbox(done.email) == [] and outbox("nobody@example.org") == []


def test_resend_confirmation_refuses_malformed_address(client, countries, outbox):
    resp = client.post("/account/confirm", data={"email": "nope"})
    assert resp.status_code == 400 and "Enter a valid e-mail address." in resp.get_data(as_text=True)
    assert outbox() == []


def test_the_link_opens_in_the_accounts_language_in_another_browser(app, client, countries, outbox):
    client.post(
        "/account/register",
        data={
            "name": "Punto Focal",
            "email": "pf@example.org",
            "password": "mercury-free-2030",
            "confirm": "mercury-free-2030",
            "country": "ES",
            "locale": "es",
        },
    )
    path = link_path(outbox("pf@example.org")[0], "/account/confirm/")
    other_browser = app.test_client()
    resp = other_browser.get(path, headers={"Accept-Language": "en"}, follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert resp.request.path == "/account/login" and '<html lang="es"' in page
    # A visitor who chose a language in that browser keeps it.
    chooser = app.test_client()
    chooser.get("/language/fr")
    page = chooser.get(path, follow_redirects=True).get_data(as_text=True)
    assert '<html lang="fr"' in page


def test_the_link_leaves_the_language_of_someone_else_signed_in(client, countries, outbox, make_user, login):
    client.post(
        "/account/register",
        data={
            "name": "Punto Focal",
            "email": "pf2@example.org",
            "password": "mercury-free-2030",
            "confirm": "mercury-free-2030",
            "country": "ES",
            "locale": "es",
        },
    )
    path = link_path(outbox("pf2@example.org")[0], "/account/confirm/")
    login(make_user(locale="en"))  # a colleague's browser, signed in as the colleague
    resp = client.get(path, follow_redirects=True)
    assert '<html lang="en"' in resp.get_data(as_text=True)
    with client.session_transaction() as sess:
        assert sess.get("lang") != "es"


def test_where_the_visitor_was_going_is_kept_through_registration_confirmation_and_sign_in(
    client, countries, outbox
):
    going = "/webinars/s/demo-upcoming-session"
    login_page = client.get(f"/account/login?next={going}").get_data(as_text=True)
    assert f'href="/account/register?next={going}"' in login_page
    register_page = client.get(f"/account/register?next={going}").get_data(as_text=True)
    assert f'action="/account/register?next={going}"' in register_page
    resp = client.post(
        f"/account/register?next={going}",
        data={
            "name": "Focal Point",
            "email": "fp@example.org",
            "password": "mercury-free-2030",
            "confirm": "mercury-free-2030",
            "country": "CO",
            "locale": "es",
        },
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/account/login?next={going}")
    user = db.session.scalar(select(User).filter_by(email="fp@example.org"))
    resp = client.get(link_path(outbox(user.email)[0], "/account/confirm/"))
    assert resp.headers["Location"].endswith(f"/account/login?next={going}")
    resp = client.post(
        "/account/login", data={"email": "fp@example.org", "password": "mercury-free-2030", "next": going}
    )
    assert resp.status_code == 302 and resp.headers["Location"] == going


def test_an_address_off_the_site_is_not_carried_through_registration(client, countries):
    page = client.get("/account/register?next=https://evil.example/").get_data(as_text=True)
    assert 'action="/account/register"' in page


def test_where_one_registration_was_going_is_not_followed_by_another_account_s_confirmation(
    client, countries, outbox
):
    register = {
        "password": "mercury-free-2030",
        "confirm": "mercury-free-2030",
        "country": "CO",
        "locale": "en",
    }
    client.post(
        "/account/register?next=/account/data", data={**register, "name": "A", "email": "a@example.org"}
    )
    client.application.test_client().post(
        "/account/register", data={**register, "name": "B", "email": "b@example.org"}
    )
    # B confirms in the browser where A registered (a shared computer): B is not sent where A was going.
    resp = client.get(link_path(outbox("b@example.org")[0], "/account/confirm/"))
    assert resp.headers["Location"].endswith("/account/login")
