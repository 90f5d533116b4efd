"""Every kit and workshop route, for anonymous visitors, learners, coordinators, a trainer outside the
team, the team (the trainer who created the kit and the workshop) and admins (none of them registered
for the workshop), and the participant's own pages for the participant.
``"login"`` means a redirect to the sign-in page."""

from __future__ import annotations

import pytest

from lms.db import db
from tests.courses.kits.conftest import add_file_resource, build_kit, build_workshop

ROLES = ("anonymous", "learner", "coordinator", "trainer", "team", "admin")
LOGIN = "login"


def _everyone(status):
    return dict.fromkeys(ROLES, status)


PUBLIC = _everyone(200)
SIGNED_IN_ACTION = {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 302)
PARTICIPANT_ONLY = {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 404)
CERTIFICATE = {
    "anonymous": 404,
    "learner": 403,
    "coordinator": 403,
    "trainer": 403,
    "team": 200,
    "admin": 200,
}


def team_only(status):
    """The kit's or workshop's team and admins; a trainer outside the team is refused."""
    return {
        "anonymous": LOGIN,
        "learner": 403,
        "coordinator": 403,
        "trainer": 403,
        "team": status,
        "admin": status,
    }


def trainer_only(status):
    """Pages of no particular kit or workshop (and copying a published kit): every trainer."""
    return team_only(status) | {"trainer": status}


W = "/courses/workshops/{workshop}"
M = "/courses/kits/manage/trade"
# endpoint -> (method, url template, form data, expected per role)
CASES = {
    "courses.kits": ("GET", "/courses/kits", None, PUBLIC),
    "courses.kit": ("GET", "/courses/kits/trade", None, PUBLIC),
    "courses.kit_guide": ("GET", "/courses/kits/trade/guide", None, PUBLIC),
    "courses.kit_handout": ("GET", "/courses/kits/trade/handouts/{handout}", None, PUBLIC),
    "courses.kit_offline": ("GET", "/courses/kits/trade/offline/es.zip", None, PUBLIC),
    # A file the published version holds (a draft's own file: test_kit_files.py).
    "courses.kit_file": ("GET", "/courses/kits/trade/files/{file_part}/{file_sha}", None, PUBLIC),
    "courses.workshops": ("GET", "/courses/workshops", None, PUBLIC),
    "courses.workshop": ("GET", W, None, PUBLIC),
    "courses.workshop_calendar": ("GET", W + "/calendar.ics", None, PUBLIC),
    "courses.verify_attendance": ("GET", "/courses/workshops/verify", None, PUBLIC),
    "courses.verified_attendance": ("GET", "/courses/workshops/verify/{code}", None, PUBLIC),
    "courses.register_workshop": ("POST", W + "/register", {}, SIGNED_IN_ACTION),
    "courses.unregister_workshop": ("POST", W + "/unregister", {}, SIGNED_IN_ACTION),
    "courses.workshop_ticket": ("GET", W + "/ticket", None, PARTICIPANT_ONLY),
    "courses.workshop_test": ("GET", W + "/tests/pre", None, PARTICIPANT_ONLY),
    "courses.workshop_test_sheet": ("GET", W + "/tests/pre/sheet", None, PARTICIPANT_ONLY),
    "courses.workshop_feedback": ("GET", W + "/feedback", None, PARTICIPANT_ONLY),
    "courses.attendance_certificate": (
        "GET",
        "/courses/workshops/certificates/{certificate}",
        None,
        CERTIFICATE,
    ),
    "courses.attendance_certificate_pdf": (
        "GET",
        "/courses/workshops/certificates/{certificate}/certificate.pdf",
        None,
        CERTIFICATE,
    ),
    "courses.attendance_badge": (
        "GET",
        "/courses/workshops/certificates/{certificate}/badge.json",
        None,
        CERTIFICATE,
    ),
    "courses.manage_kits": ("GET", "/courses/kits/manage/", None, trainer_only(200)),
    "courses.new_kit": ("GET", "/courses/kits/manage/new", None, trainer_only(200)),
    "courses.import_kit": ("GET", "/courses/kits/manage/import", None, trainer_only(200)),
    "courses.edit_kit": ("GET", M, None, team_only(200)),
    "courses.new_kit_part": ("GET", M + "/parts/new/case_study", None, team_only(200)),
    "courses.edit_kit_part": ("GET", M + "/parts/{case_study}", None, team_only(200)),
    "courses.move_kit_part": (
        "POST",
        M + "/parts/{case_study}/move",
        {"direction": "down"},
        team_only(302),
    ),
    "courses.delete_kit_part": ("POST", M + "/parts/{case_study}/delete", {}, team_only(302)),
    "courses.new_kit_question": ("GET", M + "/questions/new?kind=matching", None, team_only(200)),
    "courses.edit_kit_question": ("GET", M + "/questions/{question}", None, team_only(200)),
    "courses.publish_kit": ("POST", M + "/publish", {}, team_only(302)),
    "courses.unpublish_kit": ("POST", M + "/unpublish", {}, team_only(302)),
    "courses.preview_kit": ("GET", M + "/preview?lang=ar", None, team_only(200)),
    "courses.copy_kit": ("GET", M + "/copy", None, trainer_only(200)),
    "courses.export_kit": ("GET", M + "/export", None, team_only(200)),
    "courses.kit_translations": ("GET", M + "/translations?language=fr", None, team_only(200)),
    "courses.translate_kit_part": ("GET", M + "/translations/fr/{case_study}", None, team_only(200)),
    "courses.new_workshop": ("GET", "/courses/workshops/new", None, trainer_only(200)),
    "courses.edit_workshop": ("GET", W + "/edit", None, team_only(200)),
    "courses.manage_workshop": ("GET", W + "/manage", None, team_only(200)),
    "courses.workshop_flags": (
        "POST",
        W + "/settings",
        {"flag": "is_post_test_open", "value": "1"},
        team_only(302),
    ),
    "courses.workshop_kit_version": ("POST", W + "/kit-version", {}, team_only(302)),
    "courses.import_workshop_participants": ("GET", W + "/import", None, team_only(200)),
    "courses.register_workshop_participant": (
        "POST",
        W + "/participants/new",
        {"person-email": "walk.in@example.org", "person-name": "Walk In"},
        team_only(302),
    ),
    "courses.workshop_attendance": ("GET", W + "/attendance", None, team_only(200)),
    "courses.workshop_roster": ("GET", W + "/roster.csv", None, team_only(200)),
    "courses.workshop_codes": ("GET", W + "/check-in-codes", None, team_only(200)),
    "courses.check_in_by_hand": ("POST", W + "/participants/{participant}/check-in", {}, team_only(302)),
    "courses.check_in": ("GET", "/courses/workshops/check-in/{token}", None, team_only(200)),
    "courses.paper_results": ("GET", W + "/paper/post/{participant}", None, team_only(200)),
    "courses.workshop_results": ("GET", W + "/results", None, team_only(200)),
    "courses.issue_workshop_certificates": ("POST", W + "/certificates", {}, team_only(302)),
    "courses.workshop_feedback_summary": ("GET", W + "/feedback-summary", None, team_only(200)),
    "courses.kit_team": ("GET", M + "/team", None, team_only(200)),
    "courses.remove_kit_member": ("POST", M + "/team/999999/remove", {}, team_only(302)),
    "courses.workshop_team": ("GET", W + "/team", None, team_only(200)),
    "courses.kit_audit_trail": ("GET", M + "/audit", None, team_only(200)),
    "courses.workshop_audit_trail": ("GET", W + "/audit", None, team_only(200)),
    "courses.remove_workshop_member": ("POST", W + "/team/999999/remove", {}, team_only(302)),
}
ENDPOINTS_COVERED = set(CASES)
# Kit and workshop pages living in modules shared with courses (teams, audit trails).
TEAM_ENDPOINTS = {
    "courses.kit_team",
    "courses.remove_kit_member",
    "courses.workshop_team",
    "courses.remove_workshop_member",
    "courses.kit_audit_trail",
    "courses.workshop_audit_trail",
}


@pytest.fixture
def world(app, make_user, trainer):
    """A published kit and a workshop whose participant (the owner) is checked in, has started the
    pre-test online and holds a certificate."""
    from courses.services import workshops as ws
    from courses.services import workshops_attendance as attendance
    from courses.services import workshops_certs as wcerts
    from courses.services import workshops_registration as registration
    from courses.services import workshops_tests as tests
    from courses.services.kits_snapshot import publish

    kit = build_kit(trainer)
    file_part = add_file_resource(trainer, kit)
    publish(trainer, kit)
    workshop = build_workshop(trainer, kit, start=ws.today())
    ws.set_flags(trainer, workshop, is_pre_test_open=True)
    owner = make_user(name="Owner")
    participant, _ = registration.self_register(owner, workshop)
    attendance.mark_attended(trainer, participant, "manual")
    cert, _ = wcerts.issue(trainer, participant)
    tests.start_test(participant, "pre", "en")
    db.session.commit()
    return {
        "owner": owner,
        "workshop": workshop.uuid,
        "participant": participant.uuid,
        "code": cert.code,
        "certificate": cert.uuid,
        "token": attendance.check_in_token(participant),
        "handout": kit.parts_of("handout")[0].uuid,
        "case_study": kit.parts_of("case_study")[0].uuid,
        "question": kit.parts_of("question")[0].uuid,
        "file_part": file_part.uuid,
        "file_sha": file_part.settings["file"]["sha256"],
    }


@pytest.fixture
def users(make_user, trainer):
    """One user per role; ``team`` is the trainer who created the kit and the workshop of ``world``."""
    made = {role: make_user(role=role) for role in ROLES if role not in ("anonymous", "team")}
    return made | {"team": trainer}


def _check(client, login, users, role, method, url, data, want):
    client.post("/account/logout")
    if role != "anonymous":
        login(users[role])
    resp = client.get(url) if method == "GET" else client.post(url, data=data or {})
    if want == LOGIN:
        assert resp.status_code == 302 and "/account/login" in resp.headers["Location"], (
            role,
            resp.status_code,
        )
    else:
        assert resp.status_code == want, (role, resp.status_code, resp.get_data(as_text=True)[:300])
    resp.close()


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_route_authorization(endpoint, client, world, users, login):
    method, template, data, expected = CASES[endpoint]
    url = template.format(**world)
    for role in ROLES:
        _check(client, login, users, role, method, url, data, expected[role])


@pytest.mark.parametrize(
    "path, status",
    [
        ("/ticket", 200),
        ("/tests/pre", 200),
        ("/tests/pre/sheet", 200),
        ("/feedback", 200),
        ("/manage", 403),
    ],
)
def test_the_participant_opens_their_own_pages(client, world, login, path, status):
    login(world["owner"])
    assert client.get(f"/courses/workshops/{world['workshop']}{path}").status_code == status
    assert client.get(f"/courses/workshops/certificates/{world['certificate']}").status_code == 200


def test_every_kit_route_is_listed(app):
    kit_modules = (
        "courses.views.kits",
        "courses.views.kits_manage",
        "courses.views.kits_questions",
        "courses.views.kits_transfer",
        "courses.views.kits_translate",
        "courses.views.workshops",
        "courses.views.workshops_manage",
        "courses.views.workshops_attendance",
        "courses.views.workshops_certs",
    )
    ours = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if app.view_functions[rule.endpoint].__module__ in kit_modules
    }
    assert ours == ENDPOINTS_COVERED - TEAM_ENDPOINTS
    assert TEAM_ENDPOINTS <= {rule.endpoint for rule in app.url_map.iter_rules()}
