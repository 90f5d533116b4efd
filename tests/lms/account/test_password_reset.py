"""Password reset by e-mail: the link, its expiry, its single use, and the silence about who exists."""

from __future__ import annotations

from lms import signals
from lms.account import tokens
from lms.db import db
from lms.models import User

from .conftest import link_path

NEW = "a brand new passphrase"


def _forgot(client, email):
    resp = client.post("/account/password/forgot", data={"email": email}, follow_redirects=True)
    assert resp.status_code == 200
    return resp.get_data(as_text=True).split("<main", 1)[1]


def _reset_path(client, outbox, user):
    _forgot(client, user.email)
    return link_path(outbox(user.email)[-1], "/account/password/reset/")


def test_answer_is_the_same_whether_or_not_the_address_exists(client, make_user, outbox):
    user = make_user(email="ana@example.org")
    off = make_user(email="off@example.org", is_active_account=False)
    pages = [_forgot(client, e) for e in (user.email, "nobody@example.org", off.email)]
    assert pages[0] == pages[1] == pages[2]
    assert len(outbox(user.email)) == 1
    assert outbox("nobody@example.org") == [] and outbox(off.email) == []


def test_reset_link_sets_new_password_and_only_works_once(client, make_user, outbox):
    user = make_user(email="ana@example.org")
    path = _reset_path(client, outbox, user)
    assert path.startswith("/account/password/reset/")
    assert client.get(path).status_code == 200
    resp = client.post(path, data={"password": NEW, "confirm": NEW})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/account/login")
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(NEW)
    # The same link no longer works: the password it was made for has changed.
    again = client.post(
        path, data={"password": "yet another passphrase", "confirm": "yet another passphrase"}
    )
    assert again.status_code == 400 and "not valid or has already been used" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(NEW)
    assert client.post("/account/login", data={"email": user.email, "password": NEW}).status_code == 302


def test_any_password_change_invalidates_earlier_links(client, make_user, outbox):
    user = make_user(email="ana@example.org")
    path = _reset_path(client, outbox, user)
    user.set_password("changed some other way")
    db.session.commit()
    assert client.get(path).status_code == 400


def test_weak_or_mismatched_new_password_changes_nothing(client, make_user, outbox):
    user = make_user(email="ana@example.org")
    old_hash = user.password_hash
    path = _reset_path(client, outbox, user)
    for data, reason in (
        ({"password": "short", "confirm": "short"}, "between 10 and 256"),
        ({"password": NEW, "confirm": NEW + "!"}, "do not match"),
        ({"password": "ana@example.org", "confirm": "ana@example.org"}, "not be your e-mail"),
    ):
        resp = client.post(path, data=data)
        assert resp.status_code == 400 and reason in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == old_hash
    assert client.get(path).status_code == 200  # the link still works after refused attempts


def test_expired_tampered_and_wrong_purpose_links_are_refused(client, make_user, past):
    user = make_user(email="ana@example.org")
    with past(3 * 3600):
        old = tokens.make_reset_token(user)
    resp = client.get(f"/account/password/reset/{old}")
    assert resp.status_code == 400 and "expired" in resp.get_data(as_text=True)
    good = tokens.make_reset_token(user)
    for bad in (
        good[:-2] + ("xy" if good[-2:] != "xy" else "zz"),
        "nonsense",
        tokens.make_confirm_token(user),
    ):
        resp = client.post(f"/account/password/reset/{bad}", data={"password": NEW, "confirm": NEW})
        assert resp.status_code == 400 and "not valid" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(User, user.id).check_password(NEW)


def test_reset_confirms_an_unconfirmed_address(client, make_user, outbox):
    user = make_user(email="new@example.org", confirmed=False)
    path = _reset_path(client, outbox, user)
    seen = []
    with signals.user_confirmed.connected_to(lambda sender, **kw: seen.append(sender.id)):
        assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).confirmed_dt is not None and seen == [user.id]


def test_reset_link_of_a_deactivated_account_is_refused(client, make_user):
    user = make_user(email="ana@example.org")
    token = tokens.make_reset_token(user)
    user.is_active_account = False
    db.session.commit()
    assert (
        client.post(f"/account/password/reset/{token}", data={"password": NEW, "confirm": NEW}).status_code
        == 400
    )
    db.session.expire_all()
    assert not db.session.get(User, user.id).check_password(NEW)


def test_reset_mail_uses_base_url_not_the_request_host(client, make_user, outbox):
    user = make_user(email="ana@example.org")
    client.post("/account/password/forgot", data={"email": user.email}, headers={"Host": "evil.example"})
    [mail] = outbox(user.email)
    assert "http://lms.test/account/password/reset/" in mail.body and "evil.example" not in mail.body


def test_malformed_address_is_refused_and_sends_nothing(client, countries, outbox):
    resp = client.post("/account/password/forgot", data={"email": "not an address"})
    assert resp.status_code == 400 and "Enter a valid e-mail address." in resp.get_data(as_text=True)
    assert outbox() == []
