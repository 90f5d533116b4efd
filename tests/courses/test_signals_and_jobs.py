"""Signals the plugin answers (enrolment and progress requests, data export, deletion), reminder mails,
and offline copies."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from flask_babel import force_locale, gettext
from sqlalchemy import select

from lms.db import db, utcnow
from tests.courses.conftest import build_course, statements


def test_enrolment_requested_enrols_once_and_progress_is_reported(app, course, learner):
    from courses.models import Enrolment
    from lms.registry import get_resource
    from lms.signals import enrolment_requested, progress_requested

    resource = get_resource("course", course.uuid)
    answers = [
        r for _f, r in enrolment_requested.send(resource, user=learner, source="readiness") if r is not None
    ]
    assert answers == [True]
    enrolment_requested.send(resource, user=learner, source="readiness")
    rows = db.session.scalars(select(Enrolment)).all()
    assert len(rows) == 1 and rows[0].source == "readiness"
    assert len(statements("registered")) == 1
    progress = {}
    for _f, result in progress_requested.send(learner, resources=[resource]):
        progress.update(result or {})
    assert progress == {resource.id: "enrolled"}
    rows[0].completed_dt = utcnow()
    progress = {}
    for _f, result in progress_requested.send(learner, resources=[resource]):
        progress.update(result or {})
    assert progress == {resource.id: "completed"}


def test_course_enrolled_is_sent_once_with_the_registration(app, course, learner):
    from courses.models import Enrolment
    from courses.services import learning
    from courses.services.publishing import published_view
    from lms.registry import get_resource
    from lms.signals import course_enrolled

    received = []

    def receiver(sender, **kw):
        received.append((sender, kw))

    view = published_view(course, "en")
    with course_enrolled.connected_to(receiver):
        learning.enrol(learner, course, view)
        learning.enrol(learner, course, view)  # already enrolled: found, not created
    enrolment = db.session.scalar(select(Enrolment))
    assert received == [
        (get_resource("course", course.uuid), {"user": learner, "registration": enrolment.uuid})
    ]


def test_enrolment_request_for_an_unmet_prerequisite_is_refused(app, trainer, learner):
    from courses.services import authoring, publishing
    from lms.registry import get_resource
    from lms.signals import enrolment_requested

    build_course(trainer, slug="basics")
    adv = build_course(trainer, slug="advanced", publish=False)
    authoring.update_course(
        trainer,
        adv,
        title="Adv",
        summary="S",
        level="advanced",
        estimated_minutes=5,
        articles=[],
        prerequisites=["basics"],
        is_certificate=True,
    )
    publishing.publish(trainer, adv)
    answers = [
        r
        for _f, r in enrolment_requested.send(get_resource("course", adv.uuid), user=learner, source="x")
        if r is not None
    ]
    assert answers == [False]


def test_user_data_export_and_deletion(app, trainer, learner):
    from courses.models import Certificate, Enrolment
    from courses.services import learning, publishing
    from lms.signals import user_data_export, user_deleted

    course = build_course(trainer, slug="basics", publish=False, questions=False)
    from courses.services import authoring

    authoring.delete_item(trainer, next(i for i in course.units[0].items if i.kind == "quiz"))
    publishing.publish(trainer, course)
    view = publishing.published_view(course, "en")
    enrolment, _ = learning.enrol(learner, course, view)
    for item in view.items:
        learning.mark_done(learner, enrolment, view, item)
    db.session.commit()
    sections = dict(r for _f, r in user_data_export.send(learner) if r)
    data = sections["courses"]
    assert data["enrolments"][0]["course"] == "basics" and data["enrolments"][0]["completed"]
    assert data["certificates"][0]["name"] == "Léa Learner"
    user_deleted.send(learner, pseudonym="pseudo-1")
    db.session.commit()
    assert db.session.scalar(select(Certificate)) is None  # the name is gone from public verification
    assert db.session.scalar(select(Enrolment)) is not None  # aggregates stay


def test_reminders_after_stalling_with_opt_out_and_once(app, course, learner, make_user):
    from courses.models import Enrolment
    from courses.services import learning
    from courses.services.publishing import published_view
    from courses.services.reminders import send_reminders
    from lms.models import OutboxMessage

    other = make_user(name="Opted Out")
    other.is_reminders_off = True  # the profile's setting, shared by every plugin's reminders
    view = published_view(course, "en")
    for user in (learner, other):
        enrolment, _ = learning.enrol(user, course, view)
        learning.open_item(user, enrolment, view, view.items[0], "en")
        enrolment.last_activity_dt = utcnow() - timedelta(days=20)
    db.session.commit()
    assert send_reminders() == 1
    db.session.commit()
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert [m.recipient for m in mails] == [learner.email] and "The Convention in brief" in mails[0].subject
    assert send_reminders() == 0  # once per period of inactivity
    enrolment = db.session.scalar(select(Enrolment).filter_by(user_id=learner.id))
    enrolment.last_activity_dt = utcnow() - timedelta(days=1)
    db.session.commit()
    assert send_reminders() == 0  # active again: no reminder


def test_scheduled_job_is_declared(app):
    from courses.tasks import JOBS

    assert any(job.id == "courses.reminders" for job in JOBS)


def test_old_reminder_settings_link_leads_to_the_profile(client, learner, login):
    # Reminder mails sent before the setting moved to the profile link to /courses/preferences.
    login(learner)
    resp = client.get("/courses/preferences")
    assert resp.status_code == 301 and resp.headers["Location"].endswith("/account/profile")


def test_reminder_mail_links_the_profile(app, course, learner):
    from courses.services import learning
    from courses.services.publishing import published_view
    from courses.services.reminders import send_reminders
    from lms.models import OutboxMessage

    view = published_view(course, "en")
    enrolment, _ = learning.enrol(learner, course, view)
    learning.open_item(learner, enrolment, view, view.items[0], "en")
    enrolment.last_activity_dt = utcnow() - timedelta(days=20)
    db.session.commit()
    assert send_reminders() == 1
    mail = db.session.scalar(select(OutboxMessage))
    assert "/account/profile" in mail.body and "/courses/preferences" not in mail.body


def test_offline_zip_in_the_learners_language(client, course, trainer, learner, login):
    from courses.services import publishing, translation

    history = next(i for i in course.units[0].items if i.slug == "history")
    translation.save_translation(
        trainer, course, history.uuid, "fr", {"title": "Historique", "body": "Adoptée."}
    )
    publishing.publish(trainer, course)
    db.session.commit()
    login(learner)
    client.post("/courses/basics/enrol")
    client.get("/language/fr")
    resp = client.get("/courses/basics/offline.zip")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(resp.data))
    names = set(archive.namelist())
    assert {"index.html", "style.css", "quiz-sheet.html"} <= names
    lesson_files = sorted(n for n in names if n.endswith(".html") and n[:2].isdigit())
    assert len(lesson_files) == 2
    first = archive.read(lesson_files[0]).decode()
    assert "Historique" in first and "<script" not in first
    second = archive.read(lesson_files[1]).decode()
    assert "pas encore disponible" in second or "not yet available" in second
    sheet = archive.read("quiz-sheet.html").decode()
    assert "When did the Convention enter into force?" in sheet or "Quand" in sheet
    assert "2017" in sheet and "correct" not in sheet.lower()
    unit = course.units[0].uuid
    assert client.get(f"/courses/basics/offline.zip?unit={unit}").status_code == 200
    assert client.get("/courses/basics/offline.zip?unit=nope").status_code == 404


def test_an_arabic_offline_copy_marks_english_lessons_and_keeps_its_own_words_arabic(
    client, course, learner, login
):
    # The lesson page was marked English and left-to-right as a whole, notice and links included, and
    # the index marked the English titles Arabic (so "History?"-like titles lost their punctuation).
    login(learner)
    client.post("/courses/basics/enrol")
    client.get("/language/ar")
    archive = zipfile.ZipFile(io.BytesIO(client.get("/courses/basics/offline.zip").data))
    lesson = archive.read(sorted(n for n in archive.namelist() if n[:2].isdigit())[0]).decode()
    assert '<html lang="ar" dir="rtl">' in lesson
    assert '<article lang="en" dir="ltr">' in lesson
    assert "التالي ←" in lesson
    index = archive.read("index.html").decode()
    assert '<html lang="ar" dir="rtl">' in index and '<h1 lang="en" dir="ltr">' in index
    # The quiz sheet: the English quiz says it is English, the sheet's own words inside it are Arabic.
    sheet = archive.read("quiz-sheet.html").decode()
    assert '<section lang="en" dir="ltr">' in sheet
    with force_locale("ar"):
        true, answer = gettext("True"), gettext("Answer:")
    assert f'☐ <span lang="ar" dir="rtl">{true}</span>' in sheet
    assert f'<span lang="ar" dir="rtl">{answer}</span> ___' in sheet
    assert 'lang="en" dir="ltr">History</a>' in index
