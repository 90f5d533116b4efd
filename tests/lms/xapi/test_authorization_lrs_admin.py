"""The LRS administration pages (/admin/lrs/) are for administrators only: anonymous visitors are sent to
sign in, learners, trainers and coordinators get 403, administrators get the page or the action."""

from __future__ import annotations

import pytest

from lms.db import db
from lms.xapi.auth import create_client
from lms.xapi.forwarding import ForwardItem, save_endpoint

ROLES = ("anonymous", "learner", "trainer", "coordinator", "admin")

ENDPOINTS_COVERED = {
    "xapi_admin.index",
    "xapi_admin.client_new",
    "xapi_admin.client_deactivate",
    "xapi_admin.endpoint_new",
    "xapi_admin.endpoint_edit",
    "xapi_admin.endpoint_toggle",
    "xapi_admin.dead_letters",
    "xapi_admin.dead_retry",
    "xapi_admin.dead_retry_all",
}


def _expect(admin_status):
    return {"anonymous": 302, "learner": 403, "trainer": 403, "coordinator": 403, "admin": admin_status}


SID = "3c9a2f7e-0d6b-4c9b-9a64-0f4b0c3d1e2a"
# (method, path template, form data, expected); {e} endpoint uuid, {k} client key.
CASES = [
    ("GET", "/admin/lrs/", None, _expect(200)),
    ("GET", "/admin/lrs/clients/new", None, _expect(200)),
    ("POST", "/admin/lrs/clients/new", {"name": "Ralph", "scopes": ["statements/write"]}, _expect(200)),
    ("POST", "/admin/lrs/clients/{k}/deactivate", {}, _expect(302)),
    ("GET", "/admin/lrs/endpoints/new", None, _expect(200)),
    (
        "POST",
        "/admin/lrs/endpoints/new",
        {"name": "x", "endpoint": "https://x.example.org/xapi/", "version": "1.0.3", "filter_kind": "all"},
        _expect(302),
    ),
    ("GET", "/admin/lrs/endpoints/{e}/edit", None, _expect(200)),
    (
        "POST",
        "/admin/lrs/endpoints/{e}/edit",
        {
            "name": "ext",
            "endpoint": "https://y.example.org/xapi/",
            "version": "1.0.3",
            "filter_kind": "all",
            "is_active": "y",
        },
        _expect(302),
    ),
    ("POST", "/admin/lrs/endpoints/{e}/toggle", {}, _expect(302)),
    ("GET", "/admin/lrs/dead", None, _expect(200)),
    ("GET", "/admin/lrs/dead?target={e}", None, _expect(200)),
    ("POST", "/admin/lrs/endpoints/{e}/dead/" + SID + "/retry", {}, _expect(302)),
    ("POST", "/admin/lrs/dead/retry-all", {}, _expect(302)),
]


@pytest.fixture
def targets(app):
    endpoint = save_endpoint(None, name="ext", url="https://x.example.org/xapi/")
    db.session.add(ForwardItem(endpoint_id=endpoint.id, statement_id=SID, status="dead", attempts=8))
    _client, key, _secret = create_client("reader", ["statements/read"])
    db.session.commit()
    return {"e": endpoint.uuid, "k": key}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "data", "expected"), CASES)
def test_lrs_admin_is_for_administrators(
    client, make_user, login, targets, role, method, path, data, expected
):
    if role != "anonymous":
        login(make_user(role=role))
    url = path.format(**targets)
    resp = client.get(url) if method == "GET" else client.post(url, data=data)
    assert resp.status_code == expected[role], (role, url, resp.status_code)
    if role == "anonymous":
        assert "/account/login" in resp.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_unknown_ids_are_404_for_admins_only(client, make_user, login, targets, role):
    if role != "anonymous":
        login(make_user(role=role))
    expected = _expect(404)[role]
    assert client.get("/admin/lrs/endpoints/no-such-endpoint/edit").status_code == expected
    assert client.post("/admin/lrs/clients/no-such-key/deactivate").status_code == expected
