"""Forwarding to an external LRS, against a real HTTP server on loopback: queued in the statement's
transaction, delivered with PUT ?statementId=, nothing lost when the server is down or failing, nothing
duplicated by retries or by two runs at once."""

from __future__ import annotations

import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lrs_testing import FakeLRS, basic, statement  # noqa: E402

from lms.db import db, utcnow  # noqa: E402
from lms.xapi import tasks  # noqa: E402
from lms.xapi.agents import platform_authority  # noqa: E402
from lms.xapi.forwarding import ForwardEndpoint, ForwardError, ForwardItem, retry_dead, save_endpoint  # noqa: E402
from lms.xapi.store import store_statements  # noqa: E402

LATER = timedelta(days=2)


@pytest.fixture
def app_config():
    return {"XAPI_FORWARD_MAX_ATTEMPTS": 3, "XAPI_FORWARD_BATCH": 50}


@pytest.fixture
def fake_lrs():
    server = FakeLRS()
    yield server
    server.stop()


def _endpoint(url, name="external", **kwargs):
    endpoint = save_endpoint(None, name=name, url=url, username="fwd", password="s3cret", **kwargs)
    db.session.commit()
    return endpoint


def _store(n, **kwargs):
    stmts = [statement(**kwargs) for _ in range(n)]
    ids = store_statements(stmts, authority=platform_authority())
    db.session.commit()
    return ids


def _certificate(length: int, sha2: str, **extra) -> dict:
    """A PDF certificate attachment of a statement."""
    return {
        "usageType": "http://id.tincanapi.com/attachment/certificate",
        "display": {"en": "Certificate"},
        "contentType": "application/pdf",
        "length": length,
        "sha2": sha2,
        **extra,
    }


def _items(status=None):
    query = select(ForwardItem).order_by(ForwardItem.id)
    if status:
        query = query.where(ForwardItem.status == status)
    db.session.expire_all()
    return db.session.scalars(query).all()


def test_statements_are_queued_in_the_same_transaction_for_matching_active_endpoints(app):
    every = _endpoint("http://127.0.0.1:9/xapi", name="every")
    verbs = _endpoint(
        "http://127.0.0.1:9/xapi", name="completions", filter_kind="verbs", filter_values=["completed"]
    )
    videos = _endpoint(
        "http://127.0.0.1:9/xapi", name="videos", filter_kind="activity_types", filter_values=["video"]
    )
    _endpoint("http://127.0.0.1:9/xapi", name="off", is_active=False)
    _store(2)  # completed a course
    _store(
        1,
        verb="https://w3id.org/xapi/video/verbs/played",
        activity_type="https://w3id.org/xapi/video/activity-type/video",
    )
    per_endpoint = dict(
        db.session.execute(
            select(ForwardItem.endpoint_id, func.count()).group_by(ForwardItem.endpoint_id)
        ).all()
    )
    assert per_endpoint == {every.id: 3, verbs.id: 2, videos.id: 1}
    # A rolled-back transaction queues nothing.
    store_statements([statement()], authority=platform_authority())
    db.session.rollback()
    assert len(_items()) == 6


def test_delivery_puts_each_statement_once_with_its_id_and_credentials(app, fake_lrs):
    endpoint = _endpoint(fake_lrs.endpoint)
    ids = _store(5)
    counts = tasks.forward_due()
    assert counts == {"sent": 5, "failed": 0, "dead": 0}
    assert fake_lrs.counts() == {i: 1 for i in ids}
    assert set(fake_lrs.auth) == {basic("fwd", "s3cret")}
    received = {s["id"]: s for s in fake_lrs.received}
    assert received[ids[0]]["authority"] == platform_authority()
    assert "stored" not in received[ids[0]]
    assert all(i.status == "sent" and i.sent_dt for i in _items())
    db.session.refresh(endpoint)
    assert endpoint.last_success_dt is not None
    assert tasks.forward_due() == {"sent": 0, "failed": 0, "dead": 0}  # nothing sent twice


def test_server_down_then_back_loses_nothing_and_duplicates_nothing(app, fake_lrs):
    endpoint = _endpoint(fake_lrs.endpoint)
    ids = _store(4)
    fake_lrs.stop()
    counts = tasks.forward_due()
    assert counts["sent"] == 0 and counts["failed"] == 1  # the run stops at the first refused connection
    items = _items()
    assert all(i.status == "pending" and i.claim_token is None for i in items)
    failed = [i for i in items if i.attempts == 1]
    assert len(failed) == 1 and "Connection" in failed[0].last_error
    assert failed[0].next_attempt_dt > utcnow() + timedelta(seconds=20)  # backed off
    db.session.refresh(endpoint)
    assert endpoint.last_error and endpoint.last_error_dt

    fake_lrs.start()  # back on the same port
    fake_lrs.mode = "error"
    counts = tasks.forward_due(now=utcnow() + LATER)
    assert counts["failed"] == 4 and not fake_lrs.received
    fake_lrs.mode = "ok"
    counts = tasks.forward_all(now=utcnow() + LATER * 2)
    assert counts["sent"] == 4
    assert fake_lrs.counts() == {i: 1 for i in ids}
    assert {i.status for i in _items()} == {"sent"}


def test_a_lost_answer_is_retried_without_duplicating(app, fake_lrs, monkeypatch):
    _endpoint(fake_lrs.endpoint)
    [sid] = _store(1)
    monkeypatch.setattr(tasks.RemoteLRS, "timeout", 0.3)
    fake_lrs.delay = 0.8  # stores the statement but answers after the client gave up
    assert tasks.forward_due()["failed"] == 1
    [item] = _items()
    assert item.status == "pending" and "timed out" in item.last_error
    fake_lrs.delay = 0
    assert tasks.forward_due(now=utcnow() + LATER)["sent"] == 1
    fake_lrs.wait_idle()
    assert fake_lrs.attempts[sid] == 2
    assert fake_lrs.counts() == {sid: 1}


def test_dead_letter_after_max_attempts_then_retry(app, fake_lrs):
    endpoint = _endpoint(fake_lrs.endpoint)
    [sid] = _store(1)
    fake_lrs.mode = "error"
    for run in range(3):
        tasks.forward_due(now=utcnow() + LATER * (run + 1))
    [item] = _items()
    assert item.status == "dead" and item.attempts == 3 and "HTTP 500" in item.last_error
    assert tasks.forward_due(now=utcnow() + LATER * 10)["sent"] == 0  # dead items stay put
    fake_lrs.mode = "ok"
    assert retry_dead(endpoint=endpoint) == 1
    db.session.commit()
    assert tasks.forward_due()["sent"] == 1
    assert fake_lrs.counts() == {sid: 1}


def test_a_statement_the_external_lrs_refuses_is_dead_at_once(app, fake_lrs):
    _endpoint(fake_lrs.endpoint)
    _store(1)
    fake_lrs.mode = "reject"
    assert tasks.forward_due() == {"sent": 0, "failed": 0, "dead": 1}
    [item] = _items()
    assert item.status == "dead" and item.attempts == 1 and "HTTP 400" in item.last_error


def test_disabled_endpoints_are_not_sent_to(app, fake_lrs):
    endpoint = _endpoint(fake_lrs.endpoint)
    _store(2)
    endpoint.is_active = False
    db.session.commit()
    assert tasks.forward_due()["sent"] == 0 and not fake_lrs.received
    endpoint.is_active = True
    db.session.commit()
    assert tasks.forward_due()["sent"] == 2


def test_an_abandoned_claim_expires_and_the_item_is_sent_later(app, fake_lrs):
    _endpoint(fake_lrs.endpoint)
    [sid] = _store(1)
    token = tasks.claim_batch(10)  # a run that then crashed
    assert _items()[0].claim_token == token
    assert tasks.forward_due()["sent"] == 0  # still held by the crashed run
    assert tasks.forward_due(now=utcnow() + timedelta(minutes=11))["sent"] == 1
    assert fake_lrs.counts() == {sid: 1}


def test_two_runs_at_once_never_send_the_same_statement_twice(app, fake_lrs):
    _endpoint(fake_lrs.endpoint)
    ids = _store(40)
    fake_lrs.delay = 0.01
    results, errors = [], []
    barrier = threading.Barrier(2)

    def run():
        try:
            with app.app_context():
                barrier.wait()
                results.append(tasks.forward_due(limit=30))
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sum(r["sent"] for r in results) == 40
    assert max(fake_lrs.attempts.values()) == 1 and len(fake_lrs.attempts) == 40
    assert fake_lrs.counts() == {i: 1 for i in ids}


# --- endpoint settings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"url": "ftp://lrs.example.org/xapi/"}, "https"),
        ({"url": "http://lrs.example.org/xapi/"}, "unencrypted"),
        ({"url": "http://192.168.1.20/xapi/"}, "unencrypted"),
        ({"url": "https://lrs.example.org/xapi/?x=1"}, "query"),
        ({"filter_kind": "verbs", "filter_values": ["no-such-verb"]}, "no-such-verb"),
        ({"filter_kind": "verbs", "filter_values": []}, "at least one"),
        ({"version": "0.95"}, "0.95"),
        ({"name": " "}, "name"),
    ],
)
def test_bad_endpoint_settings_are_refused_and_nothing_is_saved(app, kwargs, message):
    args = {"name": "lrs", "url": "https://lrs.example.org/xapi/"} | kwargs
    with pytest.raises(ForwardError, match=message):
        save_endpoint(None, **args)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ForwardEndpoint)) == 0


def test_endpoint_names_are_unique_and_urls_normalised(app):
    endpoint = _endpoint(
        "https://lrs.example.org/xapi",
        name="one",
        filter_kind="verbs",
        filter_values="completed\nhttps://example.org/verbs/x",
    )
    assert endpoint.endpoint == "https://lrs.example.org/xapi/"
    assert endpoint.filter_values == [
        "http://adlnet.gov/expapi/verbs/completed",
        "https://example.org/verbs/x",
    ]
    with pytest.raises(ForwardError, match="already named"):
        save_endpoint(None, name="one", url="https://other.example.org/xapi/")


def test_an_endpoint_created_mid_transaction_receives_the_next_statements(app):
    store_statements([statement()], authority=platform_authority())  # no endpoint yet
    endpoint = save_endpoint(None, name="late", url="http://127.0.0.1:9/xapi/")
    [sid] = store_statements([statement()], authority=platform_authority())
    db.session.commit()
    assert [(i.endpoint_id, i.statement_id) for i in _items()] == [(endpoint.id, sid)]


def test_the_delivery_job_is_scheduled(app):
    from lms.scheduler import all_jobs

    job = next(j for j in all_jobs(app) if j.id == "lms.xapi.forward")
    assert job.func is tasks.forward_due and job.trigger == "interval"


def test_start_up_sync_applies_the_setting_and_survives_bad_ones(app, caplog):
    from lms.xapi.forwarding import sync_at_startup

    app.config["XAPI_FORWARD"] = '[{"name": "ralph", "endpoint": "https://ralph.example.org/xapi"}]'
    sync_at_startup(app)
    assert [e.name for e in db.session.scalars(select(ForwardEndpoint))] == ["ralph"]
    app.config["XAPI_FORWARD"] = '[{"name": "bad", "endpoint": "gopher://x"}]'
    sync_at_startup(app)  # logged, not raised: a typo in the settings must not stop the site
    assert "LMS_XAPI_FORWARD" in caplog.text
    db.session.expire_all()
    assert [(e.name, e.is_active) for e in db.session.scalars(select(ForwardEndpoint))] == [("ralph", True)]


def test_start_up_before_the_schema_exists_does_not_fail(tmp_path):
    from lms import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/empty.sqlite3",
            "SECRET_KEY": "x",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "PLUGINS": [],
            "XAPI_FORWARD": [{"name": "ralph", "endpoint": "https://ralph.example.org/xapi/"}],
        }
    )
    assert "xapi_admin" in app.blueprints


def test_the_forwarded_statement_is_the_stored_one(app, fake_lrs, make_user):
    """What the external LRS receives is the statement as stored here (less "stored", which every LRS
    assigns itself): definitions, context, result and extensions travel intact."""
    from lms.xapi import activity_iri, record_statement
    from lms.xapi.models import Statement

    _endpoint(fake_lrs.endpoint)
    user = make_user(country_code="BR")
    stored = record_statement(
        user=user,
        verb="answered",
        activity_id=activity_iri("question", "m1", "q1"),
        activity_type="question",
        activity_name={"en": "Q1", "pt": "P1"},
        activity_extra={
            "interactionType": "choice",
            "correctResponsesPattern": ["a[,]b"],
            "choices": [{"id": "a", "description": {"en": "A"}}, {"id": "b", "description": {"en": "B"}}],
        },
        result={
            "score": {"scaled": 0.5, "raw": 1, "min": 0, "max": 2},
            "success": False,
            "response": "a",
            "duration": "PT42S",
        },
        registration="6f8a2f7e-0d6b-4c9b-9a64-0f4b0c3d1e2a",
        parents=[activity_iri("course", "m1")],
        grouping=[activity_iri("course", "m1", "unit-1")],
        language="pt",
        result_extensions={"https://w3id.org/xapi/video/extensions/time": 12.5},
    )
    stmt = statement(verb="http://adlnet.gov/expapi/verbs/attended")
    stmt["context"] = {
        "instructor": {"objectType": "Agent", "mbox": "mailto:trainer@example.org"},
        "revision": "2",
        "extensions": {"https://example.org/x": {"nested": [1, 2]}},
    }
    stmt["attachments"] = [_certificate(12, "a" * 64, fileUrl="https://example.org/cert.pdf")]
    store_statements([stmt], authority=platform_authority())
    db.session.commit()
    assert tasks.forward_due()["sent"] == 2
    received = {s["id"]: s for s in fake_lrs.received}
    for sid in (stored["id"], stmt["id"]):
        row = db.session.scalar(select(Statement).where(Statement.statement_id == sid))
        expected = {k: v for k, v in row.data.items() if k != "stored"}
        assert received[sid] == expected


def test_attachment_data_travels_with_the_statement(app, fake_lrs):
    """A statement whose attachment data is held here (sent without fileUrl) is forwarded as
    multipart/mixed with that data: without it the external LRS refuses the statement (and the item
    would be dead-lettered). Statements without such data still go as plain JSON."""
    import hashlib

    from lms.xapi.models import Statement

    _endpoint(fake_lrs.endpoint)
    pdf = b"%PDF-1.4 certificate of completion\n\x00\xff binary tail"
    sha2 = hashlib.sha256(pdf).hexdigest()
    with_data = statement()
    with_data["attachments"] = [_certificate(len(pdf), sha2)]
    plain = statement()
    store_statements(
        [with_data, plain], authority=platform_authority(), attachments={sha2: ("application/pdf", pdf)}
    )
    db.session.commit()

    assert tasks.forward_due() == {"sent": 2, "failed": 0, "dead": 0}
    assert fake_lrs.counts() == {with_data["id"]: 1, plain["id"]: 1}
    assert fake_lrs.payloads == {sha2: pdf}
    received = {s["id"]: s for s in fake_lrs.received}
    row = db.session.scalar(select(Statement).where(Statement.statement_id == with_data["id"]))
    assert received[with_data["id"]] == {k: v for k, v in row.data.items() if k != "stored"}
    assert [i.status for i in _items()] == ["sent", "sent"]


def test_the_fake_external_lrs_refuses_a_statement_without_its_attachment_data(fake_lrs):
    """The check the test above relies on: the stand-in external LRS answers 400 to a statement
    whose attachment has neither fileUrl nor data, as the specification requires of an LRS."""
    import http.client
    import json

    stmt = statement()
    stmt["attachments"] = [_certificate(3, "b" * 64)]
    conn = http.client.HTTPConnection("127.0.0.1", fake_lrs.port, timeout=5)
    conn.request(
        "PUT",
        f"/xapi/statements?statementId={stmt['id']}",
        body=json.dumps(stmt),
        headers={"Content-Type": "application/json"},
    )
    assert conn.getresponse().status == 400
    conn.close()
    assert fake_lrs.received == []


def test_a_signed_statement_reaches_the_external_lrs_with_a_signature_that_still_verifies(app, fake_lrs):
    """The JWS travels as the signature attachment's data, and the statement forwarded (as stored here:
    timestamp in UTC, authority and version set) still matches its signature by the specification's
    comparison rules, so the external LRS accepts it."""
    import hashlib

    from cryptography.hazmat.primitives.asymmetric import rsa
    from statements_testing import SIGNATURE, jws

    from lms.xapi.signature import verify_signatures

    _endpoint(fake_lrs.endpoint)
    signed = statement()
    signed["timestamp"] = "2024-05-01T12:00:00+02:00"
    token = jws(signed, rsa.generate_private_key(public_exponent=65537, key_size=2048)).encode()
    sha2 = hashlib.sha256(token).hexdigest()
    signed["attachments"] = [
        {
            "usageType": SIGNATURE,
            "display": {"en-US": "Signature"},
            "contentType": "application/octet-stream",
            "length": len(token),
            "sha2": sha2,
        }
    ]
    store_statements(
        [signed], authority=platform_authority(), attachments={sha2: ("application/octet-stream", token)}
    )
    db.session.commit()

    assert tasks.forward_due()["sent"] == 1
    (received,) = fake_lrs.received
    assert fake_lrs.payloads == {sha2: token}
    verify_signatures(received, {sha2: ("application/octet-stream", token)}, "forwarded")
    assert received["timestamp"].startswith("2024-05-01T10:00:00")


def test_http_is_accepted_for_an_lrs_on_this_machine_only(app):
    for url in ("http://localhost:8080/xapi", "http://127.0.0.1:9/xapi/", "http://[::1]:8080/xapi/"):
        assert save_endpoint(None, name=url, url=url).endpoint.startswith("http://")
    db.session.rollback()


def test_http_beyond_this_machine_only_when_the_setting_allows_it(app):
    with pytest.raises(ForwardError, match="unencrypted"):
        save_endpoint(None, name="lrs", url="http://lrs:8080/xapi/")
    app.config["XAPI_FORWARD_ALLOW_HTTP"] = True
    assert save_endpoint(None, name="lrs", url="http://lrs:8080/xapi/").endpoint == "http://lrs:8080/xapi/"
    db.session.rollback()


def test_a_statement_with_a_group_as_authority_travels_exactly_as_stored(app, fake_lrs):
    """A launch or OAuth-style credential stores a Group as authority; durations and extension values
    travel as written, not rebuilt by a library."""
    from lms.xapi.models import Statement

    _endpoint(fake_lrs.endpoint)
    group = {
        "objectType": "Group",
        "member": [
            {"account": {"homePage": "https://lms.example.org", "name": "content-app"}},
            {"account": {"homePage": "https://lms.example.org", "name": "learner-7"}},
        ],
    }
    stmt = statement(verb="http://adlnet.gov/expapi/verbs/initialized")
    stmt["result"] = {"duration": "PT1.5S", "extensions": {"https://example.org/ext/none": None}}
    (sid,) = store_statements([stmt], authority=group)
    db.session.commit()
    assert tasks.forward_due() == {"sent": 1, "failed": 0, "dead": 0}
    row = db.session.scalar(select(Statement).where(Statement.statement_id == sid))
    (got,) = fake_lrs.received
    assert got == {k: v for k, v in row.data.items() if k != "stored"}
    assert got["authority"]["objectType"] == "Group" and got["result"]["duration"] == "PT1.5S"


def test_a_statement_that_cannot_be_sent_is_counted_against_it_and_holds_up_nothing(
    app, fake_lrs, monkeypatch
):
    endpoint = _endpoint(fake_lrs.endpoint)
    bad, *good = _store(3)
    real_save = tasks._save

    def save(lrs, data, payloads):
        if data["id"] == bad:
            raise ValueError("cannot encode this statement")
        return real_save(lrs, data, payloads)

    monkeypatch.setattr(tasks, "_save", save)
    assert tasks.forward_due() == {"sent": 2, "failed": 1, "dead": 0}
    assert fake_lrs.counts() == {i: 1 for i in good}
    (failed,) = _items("pending")
    assert failed.statement_id == bad and failed.attempts == 1 and failed.claim_token is None
    assert failed.last_error == "ValueError: cannot encode this statement"
    db.session.refresh(endpoint)
    assert endpoint.last_error == "ValueError: cannot encode this statement"
    # Retried later (the fault gone), it is sent once.
    monkeypatch.setattr(tasks, "_save", real_save)
    assert tasks.forward_due(now=utcnow() + LATER)["sent"] == 1
    assert fake_lrs.counts() == {i: 1 for i in [bad, *good]}
