"""cmi5 statement rules the LMS enforces on AUs (refused with 403, nothing kept), abandoned sessions,
waived AUs; statements that are not cmi5 stay accepted (general LRS conformance)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from lms.db import db
from tests.courses.cmi5_au import AU, CMI5, PUB, H, make_course, node, package_zip
from tests.courses.conftest import statements


@pytest.fixture
def enrolled(client, trainer, learner, login):
    course, item = make_course(trainer, package_zip())
    login(learner)
    client.post("/courses/c5/enrol")
    return course, item


def _refused(au, verb, result=None, why="", **kw):
    """The AU's statement is refused with 403 naming the cmi5 rule (``why``: a part of the message)."""
    before = len(statements())
    resp = au.send(verb, result, **kw)
    assert resp.status_code == 403, (verb, resp.status_code, resp.data)
    message = resp.get_json()["message"]
    assert message.startswith("cmi5: ") and why in message, (why, message)
    db.session.expire_all()
    assert len(statements()) == before  # nothing of the request was kept
    return resp


def _state(suffix):
    from courses.models_packages import PackageNodeState

    db.session.expire_all()
    return db.session.scalar(select(PackageNodeState).filter_by(node_id=node(suffix).id))


def test_session_rules(client, enrolled):
    au = AU(client, "au-1")
    _refused(au, "completed", {"completion": True}, why="(9.3.2)")  # before initialized
    au.ok("initialized")
    _refused(au, "initialized", why="already sent in this session")  # a verb twice in a session
    _refused(
        au, "passed", {"success": True, "score": {"scaled": 0.79}}, why="below the masteryScore 0.8"
    )  # below masteryScore 0.8
    _refused(
        au, "failed", {"success": False, "score": {"scaled": 0.8}}, why="at or above"
    )  # at or above masteryScore
    _refused(au, "passed", {"success": False}, why="result.success true")  # passed must have success true
    _refused(au, "completed", {"completion": True}, moveon=False, why="(9.6.2.2)")  # moveOn category missing
    _refused(
        au, "completed", {"completion": True, "score": {"scaled": 1}}, why="(9.5.1)"
    )  # no score on completed
    _refused(au, "launched", why="the LMS's to make")  # an LMS verb
    _refused(au, "https://w3id.org/xapi/adl/verbs/satisfied", why="the LMS's to make")
    _refused(au, "experienced", why="(7.1.3)")  # not a cmi5 verb with the cmi5 category
    resp = au.client.post(
        "/xapi/statements",
        data=json.dumps(au.statement("completed", {"completion": True})),  # no duration
        headers={**H, "Authorization": au.auth},
    )
    assert resp.status_code == 403 and "result.duration" in resp.get_json()["message"]
    assert _state("au-1") is None  # refused statements left nothing, and the checks write nothing
    au.ok("failed", {"success": False, "score": {"scaled": 0.2}})
    _refused(
        au, "passed", {"success": True, "score": {"scaled": 0.9}}, why="one of passed or failed"
    )  # one per session
    # "cmi5 allowed" statements (no cmi5 category) inside the session are accepted, without effect.
    au.ok("experienced", defined=False)
    au.ok("completed", {"completion": True}, defined=False)
    assert not _state("au-1").is_completed
    au.ok("terminated")
    _refused(au, "experienced", defined=False, why="terminated")  # nothing after terminated
    _refused(au, "completed", {"completion": True})


def test_registration_rules(client, enrolled):
    first = AU(client, "au-3")
    first.ok("initialized")
    first.completed()
    first.passed(0.5)
    first.ok("terminated")
    second = AU(client, "au-3")
    second.ok("initialized")
    _refused(second, "completed", {"completion": True}, why="(9.3.3)")  # one completed per registration
    _refused(
        second, "passed", {"success": True, "score": {"scaled": 1}}, why="(9.3.4)"
    )  # one passed per registration
    _refused(
        second, "failed", {"success": False, "score": {"scaled": 0.1}}, why="must not follow passed"
    )  # no failed after passed
    assert len(statements("completed", object_activity_id=node("au-3").activity_id)) == 1


def test_statements_need_a_live_session_of_their_au(client, enrolled):
    au1 = AU(client, "au-1")
    au1.ok("initialized")
    _refused(
        au1, "completed", {"completion": True}, session=False, why="(9.6.3.1)"
    )  # cmi5 defined, no session id
    _refused(au1, "completed", {"completion": True}, obj=node("au-2").activity_id, why="(9.4)")  # another AU
    # Statements that are not cmi5 at all are recorded as any LRS would.
    au1.ok("experienced", defined=False, session=False)
    au1.ok("experienced", defined=False, session=False, obj="https://example.org/elsewhere")
    # A new launch in the registration abandons the open session: nothing more is accepted for it.
    au2 = AU(client, "au-2")
    abandoned = statements("abandoned")
    assert len(abandoned) == 1
    data = abandoned[0].data
    assert data["object"]["id"] == node("au-1").activity_id
    assert data["context"]["extensions"][CMI5 + "extensions/sessionid"] == au1.session
    assert data["context"]["contextActivities"]["grouping"][0]["id"] == f"{PUB}/au-1"
    assert data["result"]["duration"].startswith("PT")
    _refused(au1, "experienced", defined=False, why="abandoned")
    au2.ok("initialized")
    au2.ok("terminated")
    AU(client, "au-3")  # au2 terminated, au1 already abandoned: no new abandoned statement
    assert len(statements("abandoned")) == 1


def test_non_cmi5_clients_are_unaffected(client, enrolled, app):
    from lms.xapi.auth import create_client

    _c, key, secret = create_client("app", ["all"])
    db.session.commit()
    import base64

    auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
    st = {
        "actor": {"mbox": "mailto:someone@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": "https://example.org/course"},
        "context": {"contextActivities": {"category": [{"id": CMI5 + "categories/cmi5"}]}},
    }
    for _ in range(2):  # twice: no cmi5 rule applies to it
        assert (
            client.post(
                "/xapi/statements", data=json.dumps(st), headers={**H, "Authorization": auth}
            ).status_code
            == 200
        )


def test_trainer_waives_an_au(client, enrolled, trainer, learner, login):
    from courses.models import Enrolment

    course, item = enrolled
    au1 = AU(client, "au-1")
    au1.ok("initialized")
    au1.passed()
    au3 = AU(client, "au-3")
    au3.ok("initialized")
    au3.completed()
    au3.passed()
    client.post("/account/logout")
    login(trainer)
    url = f"/courses/manage/c5/packages/{item.uuid}/waive"
    au2 = node("au-2")
    page = client.get(f"/courses/manage/c5/packages/{item.uuid}").get_data(as_text=True)
    assert "Waive" in page and au2.uuid in page and f"{PUB}/block-1" in page
    for bad in (
        {"email": "nobody@example.org", "reason": "Administrative"},
        {"email": learner.email, "reason": "Because"},
    ):
        resp = client.post(url, data={"au": au2.uuid, **bad}, follow_redirects=True)
        assert resp.status_code == 200 and not statements("waived")
    resp = client.post(url, data={"email": learner.email, "au": au2.uuid, "reason": "Tested Out"})
    assert resp.status_code == 302
    waived = statements("waived")
    assert len(waived) == 1
    data = waived[0].data
    assert data["object"]["id"] == au2.activity_id
    assert data["result"]["success"] is True and data["result"]["completion"] is True
    assert data["result"]["extensions"]["https://w3id.org/xapi/cmi5/result/extensions/reason"] == "Tested Out"
    sid = data["context"]["extensions"][CMI5 + "extensions/sessionid"]
    assert sid not in (au1.session, au3.session)
    assert {c["id"] for c in data["context"]["contextActivities"]["category"]} == {
        CMI5 + "categories/cmi5",
        CMI5 + "categories/moveon",
    }
    # The waiver satisfies the block and then the course, with the waiver's session id.
    satisfied = statements("satisfied")
    assert len(satisfied) == 2
    assert all(s.data["context"]["extensions"][CMI5 + "extensions/sessionid"] == sid for s in satisfied)
    db.session.expire_all()
    assert db.session.scalar(select(Enrolment)).completed_dt is not None
    # Only one waiver per AU and registration.
    client.post(url, data={"email": learner.email, "au": au2.uuid, "reason": "Administrative"})
    assert len(statements("waived")) == 1


def _batch(au, *statements):
    return au.client.post(
        "/xapi/statements", data=json.dumps(list(statements)), headers={**H, "Authorization": au.auth}
    )


def _with_duration(au, verb, result):
    return au.statement(verb, {**result, "duration": "PT5S"})


def test_rules_count_the_earlier_statements_of_a_batch(client, enrolled):
    """The rules run before the LRS writes anything, and see what came before in the same request."""
    au = AU(client, "au-2")  # moveOn Completed
    before = len(statements())
    # completed twice in one request: the second breaks 9.3, so neither (nor initialized) is kept.
    completed = _with_duration(au, "completed", {"completion": True})
    resp = _batch(au, au.statement("initialized"), completed, completed)
    assert resp.status_code == 403 and "already sent in this session" in resp.get_json()["message"]
    resp = _batch(au, au.statement("initialized"), au.statement("initialized"))
    assert resp.status_code == 403 and "already sent in this session" in resp.get_json()["message"]
    db.session.expire_all()
    assert len(statements()) == before
    assert _state("au-2") is None
    # Nothing after terminated, even inside one request.
    resp = _batch(
        au, au.statement("initialized"), au.statement("terminated", {"duration": "PT1S"}), completed
    )
    assert resp.status_code == 403 and "(9.3.8)" in resp.get_json()["message"]
    # initialized then completed in one request is accepted, and applied in order.
    resp = _batch(au, au.statement("initialized"), completed)
    assert resp.status_code == 200, resp.data
    assert _state("au-2").is_completed
    activity = node("au-2").activity_id
    assert len(statements("initialized", object_activity_id=activity)) == 1
    assert len(statements("completed", object_activity_id=activity)) == 1


def test_an_au_cannot_void_nor_change_its_launch_data(client, enrolled):
    au = AU(client, "au-1")
    sid = au.ok("initialized").get_json()[0]
    voiding = {
        "actor": au.actor,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
        "object": {"objectType": "StatementRef", "id": sid},
    }
    resp = client.post("/xapi/statements", data=json.dumps(voiding), headers={**H, "Authorization": au.auth})
    assert resp.status_code == 403 and "cmi5 section 6.3" in resp.get_json()["message"]
    query = {
        "activityId": au.params["activityId"],
        "agent": au.params["actor"],
        "registration": au.registration,
        "stateId": "LMS.LaunchData",
    }
    headers = {**H, "Authorization": au.auth}
    for method in ("PUT", "POST", "DELETE"):
        resp = client.open(
            "/xapi/activities/state",
            method=method,
            query_string=query,
            data=None if method == "DELETE" else json.dumps({"launchMode": "Review"}),
            content_type=None if method == "DELETE" else "application/json",
            headers=headers,
        )
        assert resp.status_code == 403 and "LMS.LaunchData" in resp.get_json()["message"], method
    del query["stateId"]
    resp = client.delete("/xapi/activities/state", query_string=query, headers=headers)
    assert resp.status_code == 403
    query["stateId"] = "LMS.LaunchData"
    kept = client.get("/xapi/activities/state", query_string=query, headers=headers)
    assert kept.status_code == 200 and kept.get_json() == au.launch_data
