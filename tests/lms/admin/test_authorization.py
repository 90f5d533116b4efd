"""Every administration route is for administrators only: anonymous visitors are sent to sign in,
learners, trainers and coordinators get 403, administrators get the page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.account.services import request_deletion
from lms.db import db
from lms.models import AuditEntry, DeletionRequest, User

ROLES = ("anonymous", "learner", "trainer", "coordinator", "admin")

ENDPOINTS_COVERED = {
    "admin.index",
    "admin.users",
    "admin.user",
    "admin.change_role",
    "admin.change_country",
    "admin.deactivate",
    "admin.reactivate",
    "admin.deletion_requests",
    "admin.deletion_request",
    "admin.execute_deletion_request",
    "admin.reject_deletion_request",
    "admin.countries",
    "admin.invite",
    "admin.invite_csv",
    "admin.resend_invitation",
}


def _expect(admin_status):
    return {"anonymous": 302, "learner": 403, "trainer": 403, "coordinator": 403, "admin": admin_status}


# (endpoint, method, path template, form data, expected); {t} is the target user's UUID.
CASES = [
    ("admin.index", "GET", "/admin/", None, _expect(200)),
    ("admin.users", "GET", "/admin/users?q=target", None, _expect(200)),
    ("admin.user", "GET", "/admin/users/{t}", None, _expect(200)),
    ("admin.change_role", "POST", "/admin/users/{t}/role", {"role": "trainer"}, _expect(302)),
    ("admin.change_country", "POST", "/admin/users/{t}/country", {"country": "SN"}, _expect(302)),
    ("admin.deactivate", "POST", "/admin/users/{t}/deactivate", {}, _expect(302)),
    ("admin.reactivate", "POST", "/admin/users/{t}/reactivate", {}, _expect(302)),
    ("admin.deletion_requests", "GET", "/admin/deletion-requests", None, _expect(200)),
    ("admin.deletion_request", "GET", "/admin/deletion-requests/{t}", None, _expect(200)),
    # Without the confirmation box / the note the forms are refused: nothing is deleted here.
    ("admin.execute_deletion_request", "POST", "/admin/deletion-requests/{t}/execute", {}, _expect(400)),
    ("admin.reject_deletion_request", "POST", "/admin/deletion-requests/{t}/reject", {}, _expect(400)),
    ("admin.countries", "GET", "/admin/countries", None, _expect(200)),
    ("admin.invite", "GET", "/admin/users/invite", None, _expect(200)),
    (
        "admin.invite",
        "POST",
        "/admin/users/invite",
        {"email": "invited@example.org", "name": "Invited Person", "role": "learner", "locale": "fr"},
        _expect(302),
    ),
    # Without a file the upload is refused; the target registered themselves: no invitation to resend.
    ("admin.invite_csv", "POST", "/admin/users/invite/csv", {}, _expect(400)),
    ("admin.resend_invitation", "POST", "/admin/users/{t}/invitation", {}, _expect(400)),
    (
        "admin.users",
        "POST",
        "/admin/users",
        {},
        _expect(405) | {"anonymous": 405, "learner": 405, "trainer": 405, "coordinator": 405},
    ),
]


def test_every_covered_endpoint_has_a_case():
    assert {c[0] for c in CASES} == ENDPOINTS_COVERED


@pytest.mark.parametrize("role", ROLES)
def test_admin_routes_by_role(client, make_user, login, role):
    target = make_user(name="Target Person", role="learner")
    request_deletion(target, "")
    db.session.commit()
    if role != "anonymous":
        login(make_user(role=role))
    failures = []
    for endpoint, method, path, data, expected in CASES:
        url = path.format(t=target.uuid)
        resp = client.open(url, method=method, data=data)
        if resp.status_code != expected[role]:
            failures.append(f"{method} {url} ({endpoint}): {resp.status_code}, expected {expected[role]}")
        elif role == "anonymous" and resp.status_code == 302:
            assert resp.headers["Location"].startswith("/account/login?next="), url
    assert not failures, "\n".join(failures)
    db.session.expire_all()
    t = db.session.get(User, target.id)
    if role == "admin":
        assert t.role == "trainer" and t.is_active_account  # changed, deactivated, reactivated
        assert [
            e.action
            for e in db.session.scalars(
                select(AuditEntry).where(AuditEntry.actor_id.is_not(None)).order_by(AuditEntry.id)
            )
        ] == [
            "user.deletion_requested",
            "user.role",
            "user.country",
            "user.deactivate",
            "user.reactivate",
            "user.invite",
        ]
        assert db.session.scalar(select(User).filter_by(email="invited@example.org")).confirmed_dt is None
    else:
        assert t.role == "learner" and t.is_active_account
        assert (
            db.session.scalar(select(AuditEntry).where(AuditEntry.action != "user.deletion_requested"))
            is None
        )
        assert db.session.scalar(select(User).filter_by(email="invited@example.org")) is None
    assert db.session.scalar(select(DeletionRequest)).status == "open" and t.deleted_dt is None
