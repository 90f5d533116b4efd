"""With CSRF protection on (as in production), the invitation forms refuse a POST without the token
and change nothing; each page carries the token in every form."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from sqlalchemy import func, select

from lms.account import creation, tokens
from lms.db import db
from lms.models import OutboxMessage, User


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def _users() -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_invite_forms_need_the_token(client, make_user, login_without_form):
    admin = make_user(role="admin")
    login_without_form(admin)
    data = {"email": "new@example.org", "name": "New", "role": "learner", "locale": "en"}
    before = _users()
    assert client.post("/admin/users/invite", data=data).status_code == 400
    csv = {"file": (BytesIO(b"email,name\nnew@example.org,New\n"), "people.csv")}
    assert (
        client.post("/admin/users/invite/csv", data=csv, content_type="multipart/form-data").status_code
        == 400
    )
    assert _users() == before
    html = client.get("/admin/users/invite").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert html.count('name="csrf_token"') >= html.count('method="post"') >= 2
    assert client.post("/admin/users/invite", data={**data, "csrf_token": _token(html)}).status_code == 302
    assert _users() == before + 1


def test_resend_and_accept_need_the_token(client, make_user, login_without_form):
    admin = make_user(role="admin")
    invited = creation.invite_user(admin, email="new@example.org", name="New", role="learner")
    db.session.commit()
    login_without_form(admin)
    assert client.post(f"/admin/users/{invited.uuid}/invitation").status_code == 400
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
    page = client.get(f"/admin/users/{invited.uuid}").get_data(as_text=True)
    assert f'action="/admin/users/{invited.uuid}/invitation"' in page
    assert page.count('name="csrf_token"') >= page.count('method="post"')
    client.post("/account/logout", data={"csrf_token": _token(page)})
    path = f"/account/invitation/{tokens.make_invitation_token(invited)}"
    password = {"password": "a long new password", "confirm": "a long new password"}
    assert client.post(path, data=password).status_code == 400
    db.session.expire_all()
    assert db.session.get(User, invited.id).confirmed_dt is None
    html = client.get(path).get_data(as_text=True)
    assert client.post(path, data={**password, "csrf_token": _token(html)}).status_code == 302
