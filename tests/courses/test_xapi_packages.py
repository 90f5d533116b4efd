"""Imported xAPI (TinCan) and cmi5 packages: validation, launch with short-lived credentials, the
package files, cmi5 fetch and LaunchData, and completion from the statements the package sends."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from courses.demo.xapi_package import CMI5_AU_ID, TINCAN_ID, build
from lms.db import db
from tests.courses.conftest import statements

H = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}


def _course_with_package(trainer, kind):
    from courses.services import authoring, publishing
    from courses.services.xapi_packages import add_package

    course = authoring.create_course(
        trainer, slug="art-4", source_language="en", title="Products", summary="Article 4."
    )
    unit = authoring.add_unit(trainer, course, title="Practice")
    authoring.add_lesson(trainer, unit, slug="intro", title="Intro", body="Annex A.", required=False)
    add_package(trainer, unit, slug="self-check", title="", required=True, data=build(kind))
    publishing.publish(trainer, course)
    db.session.commit()
    return course


def _launch(client, learner, login):
    login(learner)
    client.post("/courses/art-4/enrol")
    html = client.get("/courses/art-4/learn/self-check").get_data(as_text=True)
    assert "Open the activity" in html and 'target="_blank"' in html
    resp = client.post("/courses/art-4/learn/self-check/launch")
    assert resp.status_code == 303
    url = urlsplit(resp.headers["Location"])
    return url, {k: v[0] for k, v in parse_qs(url.query).items()}


def _post_statement(client, auth, actor, verb, activity, registration, **extra):
    st = {
        "actor": actor,
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
        "object": {"id": activity},
        "context": {"registration": registration, **extra.pop("context", {})},
        **extra,
    }
    return client.post("/xapi/statements", data=json.dumps(st), headers={**H, "Authorization": auth})


def test_tincan_package_launches_and_its_statements_complete_the_course(client, trainer, learner, login):
    from courses.models import Enrolment

    course = _course_with_package(trainer, "tincan")
    url, params = _launch(client, learner, login)
    enrolment = db.session.scalar(select(Enrolment))
    assert url.path.startswith("/courses/art-4/run/") and url.path.endswith("/index.html")
    assert params["registration"] == enrolment.uuid and params["activity_id"] == TINCAN_ID
    assert params["endpoint"] == "http://lms.test/xapi/" and params["auth"].startswith("Basic ")
    actor = json.loads(params["actor"])
    assert actor["account"]["name"] == learner.uuid and "mbox" not in actor
    launched = [s for s in statements("launched") if s.object_activity_id == TINCAN_ID]
    assert len(launched) == 1 and launched[0].registration == enrolment.uuid
    with client.get(url.path) as page:
        assert page.status_code == 200 and "sandbox" in page.headers["Content-Security-Policy"]
    with client.get(url.path.replace("index.html", "activity.js")) as script:
        assert script.status_code == 200
    assert client.get(url.path.replace("index.html", "../../etc/passwd")).status_code == 404
    assert client.get(url.path.replace("index.html", "missing.html")).status_code == 404
    assert client.get(url.path.replace("/art-4/", "/other-course/")).status_code == 404
    # The content reports a pass: not yet completion (TinCan: completed or passed completes the step).
    resp = _post_statement(
        client,
        params["auth"],
        actor,
        "passed",
        TINCAN_ID,
        enrolment.uuid,
        result={"success": True, "score": {"scaled": 1}},
    )
    assert resp.status_code == 200, resp.data
    db.session.expire_all()
    enrolment = db.session.scalar(select(Enrolment))
    assert enrolment.completed_dt is not None
    assert any(s.object_activity_id.endswith(course.uuid) for s in statements("completed"))
    # The credentials are bound to the learner: a statement about someone else is refused.
    other = {"objectType": "Agent", "account": {"homePage": "http://lms.test", "name": "someone-else"}}
    assert (
        _post_statement(client, params["auth"], other, "completed", TINCAN_ID, enrolment.uuid).status_code
        == 403
    )


def test_cmi5_package_fetch_launchdata_moveon_and_abandon(client, trainer, learner, login):
    from courses.models import Enrolment, LaunchSession
    from courses.models_packages import PackageNode

    _course_with_package(trainer, "cmi5")
    url, params = _launch(client, learner, login)
    enrolment = db.session.scalar(select(Enrolment))
    au = db.session.scalar(select(PackageNode).filter_by(kind="au"))
    # The LMS generates the AU's activityId; the publisher's id is the grouping activity (cmi5 8.1, 9.6.2.3).
    assert params["activityId"] == au.activity_id != CMI5_AU_ID and "auth" not in params
    fetch = urlsplit(params["fetch"]).path
    resp = client.post(fetch)
    assert resp.status_code == 200 and resp.headers["Access-Control-Allow-Origin"] == "*"
    auth = "Basic " + resp.get_json()["auth-token"]
    base64.b64decode(resp.get_json()["auth-token"])
    assert client.post(fetch).get_json()["error-code"] == "1"  # only once
    actor = json.loads(params["actor"])
    state = client.get(
        "/xapi/activities/state",
        query_string={
            "activityId": au.activity_id,
            "agent": params["actor"],
            "registration": enrolment.uuid,
            "stateId": "LMS.LaunchData",
        },
        headers={"X-Experience-API-Version": "1.0.3", "Authorization": auth},
    )
    assert state.status_code == 200, state.data
    data = state.get_json()
    session_id = data["contextTemplate"]["extensions"][
        "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
    ]
    assert (
        data["moveOn"] == "CompletedAndPassed"
        and data["masteryScore"] == 0.8
        and data["launchMode"] == "Normal"
    )
    assert data["contextTemplate"]["contextActivities"]["grouping"][0]["id"] == CMI5_AU_ID
    launched = [s for s in statements("launched") if s.object_activity_id == au.activity_id][0]
    assert launched.data["context"]["contextActivities"]["category"][0]["id"].endswith("/categories/cmi5")
    cmi5 = "https://w3id.org/xapi/cmi5/context/categories/"

    def ctx(*categories):
        return {
            **data["contextTemplate"],
            "contextActivities": {
                **data["contextTemplate"]["contextActivities"],
                "category": [{"id": cmi5 + c} for c in categories],
            },
        }

    def send(verb, result=None, *categories):
        extra = {"result": result} if result is not None else {}
        return _post_statement(
            client, auth, actor, verb, au.activity_id, enrolment.uuid, context=ctx(*categories), **extra
        ).status_code

    assert send("initialized", None, "cmi5") == 200
    assert send("completed", {"completion": True, "duration": "PT9S"}, "cmi5", "moveon") == 200
    db.session.expire_all()
    assert db.session.scalar(select(Enrolment)).completed_dt is None  # moveOn needs passed as well
    passed = {"success": True, "score": {"scaled": 0.9}, "duration": "PT9S"}
    assert send("passed", passed, "cmi5", "moveon") == 200
    db.session.expire_all()
    assert db.session.scalar(select(Enrolment)).completed_dt is not None
    # A new launch while the previous session never terminated: the old one is abandoned.
    client.post("/courses/art-4/learn/self-check/launch")
    abandoned = statements("abandoned")
    assert (
        len(abandoned) == 1
        and abandoned[0].data["context"]["extensions"][
            "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
        ]
        == session_id
    )
    assert len(db.session.scalars(select(LaunchSession)).all()) == 2
    assert send("terminated", {"duration": "PT1M"}, "cmi5") == 403  # the abandoned session is closed


def _zip(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    "files,reason",
    [
        ({"index.html": "<p>hi</p>"}, "no tincan.xml or cmi5.xml"),
        (
            {
                "tincan.xml": "<tincan><activities><activity id='https://x.org/a'><launch>missing.html</launch>"
                "</activity></activities></tincan>"
            },
            "is not in the package",
        ),
        ({"tincan.xml": "<!DOCTYPE x [<!ENTITY a 'b'>]><tincan/>"}, "DOCTYPE and entities are not allowed"),
        ({"tincan.xml": "<tincan><activities>"}, "bad XML"),
        (
            {
                "cmi5.xml": "<courseStructure><course id='https://x.org/c'><title><langstring>C</langstring>"
                "</title></course><au id='https://x.org/1'><title><langstring>A</langstring></title>"
                "<url>a.html</url></au><au id='https://x.org/1'><title><langstring>B</langstring></title>"
                "<url>a.html</url></au><block id='https://x.org/b'><title><langstring>B</langstring></title>"
                "</block></courseStructure>",
                "a.html": "x",
            },
            "the id is used more than once",
        ),
        (
            {
                "cmi5.xml": "<courseStructure><course id='https://x.org/c'><title><langstring>C</langstring>"
                "</title></course><block id='https://x.org/b'><title><langstring>B</langstring></title>"
                "</block></courseStructure>",
            },
            "a block must hold at least one AU",
        ),
        (
            {
                "cmi5.xml": "<courseStructure><course id='https://x.org/c'><title><langstring>C</langstring>"
                "</title></course><au id='https://x.org/1' masteryScore='1.5' launchMethod='Popup'>"
                "<url>a.html</url></au></courseStructure>",
                "a.html": "x",
            },
            "masteryScore must be a number from 0 to 1",
        ),
        (
            {
                "cmi5.xml": "<courseStructure><course id='https://x.org/c'><title><langstring>C</langstring>"
                "</title></course><au id='https://x.org/1' moveOn='Sometimes'>"
                "<title><langstring>A</langstring></title><url>a.html</url></au></courseStructure>",
                "a.html": "x",
            },
            "moveOn must be one of",
        ),
        ({"tincan.xml": "x", "../evil.html": "x"}, "unsafe path"),
    ],
)
def test_invalid_packages_are_refused_whole(client, trainer, login, files, reason):
    from courses.models import Item, Package
    from courses.services import authoring

    course = authoring.create_course(trainer, slug="art-4", source_language="en", title="P", summary="S")
    unit = authoring.add_unit(trainer, course, title="U")
    db.session.commit()
    login(trainer)
    resp = client.post(
        f"/courses/manage/art-4/units/{unit.uuid}/packages/new",
        data={"file": (io.BytesIO(_zip(files)), "p.zip"), "slug": "pkg", "title": "T"},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400 and reason in resp.get_data(as_text=True)
    assert db.session.scalar(select(Package)) is None and db.session.scalar(select(Item)) is None


def test_trainer_uploads_a_package_in_the_browser(client, trainer, login):
    from courses.models import Package
    from courses.services import authoring

    course = authoring.create_course(trainer, slug="art-4", source_language="en", title="P", summary="S")
    unit = authoring.add_unit(trainer, course, title="U")
    db.session.commit()
    login(trainer)
    url = f"/courses/manage/art-4/units/{unit.uuid}/packages/new"
    assert client.get(url).status_code == 200
    resp = client.post(
        url,
        data={
            "file": (io.BytesIO(build("cmi5")), "p.zip"),
            "slug": "self-check",
            "title": "",
            "is_required": "y",
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    package = db.session.scalar(select(Package))
    assert (
        package.kind == "cmi5" and package.move_on == "CompletedAndPassed" and "index.html" in package.files
    )
    item = course.units[0].items[0]
    url = f"/courses/manage/art-4/packages/{item.uuid}"
    assert client.get(url).status_code == 200
    assert client.post(url, data={"title": "   "}).status_code == 200  # refused: a title is required
    assert client.post(url, data={"title": "Self-check on Annex A"}).status_code == 302
    from courses.services.authoring import source_fields

    assert source_fields(course, item.uuid)["title"] == "Self-check on Annex A"


def test_fetch_with_an_unknown_token(client):
    resp = client.post("/courses/cmi5/fetch/nope")
    assert resp.status_code == 404 and resp.get_json()["error-code"] == "3"


def test_cmi5_sessions_left_open_past_the_credentials_lifetime_are_abandoned_by_the_hourly_job(
    app, client, trainer, learner, login
):
    """A learner who closes the AU's window without it terminating: once the launch credentials have
    expired the AU cannot send anything, so the hourly job abandons the session (9.3.6), once; a session
    still within the lifetime stays open."""
    from datetime import timedelta

    from courses.models_packages import AUSession
    from courses.tasks import JOBS
    from lms.db import utcnow
    from lms.xapi.formats import duration_seconds

    _course_with_package(trainer, "cmi5")
    _launch(client, learner, login)
    job = next(j for j in JOBS if j.id == "courses.abandon_timed_out_sessions")
    assert job.trigger == "interval" and job.trigger_args == {"hours": 1}
    assert job.func() == 0 and statements("abandoned") == []  # launched just now: still open
    session = db.session.scalar(select(AUSession))
    lifetime = timedelta(minutes=app.config["XAPI_LAUNCH_TOKEN_MINUTES"])
    session.launched_dt = utcnow() - lifetime - timedelta(minutes=1)
    db.session.commit()
    assert job.func() == 1
    abandoned = statements("abandoned")
    # No statement from the AU: the session lasted from launch to launch (9.5.4.2).
    assert len(abandoned) == 1 and duration_seconds(abandoned[0].data["result"]["duration"]) == 0
    assert (
        abandoned[0].data["context"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/sessionid"]
        == session.uuid
    )
    db.session.expire_all()
    assert db.session.scalar(select(AUSession)).abandoned_dt is not None
    assert job.func() == 0 and len(statements("abandoned")) == 1  # once
    # A later launch finds nothing left to abandon.
    client.post("/courses/art-4/learn/self-check/launch")
    assert len(statements("abandoned")) == 1
