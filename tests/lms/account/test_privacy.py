"""Privacy: downloading one's data, asking for deletion, and what executing a deletion does."""

from __future__ import annotations

import json

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from lms import signals
from lms.account.errors import AccountError
from lms.account.services import execute_deletion, export_user_data, request_deletion
from lms.db import db
from lms.models import AuditEntry, DeletionRequest, User

PASSWORD = "correct horse battery staple"


@pytest.fixture
def user(make_user):
    return make_user(
        email="lea@example.org",
        name="Léa Learner",
        country_code="SN",
        organisation="DEEC",
        is_focal_point=True,
        time_zone="Africa/Dakar",
    )


def test_export_download_has_account_and_every_plugin_section(client, user, login):
    login(user)

    def courses_section(sender, **kw):
        return ("test_courses", {"enrolments": [{"course": "mercury-101", "user": sender.uuid}]})

    def silent(sender, **kw):
        return None

    def clashing(sender, **kw):
        return ("account", {"should": "not overwrite"})

    with (
        signals.user_data_export.connected_to(courses_section),
        signals.user_data_export.connected_to(silent),
        signals.user_data_export.connected_to(clashing),
    ):
        resp = client.get("/account/export")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    assert resp.headers["Cache-Control"] == "no-store"
    data = json.loads(resp.get_data(as_text=True))
    assert data["format"] == "minamata-lms-user-data/1"
    account = data["account"]
    assert (account["email"], account["name"], account["country_code"], account["organisation"]) == (
        "lea@example.org",
        "Léa Learner",
        "SN",
        "DEEC",
    )
    assert account["is_focal_point"] is True and account["uuid"] == user.uuid
    assert account["time_zone"] == "Africa/Dakar" and account["is_reminders_off"] is False
    assert "password_hash" not in account and PASSWORD not in resp.get_data(as_text=True)
    assert data["test_courses"] == {"enrolments": [{"course": "mercury-101", "user": user.uuid}]}
    assert data["account_2"] == {"should": "not overwrite"}


def test_export_serialises_dates_from_plugins(app, user):
    from lms.account.privacy import export_json
    from lms.db import utcnow

    when = utcnow()
    with signals.user_data_export.connected_to(lambda sender, **kw: ("test_section", {"watched_dt": when})):
        text = export_json(export_user_data(user))
    assert json.loads(text)["test_section"]["watched_dt"] == when.isoformat()


def test_privacy_page_offers_export_and_deletion(client, user, login):
    login(user)
    html = client.get("/account/privacy").get_data(as_text=True)
    assert 'href="/account/export"' in html and 'action="/account/delete"' in html
    assert '<label for="reason">' in html


def test_request_deletion_records_it_audits_and_tells_admins(client, user, login, make_user, app):
    from lms.models import OutboxMessage

    admin = make_user(role="admin", email="boss@example.org")
    login(user)
    resp = client.post("/account/delete", data={"reason": "I changed job", "confirm": "y"})
    assert resp.status_code == 302
    req = db.session.scalar(select(DeletionRequest))
    assert (req.user_id, req.reason, req.status) == (user.id, "I changed job", "open")
    entry = db.session.scalar(select(AuditEntry).filter_by(action="user.deletion_requested"))
    assert entry.actor_id == user.id and entry.target_id == user.uuid
    [mail] = db.session.scalars(select(OutboxMessage).filter_by(recipient=admin.email)).all()
    assert "http://lms.test/admin/deletion-requests" in mail.body
    html = client.get("/account/privacy").get_data(as_text=True)
    assert "You asked for your account to be deleted" in html and 'action="/account/delete"' not in html


def test_a_user_withdraws_their_request_before_it_is_handled(client, user, login, make_user):
    admin = make_user(role="admin")
    login(user)
    client.post("/account/delete", data={"reason": "I changed job", "confirm": "y"})
    html = client.get("/account/privacy").get_data(as_text=True)
    assert 'action="/account/delete/withdraw"' in html
    resp = client.post("/account/delete/withdraw", follow_redirects=True)
    assert "Your deletion request is withdrawn" in resp.get_data(as_text=True)
    req = db.session.scalar(select(DeletionRequest))
    assert (req.status, req.done_by_id) == ("withdrawn", user.id) and req.done_dt is not None
    assert (
        db.session.scalar(select(AuditEntry).filter_by(action="user.deletion_withdrawn")).actor_id == user.id
    )
    # The account stays; the form is offered again; the admin sees the outcome and cannot act on it.
    assert user.deleted_dt is None and 'action="/account/delete"' in client.get("/account/privacy").get_data(
        as_text=True
    )
    again = client.post("/account/delete/withdraw", follow_redirects=True).get_data(as_text=True)
    assert "You have no open deletion request" in again
    client.post("/account/logout")
    login(admin)
    listing = client.get("/admin/deletion-requests").get_data(as_text=True)
    assert "Withdrawn by the user" in listing
    assert client.post(
        f"/admin/deletion-requests/{user.uuid}/execute", data={"confirm": "y"}
    ).status_code in (
        400,
        404,
    )
    db.session.expire_all()
    assert db.session.get(type(user), user.id).deleted_dt is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"reason": "fine"}, "Tick the box to confirm."),
        ({"reason": "x" * 2001, "confirm": "y"}, "Field cannot be longer than 2000 characters."),
    ],
)
def test_request_deletion_bad_input_writes_nothing(client, user, login, data, reason):
    login(user)
    resp = client.post("/account/delete", data=data)
    assert resp.status_code == 400 and reason in resp.get_data(as_text=True)
    assert db.session.scalar(select(DeletionRequest)) is None


def test_second_open_request_is_refused(client, user, login):
    login(user)
    assert client.post("/account/delete", data={"confirm": "y"}).status_code == 302
    resp = client.post("/account/delete", data={"confirm": "y", "reason": "again"})
    assert resp.status_code == 400 and "already asked" in resp.get_data(as_text=True)
    assert len(db.session.scalars(select(DeletionRequest)).all()) == 1


def test_a_deleted_account_is_named_in_the_reader_s_language(app, user, make_user):
    """Pages name an erased account through ``display_name``, not the English pseudonym it stores."""
    req = request_deletion(user, "please")
    execute_deletion(req, make_user(role="admin"))
    db.session.commit()
    assert user.name == "Deleted user"
    with app.test_request_context(), force_locale("fr"):
        assert user.display_name == "Utilisateur supprimé"
    assert make_user(name="Léa Martin").display_name == "Léa Martin"


def test_execute_deletion_anonymises_pseudonymises_and_audits(app, user, make_user):
    admin = make_user(role="admin")
    req = request_deletion(user, "please")
    db.session.commit()
    old_uuid, user_id = user.uuid, user.id
    calls = []

    def on_deleted(sender, pseudonym):
        # Receivers see the user still loaded, with the identifiers their records use.
        calls.append((sender.id, sender.uuid, sender.email, pseudonym))

    with signals.user_deleted.connected_to(on_deleted):
        execute_deletion(req, admin)
    db.session.commit()
    [(sid, suuid, semail, pseudonym)] = calls
    assert (sid, suuid, semail) == (user_id, old_uuid, "lea@example.org")
    db.session.expire_all()
    u = db.session.get(User, user_id)
    assert u.email.startswith("deleted-") and u.email.endswith("@invalid") and u.email != "lea@example.org"
    assert u.name == "Deleted user" and u.organisation == "" and u.is_focal_point is False
    assert u.time_zone is None
    assert u.is_active_account is False and u.deleted_dt is not None and not u.is_active
    assert not u.check_password(PASSWORD) and not u.check_password("")
    assert u.uuid == pseudonym != old_uuid
    r = db.session.get(DeletionRequest, req.id)
    assert (r.status, r.done_by_id, r.pseudonym) == ("done", admin.id, pseudonym) and r.done_dt is not None
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.target_id == pseudonym)).all()
    assert {e.action for e in entries} == {"user.deletion_requested", "user.deleted"}
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.target_id == old_uuid)) is None
    everything = json.dumps([e.details for e in entries])
    assert "lea@example.org" not in everything and "Léa" not in everything


def test_two_deleted_accounts_get_distinct_placeholders(app, make_user):
    admin = make_user(role="admin")
    a, b = make_user(), make_user()
    for u in (a, b):
        execute_deletion(request_deletion(u), admin)
    db.session.commit()
    assert a.email != b.email and a.uuid != b.uuid


def test_execute_refuses_handled_or_own_request(app, user, make_user):
    admin = make_user(role="admin")
    req = request_deletion(user)
    execute_deletion(req, admin)
    db.session.commit()
    with pytest.raises(AccountError, match="already been handled"):
        execute_deletion(req, admin)
    own = request_deletion(admin)
    with pytest.raises(AccountError, match="your own deletion request"):
        execute_deletion(own, admin)
    db.session.rollback()
    assert db.session.get(User, admin.id).deleted_dt is None


def test_deleted_user_session_ends_and_cannot_sign_in_again(client, user, login, make_user):
    admin = make_user(role="admin")
    login(user)
    execute_deletion(request_deletion(user), admin)
    db.session.commit()
    assert client.get("/account/profile").status_code == 302
    resp = client.post("/account/login", data={"email": "lea@example.org", "password": PASSWORD})
    assert resp.status_code == 400
