"""The LRS administration pages: clients (secret shown once), forwarding endpoints with their queue, dead
letters with retry; bad input refused whole; pages small and without inline script or style."""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lrs_testing import FakeLRS, basic, statement  # noqa: E402

from lms.db import db, utcnow  # noqa: E402
from lms.models import AuditEntry  # noqa: E402
from lms.xapi import tasks  # noqa: E402
from lms.xapi.agents import platform_authority  # noqa: E402
from lms.xapi.auth import LRSClient  # noqa: E402
from lms.xapi.forwarding import ForwardEndpoint, ForwardItem, save_endpoint  # noqa: E402
from lms.xapi.store import store_statements  # noqa: E402


@pytest.fixture
def admin(client, make_user, login):
    user = make_user(role="admin")
    login(user)
    return user


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def _lrs_get(client, key, secret):
    return client.get(
        "/xapi/agents",
        query_string={"agent": json.dumps({"mbox": "mailto:a@example.org"})},
        headers={"Authorization": basic(key, secret), "X-Experience-API-Version": "1.0.3"},
    )


def test_a_new_client_sees_its_secret_once_and_can_use_the_lrs(client, admin):
    resp = client.post(
        "/admin/lrs/clients/new",
        data={"name": "Country dashboard", "scopes": ["statements/read", "all/read"]},
    )
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    key = re.search(r"Key \(user name\)</dt><dd><code>([^<]+)</code>", page).group(1)
    secret = re.search(r"Secret \(password\)</dt><dd><code>([^<]+)</code>", page).group(1)
    assert _lrs_get(client, key, secret).status_code == 200
    index = client.get("/admin/lrs/").get_data(as_text=True)
    assert key in index and "Country dashboard" in index and secret not in index
    assert (
        db.session.scalar(select(AuditEntry).where(AuditEntry.action == "lrs.client_created")).target_id
        == key
    )
    resp = client.post(f"/admin/lrs/clients/{key}/deactivate")
    assert resp.status_code == 302
    assert _lrs_get(client, key, secret).status_code == 401


def test_the_same_form_sent_twice_creates_one_client_and_shows_no_secret_again(client, admin):
    form = client.get("/admin/lrs/clients/new").get_data(as_text=True)
    request_id = re.search(r'name="request_id" type="hidden" value="([0-9a-f]{32})"', form).group(1)
    data = {"name": "Country dashboard", "scopes": ["all/read"], "request_id": request_id}
    first = client.post("/admin/lrs/clients/new", data=data).get_data(as_text=True)
    secret = re.search(r"Secret \(password\)</dt><dd><code>([^<]+)</code>", first).group(1)
    again = client.post("/admin/lrs/clients/new", data=data)  # the result page reloaded
    assert again.status_code == 200
    page = again.get_data(as_text=True)
    assert "This form was sent before" in page and secret not in page and "Secret (password)" not in page
    assert _count(LRSClient) == 1
    key = db.session.scalar(select(LRSClient.key))
    assert f"<code>{key}</code>" in page
    # A new form (its own request id) creates a new client.
    other = re.search(
        r'value="([0-9a-f]{32})"', client.get("/admin/lrs/clients/new").get_data(as_text=True)
    ).group(1)
    assert other != request_id
    client.post("/admin/lrs/clients/new", data={**data, "request_id": other})
    assert _count(LRSClient) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "No scope"}, "Choose at least one scope"),
        ({"name": "", "scopes": ["all"]}, "This field is required"),
        ({"name": "Bad scope", "scopes": ["everything"]}, "is not a valid choice"),
        ({"name": "x", "scopes": ["all"], "expires_days": "0"}, "Number must be"),
    ],
)
def test_bad_client_forms_are_refused_and_nothing_is_created(client, admin, data, message):
    resp = client.post("/admin/lrs/clients/new", data=data)
    assert resp.status_code == 400
    assert message in resp.get_data(as_text=True)
    assert _count(LRSClient) == 0


ENDPOINT = {
    "name": "Learning Locker",
    "endpoint": "https://ll.example.org/data/xAPI/",
    "username": "key",
    "password": "secret",
    "version": "1.0.3",
    "filter_kind": "all",
    "filter_values": "",
    "is_active": "y",
}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"endpoint": "ftp://ll.example.org/"}, "https://"),
        ({"endpoint": "not a url"}, "https://"),
        ({"endpoint": "http://ll.example.org/data/xAPI/"}, "would travel unencrypted"),
        ({"endpoint": "http://10.0.0.7/xapi/"}, "would travel unencrypted"),
        ({"filter_kind": "verbs", "filter_values": ""}, "at least one verb"),
        ({"filter_kind": "verbs", "filter_values": "completed\nno-such-verb"}, "no-such-verb"),
        ({"version": "2.0.0"}, "Not a valid choice"),
        ({"name": ""}, "This field is required"),
    ],
)
def test_bad_endpoint_forms_are_refused_and_nothing_is_saved(client, admin, changes, message):
    resp = client.post("/admin/lrs/endpoints/new", data={**ENDPOINT, **changes})
    assert resp.status_code == 400
    assert message in resp.get_data(as_text=True)
    assert _count(ForwardEndpoint) == 0


def test_endpoint_lifecycle_with_queue_depth_errors_and_dead_letters(app, client, admin):
    server = FakeLRS()
    try:
        resp = client.post(
            "/admin/lrs/endpoints/new",
            data={
                **ENDPOINT,
                "endpoint": server.endpoint,
                "filter_kind": "verbs",
                "filter_values": "completed",
            },
        )
        assert resp.status_code == 302
        endpoint = db.session.scalar(select(ForwardEndpoint))
        assert endpoint.password == "secret" and endpoint.filter_values == [
            "http://adlnet.gov/expapi/verbs/completed"
        ]
        # Editing without a password keeps the stored one.
        resp = client.post(
            f"/admin/lrs/endpoints/{endpoint.uuid}/edit",
            data={**ENDPOINT, "endpoint": server.endpoint, "password": "", "filter_kind": "all"},
        )
        assert resp.status_code == 302
        db.session.expire_all()
        assert endpoint.password == "secret" and endpoint.filter_kind == "all"

        store_statements([statement() for _ in range(3)], authority=platform_authority())
        db.session.commit()
        page = client.get("/admin/lrs/").get_data(as_text=True)
        assert re.search(r"<td>3</td>\s*<td>0</td>\s*<td>0</td>", page)  # waiting, sent, dead

        server.mode = "reject"
        tasks.forward_due()
        page = client.get("/admin/lrs/").get_data(as_text=True)
        assert "The external LRS answered with HTTP status 400." in page and "HTTP 400" in page
        dead = client.get(f"/admin/lrs/dead?target={endpoint.uuid}").get_data(as_text=True)
        assert "The external LRS answered with HTTP status 400." in dead
        items = db.session.scalars(select(ForwardItem)).all()
        assert all(i.status == "dead" for i in items) and all(i.statement_id in dead for i in items)

        server.mode = "ok"
        resp = client.post(f"/admin/lrs/endpoints/{endpoint.uuid}/dead/{items[0].statement_id}/retry")
        assert resp.status_code == 302
        db.session.expire_all()
        assert sorted(i.status for i in items) == ["dead", "dead", "pending"]
        assert client.post("/admin/lrs/dead/retry-all", data={"target": endpoint.uuid}).status_code == 302
        db.session.expire_all()
        assert {i.status for i in items} == {"pending"}
        assert tasks.forward_due()["sent"] == 3
        assert "No dead letter" in client.get("/admin/lrs/dead").get_data(as_text=True)

        assert client.post(f"/admin/lrs/endpoints/{endpoint.uuid}/toggle").status_code == 302
        db.session.expire_all()
        assert not endpoint.is_active
        store_statements([statement()], authority=platform_authority())
        db.session.commit()
        assert _count(ForwardItem) == 3  # nothing queued for a disabled endpoint
    finally:
        server.stop()


def test_actions_need_the_csrf_token(app, client, admin):
    from lms.xapi.auth import create_client

    _c, key, _s = create_client("x", ["all"])
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/admin/lrs/clients/{key}/deactivate").status_code == 400
    assert client.post("/admin/lrs/endpoints/new", data=ENDPOINT).status_code == 400
    db.session.expire_all()
    assert db.session.scalar(select(LRSClient)).is_active and _count(ForwardEndpoint) == 0


@pytest.mark.parametrize(
    "path", ["/admin/lrs/", "/admin/lrs/clients/new", "/admin/lrs/endpoints/new", "/admin/lrs/dead"]
)
def test_pages_are_small_accessible_html_without_inline_code(client, admin, path):
    resp = client.get(path)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert len(gzip.compress(resp.data)) < 60 * 1024
    assert "<script" not in html and "style=" not in html and "<style" not in html
    assert html.count("<h1") == 1
    for field_id in re.findall(r'<input[^>]+id="([^"]+)"', html):
        if 'type="hidden"' not in re.search(rf'<input[^>]+id="{re.escape(field_id)}"[^>]*>', html).group(0):
            assert f'for="{field_id}"' in html, field_id


def test_counts_on_the_lrs_pages_take_the_plural_form_of_their_number(client, admin, make_user):
    """One launch credential, one statement queued again: "1 … credential is", not "1 … credentials are"."""
    from lms.xapi.auth import issue_launch_credentials

    issue_launch_credentials(make_user(), registration=None, activity_id=None)
    db.session.commit()
    assert "1 short-lived launch credential is in use by learners." in client.get("/admin/lrs/").get_data(
        as_text=True
    )

    assert client.post("/admin/lrs/endpoints/new", data=ENDPOINT).status_code == 302
    endpoint = db.session.scalar(select(ForwardEndpoint))
    store_statements([statement()], authority=platform_authority())
    db.session.execute(ForwardItem.__table__.update().values(status="dead"))
    db.session.commit()
    resp = client.post("/admin/lrs/dead/retry-all", data={"target": endpoint.uuid}, follow_redirects=True)
    assert "1 statement is queued again." in resp.get_data(as_text=True)


@pytest.mark.parametrize(
    ("recorded", "meaning"),
    [
        ("gaierror: [Errno -2] Name or service not known", "host name could not be found"),
        ("ConnectionRefusedError: [Errno 111] Connection refused", "refused the connection"),
        ("TimeoutError: timed out", "did not answer in time"),
        ("SSLCertVerificationError: certificate verify failed", "certificate could not be verified"),
        ("HTTP 503: busy", "answered with HTTP status 503"),
        ("the statement is no longer in the LRS", "no longer in this LRS"),
        ("ValueError: anything else", "could not be sent"),
    ],
)
def test_a_recorded_forwarding_error_is_explained_in_the_readers_language(client, admin, recorded, meaning):
    endpoint = save_endpoint(None, name="Remote", url="https://lrs.example.org/xapi/")
    endpoint.last_error, endpoint.last_error_dt = recorded, utcnow()
    db.session.commit()
    page = client.get("/admin/lrs/").get_data(as_text=True)
    assert meaning in page
    assert f'<code lang="en" dir="ltr">{recorded}</code>' in page  # the recorded text, for diagnosis
