"""Deletion requests seen and handled by an administrator."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms import signals
from lms.account.services import request_deletion
from lms.db import db
from lms.models import AuditEntry, DeletionRequest, User


@pytest.fixture
def request_of(make_user):
    user = make_user(name="Léa Learner", email="lea@example.org", country_code="SN")
    req = request_deletion(user, "I left the ministry")
    db.session.commit()
    return user, req


def test_open_requests_are_listed_with_a_link(client, admin, request_of):
    user, _req = request_of
    html = client.get("/admin/deletion-requests").get_data(as_text=True)
    assert "Léa Learner" in html and "I left the ministry" in html
    assert f'href="/admin/deletion-requests/{user.uuid}"' in html
    page = client.get(f"/admin/deletion-requests/{user.uuid}").get_data(as_text=True)
    assert "lea@example.org" in page and "Delete the account" in page
    assert "1 request is waiting." in client.get("/admin/").get_data(as_text=True)


def test_execute_deletion_from_the_page(client, admin, request_of):
    user, req = request_of
    old_uuid = user.uuid
    pseudonyms = []
    with signals.user_deleted.connected_to(lambda sender, pseudonym: pseudonyms.append(pseudonym)):
        resp = client.post(f"/admin/deletion-requests/{old_uuid}/execute", data={"confirm": "y"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/admin/deletion-requests")
    db.session.expire_all()
    u = db.session.get(User, user.id)
    assert u.name == "Deleted user" and u.email.endswith("@invalid") and u.deleted_dt is not None
    r = db.session.get(DeletionRequest, req.id)
    assert r.status == "done" and r.done_by_id == admin.id and r.pseudonym == pseudonyms[0] == u.uuid
    assert db.session.scalar(select(AuditEntry).filter_by(action="user.deleted")).actor_id == admin.id
    html = client.get("/admin/deletion-requests").get_data(as_text=True)
    assert "lea@example.org" not in html and "Léa Learner" not in html
    assert f"Deleted (pseudonym {pseudonyms[0]})" in html
    # The request is no longer open: its page and actions are gone.
    assert client.get(f"/admin/deletion-requests/{old_uuid}").status_code == 404
    assert client.post(f"/admin/deletion-requests/{u.uuid}/execute", data={"confirm": "y"}).status_code == 404


def test_execute_without_confirmation_changes_nothing(client, admin, request_of):
    user, req = request_of
    resp = client.post(f"/admin/deletion-requests/{user.uuid}/execute", data={})
    assert resp.status_code == 400 and "Tick the box to confirm." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).deleted_dt is None
    assert db.session.get(DeletionRequest, req.id).status == "open"


def test_a_failing_receiver_rolls_everything_back(client, admin, request_of):
    user, req = request_of

    def broken(sender, pseudonym):
        raise RuntimeError("LRS down")

    with signals.user_deleted.connected_to(broken), pytest.raises(RuntimeError):
        client.post(f"/admin/deletion-requests/{user.uuid}/execute", data={"confirm": "y"})
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "lea@example.org"
    assert db.session.get(DeletionRequest, req.id).status == "open"


def test_reject_needs_a_reason_and_is_audited(client, admin, request_of):
    user, req = request_of
    resp = client.post(f"/admin/deletion-requests/{user.uuid}/reject", data={"note": ""})
    assert resp.status_code == 400 and "This field is required." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(DeletionRequest, req.id).status == "open"
    resp = client.post(
        f"/admin/deletion-requests/{user.uuid}/reject", data={"note": "Duplicate of an earlier one"}
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(DeletionRequest, req.id).status == "rejected"
    assert db.session.get(User, user.id).deleted_dt is None
    entry = db.session.scalar(select(AuditEntry).filter_by(action="user.deletion_rejected"))
    assert entry.details["note"] == "Duplicate of an earlier one" and entry.target_id == user.uuid


def test_admin_cannot_execute_own_request(client, admin):
    request_deletion(admin, "")
    db.session.commit()
    resp = client.post(f"/admin/deletion-requests/{admin.uuid}/execute", data={"confirm": "y"})
    assert resp.status_code == 400 and "your own deletion request" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).deleted_dt is None


def test_a_rejected_request_tells_its_author_why_in_their_language(client, admin, request_of):
    from lms.models import OutboxMessage

    user, req = request_of
    user.locale = "es"
    db.session.commit()
    page = client.get(f"/admin/deletion-requests/{user.uuid}").get_data(as_text=True)
    assert "The user receives this reason by e-mail and reads it on their data page." in page
    resp = client.post(
        f"/admin/deletion-requests/{user.uuid}/reject", data={"note": "Un certificado está pendiente."}
    )
    assert resp.status_code == 302
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == user.email))
    assert mail is not None and "Un certificado está pendiente." in mail.body
    assert "/account/privacy" in mail.body


def test_a_refused_rejection_sends_nothing(client, admin, request_of):
    from lms.models import OutboxMessage

    user, _req = request_of
    client.post(f"/admin/deletion-requests/{user.uuid}/reject", data={"note": "x" * 2001})
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == user.email)) is None


def test_a_rejection_and_its_reason_are_shown_to_the_admins_and_to_the_user(app, client, admin, request_of):
    from tests.conftest import TEST_PASSWORD

    user, req = request_of
    note = "A certificate of yours is still being checked."
    client.post(f"/admin/deletion-requests/{user.uuid}/reject", data={"note": note})
    html = client.get("/admin/deletion-requests").get_data(as_text=True)
    handled = html.split("<h2>Handled</h2>", 1)[1]
    row = handled.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "Léa Learner" in row and "Rejected" in row and note in row
    assert '<th scope="col">Account</th>' in handled and "Pseudonym" not in handled
    with app.test_client() as own:  # the user, in their own browser
        own.post("/account/login", data={"email": user.email, "password": TEST_PASSWORD})
        page = own.get("/account/privacy").get_data(as_text=True)
        assert "was rejected on" in page and f"<blockquote>{note}</blockquote>" in page
        assert "You can ask again below." in page and 'action="/account/delete"' in page
        own.post("/account/delete", data={"reason": "Again", "confirm": "y"})
        page = own.get("/account/privacy").get_data(as_text=True)
        assert "was rejected on" not in page and "Withdraw my request" in page
