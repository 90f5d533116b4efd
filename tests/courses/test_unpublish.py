"""Unpublishing or archiving a course: it leaves the catalogue and takes no new learners, while the
learners already enrolled keep studying the version they know (with a notice) and keep their
certificates, which stay verifiable."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.db import db
from tests.courses.conftest import build_course


def _finish(user, course):
    from courses.services import authoring, learning, publishing

    quiz = next(i for i in course.units[0].items if i.kind == "quiz")
    authoring.delete_item(user, quiz)
    publishing.publish(user, course)
    view = publishing.published_view(course, "en")
    enrolment, _ = learning.enrol(user, course, view)
    for item in view.items:
        learning.mark_done(user, enrolment, view, item)
    db.session.commit()
    return enrolment


@pytest.mark.parametrize("action", ["unpublish", "archive"])
def test_enrolled_learners_keep_access_others_cannot_enrol(action, client, login, make_user, trainer):
    from courses.models import Certificate
    from courses.services import learning, publishing

    course = build_course(trainer)
    enrolled = make_user(name="Enrolled Learner")
    view = publishing.published_view(course, "en")
    learning.enrol(enrolled, course, view)
    graduate = make_user(name="Graduate Learner")
    _finish(graduate, course)
    cert = db.session.scalar(select(Certificate).filter_by(user_id=graduate.id))
    assert cert is not None
    version = course.published_version
    getattr(publishing, action)(trainer, course)
    db.session.commit()

    # Gone from the catalogue, for everyone.
    assert "/courses/basics" not in client.get("/courses/").get_data(as_text=True)
    # A learner who was not enrolled neither sees nor joins it.
    newcomer = make_user()
    login(newcomer)
    assert client.get("/courses/basics").status_code == 404
    assert client.post("/courses/basics/enrol", data={}).status_code == 404
    assert learning.get_enrolment(newcomer, course) is None
    with pytest.raises(Exception, match="not open for enrolment"):
        learning.enrol(newcomer, course, publishing.published_view(course, "en"))
    db.session.rollback()

    # The enrolled learner keeps the version they study, with a notice.
    client.post("/account/logout")
    login(enrolled)
    page = client.get("/courses/basics")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "closed to new learners" in text and "You keep access" in text
    assert f"<dd>{version}</dd>" in text
    lesson = client.get("/courses/basics/learn/history")
    assert lesson.status_code == 200 and "closed to new learners" in lesson.get_data(as_text=True)
    assert "entered into force" in lesson.get_data(as_text=True)
    assert client.post("/courses/basics/learn/history/done", data={}).status_code == 302
    resumed = client.post("/courses/basics/continue", data={})
    assert resumed.status_code == 302 and "/courses/basics/learn/" in resumed.headers["Location"]
    mine = client.get("/courses/my").get_data(as_text=True)
    assert "no longer offered to new learners" in mine and "/courses/basics/continue" in mine

    # The graduate keeps the certificate, and anyone can still verify it.
    client.post("/account/logout")
    login(graduate)
    assert client.get(f"/courses/certificates/{cert.uuid}").status_code == 200
    client.post("/account/logout")
    verified = client.get(f"/courses/verify/{cert.code}")
    assert verified.status_code == 200 and "Graduate Learner" in verified.get_data(as_text=True)


def test_unpublished_course_disappears_from_the_registry_but_keeps_its_owners(trainer):
    from courses.services import publishing
    from lms.registry import find_resources, resource_owners

    course = build_course(trainer)
    assert course.uuid in {r.key for r in find_resources(kinds=["course"])}
    publishing.unpublish(trainer, course)
    db.session.commit()
    assert course.uuid not in {r.key for r in find_resources(kinds=["course"])}
    assert resource_owners("course", course.uuid) == [trainer.id]
