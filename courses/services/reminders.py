"""Reminder mails to learners who stalled, and messages from a trainer to a course's learners. Mail goes
through the core outbox (delivered by the scheduler), so nothing is sent twice or lost."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from courses.models import Course, Enrolment
from courses.services.errors import CourseError
from lms.db import db, utcnow
from lms.mail import queue_mail
from lms.models import User, audit

DEFAULT_REMINDER_DAYS = 14


def reminder_days() -> int:
    return int(current_app.config.get("COURSES_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def _course_title(course: Course, language: str) -> str:
    from courses.services.publishing import published_view

    view = published_view(course, language)
    return view.title if view is not None else course.slug


def send_reminders(now=None) -> int:
    """Queue one reminder per stalled enrolment (started, not completed, no activity for the configured
    number of days, not reminded since its last activity, learner not opted out in their profile).
    Returns the count."""
    now = now or utcnow()
    cutoff = now - timedelta(days=reminder_days())
    rows = db.session.scalars(
        select(Enrolment)
        .join(Course, Course.id == Enrolment.course_id)
        .join(User, User.id == Enrolment.user_id)
        .where(
            Enrolment.completed_dt.is_(None),
            Enrolment.last_activity_dt <= cutoff,
            Enrolment.last_item_uuid.is_not(None),
            Course.status == "published",
            User.deleted_dt.is_(None),
            User.is_active_account.is_(True),
            User.is_reminders_off.is_(False),
        )
    ).all()
    base = current_app.config["BASE_URL"].rstrip("/")
    sent = 0
    for enrolment in rows:
        if (
            enrolment.reminder_sent_dt is not None
            and enrolment.reminder_sent_dt >= enrolment.last_activity_dt
        ):
            continue
        user = enrolment.user
        with force_locale(user.locale or "en"):
            title = _course_title(enrolment.course, user.locale or "en")
            subject = _("Continue your module: %(title)s", title=title)
            body = _(
                'Hello %(name)s,\n\nYou started the module "%(title)s" and have not been back for a while. '
                "Continue where you left off:\n%(url)s\n\nTo stop these reminders: %(prefs)s\n",
                name=user.name,
                title=title,
                url=f"{base}/courses/{enrolment.course.slug}",
                prefs=f"{base}/account/profile",
            )
        queue_mail(user.email, subject, body)
        enrolment.reminder_sent_dt = now
        sent += 1
    db.session.flush()
    return sent


def message_learners(actor, course: Course, subject: str, body: str) -> int:
    """Queue the trainer's message to every active learner enrolled in the course. Returns the count."""
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject or not body:
        raise CourseError(_("Write a subject and a message."))
    users = db.session.scalars(
        select(User)
        .join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.course_id == course.id, User.deleted_dt.is_(None), User.is_active_account.is_(True))
    ).all()
    for user in users:
        queue_mail(user.email, subject, body)
    audit(
        actor,
        "courses.learners_messaged",
        "course",
        course.uuid,
        recipients=len(users),
        subject=subject[:200],
    )
    return len(users)
