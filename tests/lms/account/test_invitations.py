"""Accepting an administrator's invitation: the mailed link opens a page, in the invitation's
language, where the person chooses a password; that confirms and signs them in. The link works once
and for ``INVITATION_DAYS``; an expired or used one says so and offers a new link."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lms.account import creation, tokens
from lms.db import db
from lms.models import AuditEntry, User

from .conftest import link_path

NEW = "my chosen passphrase"
DAY = 86400


@pytest.fixture
def invite(make_user, outbox):
    """``invite(**values)``: invite someone as an administrator; returns (user, path of the link)."""
    admin = make_user(role="admin", email="admin@example.org", name="Ada Admin")

    def _invite(email="focal@gov.example", name="Fatou Focal", locale="fr", **values):
        user = creation.invite_user(admin, email=email, name=name, role="learner", locale=locale, **values)
        db.session.commit()
        return user, link_path(outbox(email)[-1], "/account/invitation/")

    return _invite


def _fresh(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def _accept(client, path, password=NEW):
    return client.post(path, data={"password": password, "confirm": password})


def test_accepting_sets_the_password_confirms_and_signs_in(client, invite):
    user, path = invite()
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and '<html lang="fr"' in html  # the language of the mail
    assert "Fatou Focal" in html and "focal@gov.example" in html
    resp = _accept(client, path)
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    user = _fresh(user)
    assert user.confirmed_dt is not None and user.check_password(NEW) and user.last_login_dt is not None
    home = client.get("/").get_data(as_text=True)
    assert "Fatou Focal ! Votre mot de passe est enregistré et vous êtes connecté(e)." in home
    assert '<html lang="fr"' in home  # the account's language
    assert client.get("/account/profile").status_code == 200  # signed in
    assert db.session.scalar(
        select(AuditEntry).filter_by(action="user.invite_accepted", target_id=user.uuid, actor_id=user.id)
    )


def test_the_link_works_once(client, invite):
    user, path = invite()
    assert _accept(client, path).status_code == 302
    client.post("/account/logout")
    again = _accept(client, path, "someone else's password")
    html = again.get_data(as_text=True)
    assert again.status_code == 400 and "n’est pas valide ou a déjà été utilisé" in html
    assert 'href="/account/password/forgot"' in html and 'href="/account/login"' in html
    assert _fresh(user).check_password(NEW)
    assert client.get(path).status_code == 400


def test_a_refused_password_keeps_the_link_usable(client, invite):
    user, path = invite()
    resp = _accept(client, path, "short")
    assert resp.status_code == 400 and 'class="error"' in resp.get_data(as_text=True)
    assert _fresh(user).confirmed_dt is None
    assert client.get("/account/profile").status_code == 302  # not signed in
    assert _accept(client, path).status_code == 302


def test_the_link_expires_after_invitation_days(client, app, invite, past):
    with past(15 * DAY):
        old, old_path = invite(email="old@example.org")
    with past(13 * DAY):
        recent, recent_path = invite(email="recent@example.org")
    resp = client.get(old_path)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "This invitation link has expired" in html
    assert 'href="/account/password/forgot"' in html
    assert _accept(client, old_path).status_code == 400 and _fresh(old).confirmed_dt is None
    assert client.get(recent_path).status_code == 200
    app.config["INVITATION_DAYS"] = 30
    assert client.get(old_path).status_code == 200
    app.config["INVITATION_DAYS"] = 7
    assert client.get(recent_path).status_code == 400


def test_the_mail_says_how_long_the_link_is_valid(app, invite, outbox):
    app.config["INVITATION_DAYS"] = 21
    invite()
    body = outbox("focal@gov.example")[-1].body
    assert "Le lien est valable 21 jours" in body and "Ada Admin" in body


def test_other_tokens_are_not_invitations(client, invite):
    user, _path = invite()
    assert client.get(f"/account/invitation/{tokens.make_reset_token(user)}").status_code == 400
    assert client.get(f"/account/invitation/{tokens.make_confirm_token(user)}").status_code == 400
    assert client.get("/account/invitation/not-a-token").status_code == 400
    invitation = tokens.make_invitation_token(user)
    assert client.get(f"/account/password/reset/{invitation}").status_code == 400


def test_a_deactivated_account_cannot_accept(client, invite):
    user, path = invite()
    user.is_active_account = False
    db.session.commit()
    assert _accept(client, path).status_code == 400
    assert _fresh(user).confirmed_dt is None


def test_an_invited_person_can_use_forgot_password_instead(client, invite, outbox):
    user, invitation = invite()
    client.post("/account/password/forgot", data={"email": user.email})
    reset = link_path(outbox(user.email)[-1], "/account/password/reset/")
    assert client.post(reset, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert _fresh(user).confirmed_dt is not None
    assert client.post("/account/login", data={"email": user.email, "password": NEW}).status_code == 302
    assert client.get(invitation).status_code == 400  # the password changed: the invitation is used up


def test_invited_accounts_cannot_sign_in_before_accepting(client, invite):
    user, _path = invite()
    resp = client.post("/account/login", data={"email": user.email, "password": ""})
    assert resp.status_code == 400
    assert re.search(r"not correct|required", resp.get_data(as_text=True))


def test_an_invited_account_has_no_password_anyone_could_guess(invite):
    user, _path = invite()
    stored = _fresh(user).password_hash
    assert "$" not in stored  # not a hash at all: no password, not even this string, matches it
    assert not user.check_password("") and not user.check_password(stored)


def test_asking_for_a_confirmation_link_does_not_confirm_an_invited_account(client, invite, outbox):
    user, path = invite()
    before = len(outbox("focal@gov.example"))
    resp = client.post("/account/confirm", data={"email": "focal@gov.example"})
    assert resp.status_code in (200, 302)
    assert len(outbox("focal@gov.example")) == before  # no confirmation link: the invitation is the way in
    assert _fresh(user).confirmed_dt is None
    assert creation.invitation_of(_fresh(user)) is not None  # still shown to administrators as pending
    assert client.get(path).status_code == 200


def test_opening_it_while_someone_else_is_signed_in_asks_to_sign_out_first(client, invite, make_user, login):
    colleague = make_user(email="colleague@example.org")
    user, path = invite()
    login(colleague)
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "focal@gov.example" in html and "colleague@example.org" in html
    assert 'name="password"' not in html
    assert f'<input type="hidden" name="next" value="{path}">' in html
    # Sent anyway (an old tab): refused, nothing accepted, the colleague still signed in.
    refused = _accept(client, path)
    assert refused.status_code == 409
    fresh = _fresh(user)
    assert fresh.confirmed_dt is None and not fresh.check_password(NEW)
    assert client.get("/account/profile").get_data(as_text=True).count("colleague@example.org") == 1


def test_signing_out_from_that_page_comes_back_to_the_invitation(client, invite, make_user, login):
    colleague = make_user(email="colleague@example.org")
    user, path = invite()
    login(colleague)
    out = client.post("/account/logout", data={"next": path})
    assert out.status_code == 302 and out.headers["Location"] == path
    page = client.get(path).get_data(as_text=True)
    assert 'name="password"' in page
    assert '<html lang="fr"' in page  # the invitation's language, not the colleague's
    assert _accept(client, path).status_code == 302
    assert _fresh(user).check_password(NEW)


def test_signing_out_never_leads_to_another_site(client, make_user, login):
    login(make_user())
    out = client.post("/account/logout", data={"next": "https://evil.example/"})
    assert out.status_code == 302 and out.headers["Location"] == "/"
