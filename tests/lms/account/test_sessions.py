"""A new password ends the account's other open sessions: someone who signed in with a stolen password
(or holds a stolen session cookie) loses access once the owner changes or resets it."""

from __future__ import annotations

import re

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


# --- signed-in sessions: signing out ends the session for good; each can be ended from elsewhere ----

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0"
PHONE = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)


def _browser(app, user, agent, password=PASSWORD):
    """A new browser (test client) signed in as ``user``, saying it is ``agent``."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    _sign_in(client, user, password)
    return client


def _records(user):
    from sqlalchemy import select

    from lms.db import db
    from lms.models import SignInSession

    db.session.expire_all()
    return list(
        db.session.scalars(select(SignInSession).filter_by(user_id=user.id).order_by(SignInSession.id))
    )


def test_signing_out_ends_a_copied_session_cookie(app, make_user):
    user = make_user()
    laptop = _browser(app, user, FIREFOX)
    copy = app.test_client()
    domain = app.config["SERVER_NAME"]
    copy.set_cookie("session", laptop.get_cookie("session", domain=domain).value, domain=domain)
    assert _signed_in(copy)
    assert laptop.post("/account/logout").status_code == 302
    assert not _signed_in(laptop)
    assert not _signed_in(copy)  # the copy taken before signing out opens nothing any more
    assert _records(user) == []


def test_the_sessions_page_lists_each_browser_and_ends_another_one(app, make_user):
    user = make_user()
    laptop = _browser(app, user, FIREFOX)
    phone = _browser(app, user, PHONE)
    html = laptop.get("/account/sessions").get_data(as_text=True)
    assert "Firefox on Windows" in html and "Chrome Mobile on Android" in html
    assert html.count("This browser") == 1
    assert html.count("Sign out this session") == 1  # not offered for the browser itself
    phone_record = next(r for r in _records(user) if r.browser == "Chrome Mobile")
    resp = laptop.post(f"/account/sessions/{phone_record.id}/end", follow_redirects=True)
    assert "That session is signed out." in resp.get_data(as_text=True)
    assert not _signed_in(phone)
    assert _signed_in(laptop)
    assert [r.browser for r in _records(user)] == ["Firefox"]


def test_sign_out_everywhere_else_keeps_this_browser(app, make_user):
    user = make_user()
    laptop = _browser(app, user, FIREFOX)
    others = [_browser(app, user, PHONE) for _ in range(2)]
    resp = laptop.post("/account/sessions/end-others", follow_redirects=True)
    assert "Signed out everywhere else (2 sessions)." in resp.get_data(as_text=True)
    assert _signed_in(laptop)
    assert not any(_signed_in(o) for o in others)
    assert len(_records(user)) == 1


def test_nobody_ends_another_persons_session(app, make_user):
    ana, ben = make_user(), make_user()
    ana_browser = _browser(app, ana, FIREFOX)
    ben_browser = _browser(app, ben, PHONE)
    (ben_record,) = _records(ben)
    resp = ana_browser.post(f"/account/sessions/{ben_record.id}/end", follow_redirects=True)
    assert "That session had already ended." in resp.get_data(as_text=True)
    assert _signed_in(ben_browser)
    assert len(_records(ben)) == 1
    # Ben's session is not listed on Ana's page either.
    assert "Chrome Mobile" not in ana_browser.get("/account/sessions").get_data(as_text=True)


def test_an_idle_session_is_signed_out_and_then_pruned(app, make_user):
    from datetime import timedelta

    from lms.db import db, utcnow
    from lms.scheduler import run_once

    user = make_user()
    browser = _browser(app, user, FIREFOX)
    (record,) = _records(user)
    record.last_seen_dt = utcnow() - timedelta(days=app.config["SESSION_IDLE_DAYS"], minutes=1)
    db.session.commit()
    assert not _signed_in(browser)
    kept = _browser(app, user, PHONE)
    result = app.test_cli_runner().invoke(run_once, ["lms.prune_sign_ins"])
    assert result.exit_code == 0, result.output
    assert [r.browser for r in _records(user)] == ["Chrome Mobile"]
    assert _signed_in(kept)


def test_use_is_noted_at_most_every_ten_minutes(app, make_user):
    from datetime import timedelta

    from lms.db import db, utcnow

    user = make_user()
    browser = _browser(app, user, FIREFOX)
    (record,) = _records(user)
    recent = utcnow() - timedelta(minutes=5)
    record.last_seen_dt = recent
    db.session.commit()
    assert _signed_in(browser)
    assert _records(user)[0].last_seen_dt == recent  # not written for every page
    stale = utcnow() - timedelta(minutes=11)
    _records(user)[0].last_seen_dt = stale
    db.session.commit()
    assert _signed_in(browser)
    assert _records(user)[0].last_seen_dt > utcnow() - timedelta(minutes=1)


def test_a_new_password_ends_the_other_sessions_records_too(app, client, make_user, outbox):
    user = make_user(email="ana@example.org")
    _sign_in(client, user)
    _browser(app, user, PHONE)
    assert len(_records(user)) == 2
    client.post("/account/password", data={"current_password": PASSWORD, "password": NEW, "confirm": NEW})
    assert len(_records(user)) == 1  # the page lists what is really open
    client.post("/account/logout")
    _browser(app, user, FIREFOX, NEW)
    client.post("/account/password/forgot", data={"email": user.email})
    path = link_path(outbox(user.email)[-1], "/account/password/reset/")
    assert client.post(path, data={"password": PASSWORD, "confirm": PASSWORD}).status_code == 302
    assert _records(user) == []


def test_deactivating_an_account_ends_its_sessions(app, client, make_user, login):
    user = make_user()
    _browser(app, user, PHONE)
    login(make_user(role="admin"))
    assert client.post(f"/admin/users/{user.uuid}/deactivate").status_code == 302
    assert _records(user) == []


def test_device_labels_in_the_readers_language(app):
    from lms.account.sign_ins import device_label
    from lms.models import SignInSession

    with app.test_request_context():
        assert device_label(SignInSession(browser="Firefox", system="Windows")) == "Firefox on Windows"
        assert device_label(SignInSession(browser="Other", system="")) == "Unknown browser"
        assert device_label(SignInSession(browser="curl", system="Other")) == "curl"


def test_a_failed_note_of_use_does_not_fail_the_page(app, client, make_user, monkeypatch):
    """The page asked for is served (and its work kept) when noting the session's use fails."""
    from datetime import timedelta

    from sqlalchemy.exc import OperationalError

    from lms.account import sign_ins
    from lms.db import db, utcnow
    from lms.models import User

    user = make_user()
    _sign_in(client, user)
    (record,) = _records(user)
    record.last_seen_dt = utcnow() - timedelta(minutes=30)
    db.session.commit()

    def busy(*_a, **_k):
        raise OperationalError("UPDATE sign_in_session", {}, Exception("database is locked"))

    monkeypatch.setattr(sign_ins, "touch", busy)
    resp = client.post(
        "/account/profile", data={"name": "Ana Lima", "country": "FR", "organisation": "", "locale": "en"}
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Ana Lima"


def test_a_reset_link_opened_in_someone_elses_browser_ends_their_session(app, client, make_user, outbox):
    ana, ben = make_user(email="ana@example.org"), make_user(email="ben@example.org")
    _sign_in(client, ben)
    domain = app.config["SERVER_NAME"]
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session", domain=domain).value, domain=domain)
    app.test_client().post("/account/password/forgot", data={"email": ana.email})
    path = link_path(outbox(ana.email)[-1], "/account/password/reset/")
    assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert not _signed_in(client)
    assert not _signed_in(copy)  # Ben's session is ended, not only forgotten by this browser
    assert _records(ben) == []


def test_the_data_export_lists_the_signed_in_sessions(app, client, make_user):
    import json

    user = make_user()
    client.environ_base["HTTP_USER_AGENT"] = FIREFOX
    _sign_in(client, user)
    data = json.loads(client.get("/account/export").get_data(as_text=True))
    (entry,) = data["signed_in_sessions"]
    assert entry["browser"] == "Firefox" and entry["system"] == "Windows" and entry["created_dt"]


def test_each_sign_out_button_names_its_session(app, make_user):
    user = make_user()
    laptop = _browser(app, user, FIREFOX)
    _browser(app, user, PHONE)
    html = laptop.get("/account/sessions").get_data(as_text=True)
    assert 'Sign out this session<span class="visually-hidden"> (Chrome Mobile on Android, ' in html


def test_signing_in_starts_a_fresh_session(app, client, make_user):
    """Nothing planted in the browser's session before signing in (a CSRF token, any value) survives it."""
    user = make_user()
    with client.session_transaction() as sess:
        sess["csrf_token"] = "planted-before-sign-in"
        sess["planted"] = "x"
    _sign_in(client, user)
    with client.session_transaction() as sess:
        assert sess.get("csrf_token") != "planted-before-sign-in"
        assert "planted" not in sess
        assert sess["_user_id"] == user.uuid
    assert _signed_in(client)


def test_when_a_session_was_used_is_written_like_when_it_began(app, make_user):
    import re

    user = make_user()
    laptop = _browser(app, user, FIREFOX)
    html = laptop.get("/account/sessions").get_data(as_text=True)
    # One way of writing dates in the sentence ("Nov 2, 2026" … "Nov 24, 2026, 11:17 PM"), not "11/24/26".
    date = r"[A-Z][a-z]{2} \d{1,2}, \d{4}"
    # The time is in the reader's zone (France's, for a user in France), and says which.
    zone = "Central European (Standard|Summer) Time"
    sentence = rf"Signed in {date}; last used {date}, \d{{1,2}}:\d{{2}}\u202f[AP]M {zone}"
    assert re.search(sentence, html), html
    assert not re.search(r"\d{1,2}/\d{1,2}/\d{2}", html)


def test_each_sign_out_button_names_its_session_in_the_reader_s_punctuation(app, make_user):
    user = make_user(locale="ar")
    laptop = _browser(app, user, FIREFOX)
    _browser(app, user, PHONE)
    html = laptop.get("/account/sessions").get_data(as_text=True)
    hidden = re.findall(r'<span class="visually-hidden">(.*?)</span>', html)
    phone = [text for text in hidden if "Android" in text]
    assert phone and phone[0].startswith(" (") and "، " in phone[0] and ": " not in phone[0]
