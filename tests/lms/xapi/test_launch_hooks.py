"""Hooks and hygiene of launch credentials: the ``statement_checking`` refusal hook, credentials that
may not void (cmi5 6.3), the ``LMS.LaunchData`` State document launched content may only read (cmi5 10),
and the scheduled deletion of expired launch credentials."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from statements_testing import Client, error_message, new_id, statement_count, stmt  # noqa: E402

from lms.db import db, utcnow  # noqa: E402
from lms.signals import statement_checking, statement_recorded  # noqa: E402
from lms.xapi import actor_for  # noqa: E402
from lms.xapi.auth import LRSClient, create_client, issue_launch_credentials  # noqa: E402
from lms.xapi.errors import XAPIError  # noqa: E402
from lms.xapi.models import Document  # noqa: E402

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
ACTIVITY = "http://lms.test/xapi/activities/course/c1"
REG = "6f8a2f7e-0d6b-4c9b-9a64-0f4b0c3d1e2a"


def _launch(client, user, **kwargs) -> Client:
    key, secret = issue_launch_credentials(
        user, registration=kwargs.pop("registration", None), activity_id=ACTIVITY, minutes=30, **kwargs
    )
    db.session.commit()
    return Client(client, key, secret)


def _voiding(actor, target) -> dict:
    return stmt(actor=actor, verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": target})


# -- statement_checking ------------------------------------------------------------------------------


def test_checking_receivers_see_each_new_statement_before_the_write(app, lrs, make_user):
    learner = make_user()
    me = actor_for(learner)
    known = lrs.store(stmt())[0]
    calls, recorded = [], []

    def check(sender, statement, user, authority, earlier, **_kw):
        calls.append((statement["id"], user, authority, [e["id"] for e in earlier], statement_count()))

    def on_recorded(sender, statement, **_kw):
        recorded.append(statement["id"])

    first, second = new_id(), new_id()
    batch = [stmt(id=known), stmt(id=first, actor=me), stmt(id=second)]
    with statement_checking.connected_to(check), statement_recorded.connected_to(on_recorded):
        assert lrs.post(batch).status_code == 200
    # The already stored statement is not sent again; the others in order, with what came before.
    assert [c[0] for c in calls] == [first, second]
    assert calls[0][1] == learner and calls[1][1] is None
    assert calls[0][2]["account"]["name"] == lrs.key
    assert calls[0][3] == [] and calls[1][3] == [first]
    assert calls[0][4] == calls[1][4] == 1  # nothing of the batch written yet
    assert recorded == [first, second]


def test_a_checking_receiver_refuses_the_whole_batch(app, lrs):
    recorded = []

    def refuse_second(sender, statement, earlier, **_kw):
        if earlier:
            raise XAPIError(403, "no second statement, please")

    def on_recorded(sender, statement, **_kw):
        recorded.append(statement["id"])

    with statement_checking.connected_to(refuse_second), statement_recorded.connected_to(on_recorded):
        resp = lrs.post([stmt(), stmt()])
        assert resp.status_code == 403
        assert error_message(resp) == "no second statement, please"
        assert lrs.post([stmt()]).status_code == 200  # a batch of one passes
    assert statement_count() == 1 and len(recorded) == 1


# -- may_void ----------------------------------------------------------------------------------------


def test_credentials_issued_without_voiding_cannot_void(app, client, make_user, lrs):
    learner = make_user()
    me = actor_for(learner)
    launch = _launch(client, learner, may_void=False)
    assert db.session.query(LRSClient).filter_by(key=launch.key).one().is_void_allowed is False
    mine = launch.store(stmt(actor=me))[0]
    for body in (_voiding(me, mine), [stmt(actor=me), _voiding(me, mine)]):
        resp = launch.post(body)
        assert resp.status_code == 403
        assert "may not void statements" in error_message(resp) and "cmi5 section 6.3" in error_message(resp)
    resp = launch.put(_voiding(me, mine), new_id())
    assert resp.status_code == 403 and "may not void" in error_message(resp)
    assert statement_count() == 1
    assert lrs.get({"statementId": mine}).status_code == 200  # still not voided
    # The default still may void its learner's statements.
    voider = _launch(client, learner)
    assert voider.post(_voiding(me, mine)).status_code == 200
    assert lrs.get({"voidedStatementId": mine}).status_code == 200


def test_an_application_client_can_be_created_without_voiding(app, client):
    _c, key, secret = create_client("kiosk", ["statements/write"], may_void=False)
    db.session.commit()
    kiosk = Client(client, key, secret)
    sid = kiosk.store(stmt())[0]
    resp = kiosk.post(_voiding(stmt()["actor"], sid))
    assert resp.status_code == 403 and "may not void" in error_message(resp)


# -- LMS.LaunchData ----------------------------------------------------------------------------------


def _state(client, headers, method, learner, state_id=None, body=b"{}"):
    query = {"activityId": ACTIVITY, "agent": json.dumps(actor_for(learner)), "registration": REG}
    if state_id:
        query["stateId"] = state_id
    write = method in ("PUT", "POST")
    return client.open(
        "/xapi/activities/state",
        method=method,
        query_string=query,
        data=body if write else None,
        content_type="application/json" if write else None,
        headers=headers,
    )


def _put_launch_data(learner) -> None:
    from lms.xapi.documents import DocRef, put_document
    from lms.xapi.ids import agent_key

    actor = actor_for(learner)
    ref = DocRef("state", ACTIVITY, actor, agent_key(actor), REG, "LMS.LaunchData")
    put_document(ref, b'{"launchMode": "Normal"}', "application/json", if_match=None, if_none_match=None)
    db.session.commit()


def _doc_ids() -> set[str]:
    db.session.expire_all()
    return {d.doc_id for d in db.session.query(Document)}


def test_launched_content_reads_but_never_changes_launch_data(app, client, make_user, lrs):
    learner = make_user()
    _put_launch_data(learner)
    launch = _launch(client, learner, registration=REG)
    headers = launch.headers()
    got = _state(client, headers, "GET", learner, "LMS.LaunchData")
    assert got.status_code == 200 and got.get_json() == {"launchMode": "Normal"}
    for method in ("PUT", "POST", "DELETE"):
        resp = _state(client, headers, method, learner, "LMS.LaunchData", b'{"launchMode": "Review"}')
        assert resp.status_code == 403, method
        assert "LMS.LaunchData" in resp.get_json()["message"], method
    assert _state(client, headers, "GET", learner, "LMS.LaunchData").get_json() == {"launchMode": "Normal"}
    # Its own documents stay writable.
    assert _state(client, headers, "PUT", learner, "bookmark", b'{"page": 3}').status_code == 204
    # An application with the state scope (not bound to a learner) may manage it.
    assert _state(client, lrs.headers(), "POST", learner, "LMS.LaunchData", b'{"x": 1}').status_code == 204


def test_deleting_every_state_document_keeps_launch_data(app, client, make_user, lrs):
    """A DELETE without stateId by launched content would delete LMS.LaunchData too: refused whole."""
    learner = make_user()
    _put_launch_data(learner)
    launch = _launch(client, learner, registration=REG)
    headers = launch.headers()
    assert _state(client, headers, "PUT", learner, "bookmark", b'{"page": 3}').status_code == 204
    resp = _state(client, headers, "DELETE", learner)
    assert resp.status_code == 403 and "LMS.LaunchData" in resp.get_json()["message"]
    assert _doc_ids() == {"LMS.LaunchData", "bookmark"}
    # Deleting its own documents one by one works.
    assert _state(client, headers, "DELETE", learner, "bookmark").status_code == 204
    assert _doc_ids() == {"LMS.LaunchData"}
    # Without LMS.LaunchData in the context, the DELETE of every document is allowed.
    assert _state(client, lrs.headers(), "DELETE", learner).status_code == 204
    assert _state(client, headers, "PUT", learner, "bookmark", b'{"page": 4}').status_code == 204
    assert _state(client, headers, "DELETE", learner).status_code == 204
    assert _doc_ids() == set()


# -- expired launch credentials ----------------------------------------------------------------------


def test_the_job_deletes_expired_launch_credentials_only(app, client, make_user):
    from lms.scheduler import all_jobs, run_job

    learner = make_user()
    expired, _s = issue_launch_credentials(learner, registration=None, activity_id=ACTIVITY, minutes=5)
    valid, valid_secret = issue_launch_credentials(learner, registration=None, activity_id=None, minutes=30)
    # A plugin's own learner-bound credentials (the webinar player's are made like this).
    _c, player, _s = create_client("player", ["statements/write"], user=learner, expires_dt=utcnow())
    # Applications' clients are the administrators' business, expired or not.
    _c, app_expired, _s = create_client("reporting", ["all/read"], expires_dt=utcnow() - timedelta(days=1))
    _c, app_forever, _s = create_client("forever", ["all"])
    db.session.query(LRSClient).filter_by(key=expired).one().expires_dt = utcnow() - timedelta(minutes=1)
    db.session.commit()
    job = next(j for j in all_jobs(app) if j.id == "lms.xapi.expired_launch_credentials")
    assert run_job(app, job) == 2
    keys = set(db.session.scalars(db.select(LRSClient.key)))
    assert expired not in keys and player not in keys
    assert {valid, app_expired, app_forever} <= keys
    assert run_job(app, job) == 0  # idempotent
    assert Client(client, valid, valid_secret).get().status_code == 200
