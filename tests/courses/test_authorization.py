"""Every route of the courses plugin, for anonymous visitors, learners, coordinators, a trainer outside
the course's team, the course's team (its owner) and admins. ``"login"`` means a redirect to the
sign-in page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.db import db
from tests.courses.conftest import build_course

ROLES = ("anonymous", "learner", "coordinator", "trainer", "team", "admin")
LOGIN = "login"


def _everyone(status):
    return dict.fromkeys(ROLES, status)


PUBLIC = _everyone(200)
SIGNED_IN = {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 200)
NOT_ENROLLED = {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 302)
OWNER_ONLY = {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 404)
CERTIFICATE = {
    "anonymous": 404,
    "learner": 403,
    "coordinator": 403,
    "trainer": 403,
    "team": 200,
    "admin": 200,
}


def author(status):
    """The course's team and admins; a trainer outside the team is refused like a learner."""
    return {
        "anonymous": LOGIN,
        "learner": 403,
        "coordinator": 403,
        "trainer": 403,
        "team": status,
        "admin": status,
    }


def any_trainer(status):
    """Pages of no particular course: every trainer (they create courses, then own them)."""
    return author(status) | {"trainer": status}


# endpoint -> (method, url template, form data, expected per role)
CASES = {
    "courses.catalogue": ("GET", "/courses/", None, PUBLIC),
    "courses.kits": ("GET", "/courses/kits", None, PUBLIC),
    "courses.course": ("GET", "/courses/basics", None, PUBLIC),
    "courses.verify": ("GET", "/courses/verify", None, PUBLIC),
    "courses.verified": ("GET", "/courses/verify/{code}", None, PUBLIC),
    "courses.issuer": ("GET", "/courses/badges/issuer.json", None, PUBLIC),
    "courses.media_file": ("GET", "/courses/basics/media/map.png", None, PUBLIC),
    "courses.static": ("GET", "/courses/static/courses.css", None, PUBLIC),
    "courses.package_file": ("GET", "/courses/basics/run/{session}/index.html", None, PUBLIC),
    "courses.cmi5_fetch": ("POST", "/courses/cmi5/fetch/unknown-token", None, _everyone(404)),
    "courses.my_learning": ("GET", "/courses/my", None, SIGNED_IN),
    "courses.preferences": ("GET", "/courses/preferences", None, _everyone(301)),
    "courses.enrol": ("POST", "/courses/basics/enrol", {}, NOT_ENROLLED),
    "courses.resume": ("POST", "/courses/basics/continue", {}, NOT_ENROLLED),
    "courses.item": ("GET", "/courses/basics/learn/history", None, NOT_ENROLLED),
    "courses.mark_done": ("POST", "/courses/basics/learn/history/done", {}, NOT_ENROLLED),
    "courses.start_attempt": ("POST", "/courses/basics/learn/check/attempts", {}, NOT_ENROLLED),
    "courses.launch": ("POST", "/courses/basics/learn/self-check/launch", {}, NOT_ENROLLED),
    "courses.offline": ("GET", "/courses/basics/offline.zip", None, NOT_ENROLLED),
    "courses.attempt": ("GET", "/courses/basics/attempts/{attempt}", None, OWNER_ONLY),
    "courses.result": ("GET", "/courses/basics/attempts/{attempt}/result", None, OWNER_ONLY),
    "courses.certificate": ("GET", "/courses/certificates/{certificate}", None, CERTIFICATE),
    "courses.badge": ("GET", "/courses/certificates/{certificate}/badge.json", None, CERTIFICATE),
    "courses.certificate_pdf": (
        "GET",
        "/courses/certificates/{certificate}/certificate.pdf",
        None,
        CERTIFICATE,
    ),
    "courses.manage": ("GET", "/courses/manage/", None, any_trainer(200)),
    "courses.new_course": ("GET", "/courses/manage/new", None, any_trainer(200)),
    "courses.import_package": ("GET", "/courses/manage/import", None, any_trainer(200)),
    "courses.course_team": ("GET", "/courses/manage/basics/team", None, author(200)),
    # Removing someone who is not in the team is refused with a message (nothing changes).
    "courses.remove_course_member": ("POST", "/courses/manage/basics/team/999999/remove", {}, author(302)),
    "courses.edit_course": ("GET", "/courses/manage/basics", None, author(200)),
    "courses.publish": ("POST", "/courses/manage/basics/publish", {}, author(302)),
    "courses.unpublish": ("POST", "/courses/manage/basics/unpublish", {}, author(302)),
    "courses.archive": ("POST", "/courses/manage/basics/archive", {}, author(302)),
    "courses.restore": ("POST", "/courses/manage/basics/restore", {}, author(302)),
    "courses.new_unit": ("GET", "/courses/manage/basics/units/new", None, author(200)),
    "courses.edit_unit": ("GET", "/courses/manage/basics/units/{unit}", None, author(200)),
    "courses.move_unit": (
        "POST",
        "/courses/manage/basics/units/{unit}/move",
        {"direction": "down"},
        author(302),
    ),
    "courses.delete_unit": ("POST", "/courses/manage/basics/units/{unit}/delete", {}, author(302)),
    "courses.new_lesson": ("GET", "/courses/manage/basics/units/{unit}/lessons/new", None, author(200)),
    "courses.edit_lesson": ("GET", "/courses/manage/basics/lessons/{lesson}", None, author(200)),
    "courses.new_quiz": ("GET", "/courses/manage/basics/units/{unit}/quizzes/new", None, author(200)),
    "courses.edit_quiz": ("GET", "/courses/manage/basics/quizzes/{quiz}", None, author(200)),
    "courses.new_question": (
        "GET",
        "/courses/manage/basics/quizzes/{quiz}/questions/new?kind=ordering",
        None,
        author(200),
    ),
    "courses.edit_question": ("GET", "/courses/manage/basics/questions/{question}", None, author(200)),
    "courses.move_question": (
        "POST",
        "/courses/manage/basics/questions/{question}/move",
        {"direction": "up"},
        author(302),
    ),
    "courses.delete_question": (
        "POST",
        "/courses/manage/basics/questions/{question}/delete",
        {},
        author(302),
    ),
    "courses.move_item": (
        "POST",
        "/courses/manage/basics/items/{lesson}/move",
        {"direction": "down"},
        author(302),
    ),
    "courses.delete_item": ("POST", "/courses/manage/basics/items/{lesson}/delete", {}, author(302)),
    "courses.new_package": ("GET", "/courses/manage/basics/units/{unit}/packages/new", None, author(200)),
    "courses.edit_package": ("GET", "/courses/manage/basics/packages/{package_item}", None, author(200)),
    "courses.preview": ("GET", "/courses/manage/basics/preview/history?lang=fr", None, author(200)),
    "courses.audit_trail": ("GET", "/courses/manage/basics/audit", None, author(200)),
    "courses.translations": ("GET", "/courses/manage/basics/translations", None, author(200)),
    "courses.translate_language": ("GET", "/courses/manage/basics/translations/fr", None, author(200)),
    "courses.translate_part": ("GET", "/courses/manage/basics/translations/fr/{lesson}", None, author(200)),
    "courses.media": ("GET", "/courses/manage/basics/media", None, author(200)),
    "courses.delete_media_file": ("POST", "/courses/manage/basics/media/map.png/delete", {}, author(302)),
    "courses.message_learners": ("GET", "/courses/manage/basics/message", None, author(200)),
    "courses.learners": ("GET", "/courses/manage/basics/learners", None, author(200)),
    "courses.export_package": ("GET", "/courses/manage/basics/export", None, author(200)),
}
ENDPOINTS_COVERED = set(CASES)


@pytest.fixture
def world(app, make_user, trainer):
    """A published course with a lesson, a quiz, a package and an image; an owner learner with a
    certificate of another course and an open quiz attempt; a launch session of the package."""
    from courses.demo.xapi_package import build
    from courses.models import QuizAttempt
    from courses.services import learning, publishing, quizzes
    from courses.services.media import save_media
    from courses.services.xapi_packages import add_package, start_launch

    course = build_course(trainer, slug="basics", publish=False)
    add_package(trainer, course.units[0], slug="self-check", title="", required=False, data=build("tincan"))
    save_media(trainer, course, "map.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    publishing.publish(trainer, course)
    other = build_course(trainer, slug="short", publish=False, questions=False)
    from courses.services import authoring

    authoring.delete_item(trainer, next(i for i in other.units[0].items if i.kind == "quiz"))
    publishing.publish(trainer, other)
    owner = make_user(name="Owner")
    view = publishing.published_view(other, "en")
    enrolment, _ = learning.enrol(owner, other, view)
    for item in view.items:
        learning.mark_done(owner, enrolment, view, item)
    bview = publishing.published_view(course, "en")
    benrol, _ = learning.enrol(owner, course, bview)
    quizzes.start_attempt(owner, benrol, bview, bview.item("check"))
    package_item = bview.item("self-check")
    from courses.services.xapi_packages import package_of

    session, _url = start_launch(
        owner,
        benrol,
        bview,
        package_item,
        package_of(package_item),
        files_url=lambda s: "/",
        fetch_url=lambda t: "/",
        return_url="/",
    )
    db.session.commit()
    from courses.models import Certificate, Item, Question

    return {
        "code": db.session.scalar(select(Certificate)).code,
        "certificate": db.session.scalar(select(Certificate)).uuid,
        "attempt": db.session.scalar(select(QuizAttempt)).uuid,
        "unit": course.units[0].uuid,
        "lesson": db.session.scalar(select(Item).filter_by(course_id=course.id, slug="history")).uuid,
        "quiz": db.session.scalar(select(Item).filter_by(course_id=course.id, slug="check")).uuid,
        "package_item": db.session.scalar(
            select(Item).filter_by(course_id=course.id, slug="self-check")
        ).uuid,
        "question": db.session.scalar(select(Question)).uuid,
        "session": session.uuid,
    }


@pytest.fixture
def users(make_user, trainer):
    """One user per role; ``team`` is the trainer who created (owns) the courses of ``world``."""
    made = {role: make_user(role=role) for role in ROLES if role not in ("anonymous", "team")}
    return made | {"team": trainer}


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_route_authorization(endpoint, client, world, users, login):
    method, template, data, expected = CASES[endpoint]
    url = template.format(**world)
    for role in ROLES:
        client.post("/account/logout")
        if role != "anonymous":
            login(users[role])
        if method == "GET":
            resp = client.get(url)
        else:
            resp = client.post(url, data=data or {})
        want = expected[role]
        if want == LOGIN:
            assert resp.status_code == 302 and "/account/login" in resp.headers["Location"], (
                role,
                resp.status_code,
            )
        else:
            assert resp.status_code == want, (role, resp.status_code, resp.get_data(as_text=True)[:300])
        resp.close()


def test_every_listed_endpoint_exists(app):
    """The global check covers every route; this one catches renamed endpoints of this area. (Kits and
    workshops routes, tier 3, are covered by tests/courses/kits.)"""
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("courses.")}
    assert ENDPOINTS_COVERED <= endpoints


@pytest.mark.parametrize(
    "path", ["/courses/manage/basics/units/{unit}/lessons/new", "/courses/manage/basics/lessons/{lesson}"]
)
def test_previewing_a_lesson_is_for_its_authors_only(path, client, world, users, login):
    # The preview skips the form's other fields, not the authorisation.
    url = path.format(**world)
    expected = author(200)
    for role in ROLES:
        client.post("/account/logout")
        if role != "anonymous":
            login(users[role])
        resp = client.post(url, data={"body": "**Draft** text", "preview": "Preview"})
        if expected[role] == LOGIN:
            assert resp.status_code == 302 and "/account/login" in resp.headers["Location"], role
        else:
            assert resp.status_code == expected[role], (role, resp.status_code)
            assert ("<strong>Draft</strong>" in resp.get_data(as_text=True)) == (expected[role] == 200), role
