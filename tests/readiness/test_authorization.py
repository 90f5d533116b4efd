"""Every readiness route for every role: anonymous, learner, trainer, coordinator (of France), admin (the
secretariat) and, in addition, an invited colleague of the French team ("member")."""

from __future__ import annotations

import pytest

from lms.db import db
from readiness import results, services
from tests.readiness.conftest import full_answers, section_form

ROLES = ["anonymous", "learner", "trainer", "coordinator", "admin", "member"]


def by_role(anonymous=302, learner=403, trainer=403, coordinator=403, admin=403, member=403):
    return {
        "anonymous": anonymous,
        "learner": learner,
        "trainer": trainer,
        "coordinator": coordinator,
        "admin": admin,
        "member": member,
    }


PUBLIC = {r: 200 for r in ROLES}
VIEW = by_role(coordinator=200, admin=200, member=200)  # a submitted assessment
TEAM_VIEW = by_role(coordinator=200, member=200)  # a draft: the secretariat sees it once submitted
COORDINATOR_POST = by_role(coordinator=302)


@pytest.fixture
def world(make_user, questionnaire):
    """A French 2024 assessment (submitted, with an advisory request) and a 2026 draft; the colleague
    ``member`` edits the reporting section of both."""
    owner = make_user(role="coordinator", country_code="FR", name="Owner Coordinator")
    member = make_user(role="learner", country_code="FR", name="Member Colleague")
    spare = make_user(role="learner", country_code="FR", name="Spare Colleague")
    reviewer = make_user(role="learner", country_code="FR", name="Reviewer Colleague")
    focal = make_user(role="learner", country_code="KE", name="Focal Point", is_focal_point=True)
    old = services.start_assessment(owner, cycle="2024", language="fr")
    services.invite(old, owner, user_id=member.id, role="editor", sections=["reporting"])
    from tests.readiness.conftest import submit

    submit(old, owner, full_answers(questionnaire, 1))
    req = results.request_advice(old, owner, "data-clinic", "")
    draft = services.start_assessment(owner, cycle="2026", language="fr")
    services.invite(draft, owner, user_id=member.id, role="editor", sections=["reporting"])
    rev = services.invite(draft, owner, user_id=reviewer.id, role="reviewer", sections=[])
    db.session.commit()
    return {
        "owner": owner,
        "old": old,
        "draft": draft,
        "member": member,
        "spare": spare,
        "rev": rev,
        "req": req,
        "q": questionnaire,
        "focal": focal,
    }


def _prefix(req):
    return "r" + req.uuid.replace("-", "")[:12]


# (endpoint, method, url(world), data(world) or None, expected statuses by role)
CASES = [
    ("readiness.index", "GET", lambda w: "/readiness/", None, PUBLIC),
    ("readiness.questionnaire", "GET", lambda w: "/readiness/questionnaire", None, PUBLIC),
    ("readiness.advisory_services", "GET", lambda w: "/readiness/services", None, PUBLIC),
    ("readiness.static", "GET", lambda w: "/readiness/static/readiness.css", None, PUBLIC),
    # Reopening the address a refused start was shown at leads back to the form.
    ("readiness.start", "GET", lambda w: "/readiness/start", None, COORDINATOR_POST),
    (
        "readiness.start",
        "POST",
        lambda w: "/readiness/start",
        lambda w: {"cycle": "2027", "language": "fr"},
        COORDINATOR_POST,
    ),
    ("readiness.assessment", "GET", lambda w: f"/readiness/a/{w['draft'].uuid}", None, TEAM_VIEW),
    ("readiness.assessment", "GET", lambda w: f"/readiness/a/{w['old'].uuid}", None, VIEW),
    ("readiness.team", "GET", lambda w: f"/readiness/a/{w['draft'].uuid}/team", None, TEAM_VIEW),
    ("readiness.review", "GET", lambda w: f"/readiness/a/{w['old'].uuid}/review", None, VIEW),
    (
        "readiness.team",
        "POST",
        lambda w: f"/readiness/a/{w['draft'].uuid}/team",
        lambda w: {"user_id": w["spare"].id, "role": "reviewer"},
        COORDINATOR_POST,
    ),
    (
        "readiness.team_remove",
        "POST",
        lambda w: f"/readiness/a/{w['draft'].uuid}/team/remove",
        lambda w: {"member_id": w["rev"].id},
        COORDINATOR_POST,
    ),
    (
        "readiness.team_submitter",
        "POST",
        lambda w: f"/readiness/a/{w['draft'].uuid}/team/submitter",
        lambda w: {"user_id": w["member"].id},
        COORDINATOR_POST,
    ),
    (
        "readiness.team_benchmark",
        "POST",
        lambda w: f"/readiness/a/{w['draft'].uuid}/team/benchmark",
        lambda w: {"opt_in": "y"},
        COORDINATOR_POST,
    ),
    (
        "readiness.change_state",
        "POST",
        lambda w: f"/readiness/a/{w['draft'].uuid}/state",
        lambda w: {"action": "review"},
        COORDINATOR_POST,
    ),
    ("readiness.audit_trail", "GET", lambda w: f"/readiness/a/{w['draft'].uuid}/audit", None, TEAM_VIEW),
    (
        "readiness.section",
        "GET",
        lambda w: f"/readiness/a/{w['draft'].uuid}/section/reporting",
        None,
        TEAM_VIEW,
    ),
    (
        "readiness.section",
        "POST",
        lambda w: f"/readiness/a/{w['draft'].uuid}/section/reporting",
        lambda w: section_form(w["q"], "reporting", {"2.1": 2}),
        by_role(coordinator=302, member=302),
    ),
    (
        "readiness.section",
        "POST",
        lambda w: f"/readiness/a/{w['draft'].uuid}/section/governance",
        lambda w: section_form(w["q"], "governance", {"1.1": 2}),
        by_role(coordinator=302),
    ),
    ("readiness.review", "GET", lambda w: f"/readiness/a/{w['draft'].uuid}/review", None, TEAM_VIEW),
    (
        "readiness.add_note",
        "POST",
        lambda w: f"/readiness/a/{w['draft'].uuid}/notes",
        lambda w: {"text": "Looks good.", "dimension": ""},
        COORDINATOR_POST,
    ),
    ("readiness.result", "GET", lambda w: f"/readiness/a/{w['old'].uuid}/result", None, VIEW),
    ("readiness.result", "GET", lambda w: f"/readiness/a/{w['draft'].uuid}/result", None, TEAM_VIEW),
    ("readiness.result_print", "GET", lambda w: f"/readiness/a/{w['old'].uuid}/result/print", None, VIEW),
    ("readiness.result_pdf", "GET", lambda w: f"/readiness/a/{w['old'].uuid}/result.pdf", None, VIEW),
    ("readiness.result_pdf", "GET", lambda w: f"/readiness/a/{w['draft'].uuid}/result.pdf", None, TEAM_VIEW),
    ("readiness.result_csv", "GET", lambda w: f"/readiness/a/{w['old'].uuid}/result.csv", None, VIEW),
    ("readiness.result_json", "GET", lambda w: f"/readiness/a/{w['old'].uuid}/result.json", None, VIEW),
    (
        "readiness.enrol",
        "POST",
        lambda w: f"/readiness/a/{w['old'].uuid}/path/enrol",
        lambda w: {},
        by_role(coordinator=302, member=302),
    ),
    (
        "readiness.request_advice",
        "POST",
        lambda w: f"/readiness/a/{w['old'].uuid}/advice",
        lambda w: {"service": "reporting-review", "message": ""},
        COORDINATOR_POST,
    ),
    ("readiness.benchmark", "GET", lambda w: f"/readiness/a/{w['old'].uuid}/benchmark", None, VIEW),
    ("readiness.secretariat", "GET", lambda w: "/readiness/secretariat", None, by_role(admin=200)),
    (
        "readiness.acknowledge",
        "POST",
        lambda w: f"/readiness/secretariat/a/{w['old'].uuid}/acknowledge",
        lambda w: {},
        by_role(admin=302),
    ),
    (
        "readiness.advice_status",
        "POST",
        lambda w: f"/readiness/secretariat/advice/{w['req'].uuid}",
        lambda w: {f"{_prefix(w['req'])}-status": "accepted", f"{_prefix(w['req'])}-response": ""},
        by_role(admin=302),
    ),
    (
        "readiness.appoint_coordinator",
        "POST",
        lambda w: f"/readiness/secretariat/coordinators/{w['focal'].uuid}",
        lambda w: {},
        by_role(admin=302),
    ),
]

ENDPOINTS_COVERED = {case[0] for case in CASES}


@pytest.mark.parametrize("role", ROLES)
def test_route_authorization(client, world, make_user, login, role):
    """One world per role (building it per case would take minutes): every GET first, then the POSTs
    in an order where an allowed POST does not stand in the way of the next one."""
    if role == "member":
        login(world["member"])
    elif role == "coordinator":
        login(world["owner"])  # France's coordinator: a country has only one
    elif role != "anonymous":
        login(make_user(role=role, country_code="FR"))
    wrong = []
    for endpoint, method, url, data, expected in sorted(CASES, key=lambda c: c[1] != "GET"):
        target = url(world)
        resp = client.get(target) if method == "GET" else client.post(target, data=data(world))
        location = resp.headers.get("Location", "")
        if resp.status_code != expected[role]:
            wrong.append((endpoint, method, target, resp.status_code, expected[role]))
        elif resp.status_code == 302 and (role == "anonymous") != ("/account/login" in location):
            wrong.append((endpoint, method, target, location))
        resp.close()
    assert not wrong, wrong


def test_unknown_assessment_is_404(client, make_user, login):
    login(make_user(role="admin"))
    assert client.get("/readiness/a/00000000-0000-0000-0000-000000000000").status_code == 404
    assert (
        client.post("/readiness/secretariat/a/00000000-0000-0000-0000-000000000000/acknowledge").status_code
        == 404
    )


def test_a_coordinator_of_another_country_has_no_access(client, world, make_user, login):
    login(make_user(role="coordinator", country_code="SN"))
    assert client.get(f"/readiness/a/{world['draft'].uuid}").status_code == 403
    assert client.get(f"/readiness/a/{world['old'].uuid}/result.csv").status_code == 403


def test_every_readiness_route_is_covered(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("readiness.")}
    assert endpoints == ENDPOINTS_COVERED


def test_a_coordinator_cannot_move_to_another_country_through_the_profile(client, world, make_user, login):
    """The secretariat makes someone coordinator of their country; changing the country of the profile
    would make them coordinator of another country's assessment."""
    intruder = make_user(role="coordinator", country_code="SN", email="intruder@example.org")
    login(intruder)
    resp = client.post(
        "/account/profile",
        data={"name": intruder.name, "country": "FR", "organisation": "", "locale": "en"},
    )
    assert resp.status_code == 400
    assert "ask the secretariat" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert intruder.country_code == "SN"
    assert client.get(f"/readiness/a/{world['draft'].uuid}").status_code == 403
