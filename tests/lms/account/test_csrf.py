"""With CSRF protection on (as in production), a POST without the token is refused and changes nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from lms.db import db
from lms.models import User


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_register_without_token_is_refused(client, countries):
    resp = client.post(
        "/account/register",
        data={
            "name": "A",
            "email": "a@example.org",
            "password": "mercury-free-2030",
            "confirm": "mercury-free-2030",
            "country": "CH",
            "locale": "en",
        },
    )
    assert resp.status_code == 400
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_login_without_token_is_refused_and_with_token_works(client, make_user):
    make_user(email="ana@example.org")
    data = {"email": "ana@example.org", "password": "correct horse battery staple"}
    assert client.post("/account/login", data=data).status_code == 400
    assert client.get("/account/profile").status_code == 302
    html = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    assert client.post("/account/login", data={**data, "csrf_token": token}).status_code == 302
    assert client.get("/account/profile").status_code == 200


def test_profile_logout_and_admin_posts_without_token_change_nothing(client, make_user, login_without_form):
    admin = make_user(role="admin", country_code="CH")
    target = make_user(role="learner")
    login_without_form(admin)
    assert (
        client.post("/account/profile", data={"name": "Changed", "country": "FR", "locale": "fr"}).status_code
        == 400
    )
    assert client.post(f"/admin/users/{target.uuid}/role", data={"role": "admin"}).status_code == 400
    assert client.post(f"/admin/users/{target.uuid}/deactivate").status_code == 400
    assert client.post("/account/logout").status_code == 400
    assert client.get("/account/profile").status_code == 200  # still signed in
    db.session.expire_all()
    assert db.session.get(User, admin.id).name != "Changed"
    t = db.session.get(User, target.id)
    assert t.role == "learner" and t.is_active_account


def test_every_page_form_carries_the_token(client, make_user, login_without_form):
    admin = make_user(role="admin")
    login_without_form(admin)  # a second session, so that the sessions page shows its forms
    login_without_form(admin)
    for path in (
        "/account/profile",
        "/account/password",
        "/account/sessions",
        "/account/privacy",
        f"/admin/users/{make_user().uuid}",
    ):
        html = client.get(path).get_data(as_text=True)
        forms = html.count('method="post"')
        assert forms and html.count('name="csrf_token"') >= forms, path
