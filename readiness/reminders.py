"""Reminders about assessments that stalled, run daily by the scheduler (:mod:`readiness.tasks`).

- A **draft** with no activity (no answer saved, no change to the assessment) for ``N`` days: each invited
  section editor who still has unanswered questions in their sections gets a reminder naming those
  sections. Reviewers have no questions to answer and are not reminded.
- An assessment **in review** for ``N`` days: the coordinator gets a reminder to send it on to the
  submitter (or back to the team).

``N`` is the setting ``READINESS_REMINDER_DAYS`` (environment ``LMS_READINESS_REMINDER_DAYS``, default
14). A person is reminded at most once per period of ``N`` days: running the job again the same day, or
every hour, sends nothing new; after another ``N`` days without activity the reminder is repeated. Saving
an answer starts a new period.

Mail goes through the core outbox in the recipient's language. Deleted or deactivated accounts, and
colleagues who have left the country, are never mailed, nor users who turned reminders off in their
profile (``User.is_reminders_off``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select

from lms.countries import country_name
from lms.db import db, utcnow
from lms.mail import queue_mail
from lms.models import User
from readiness import permissions
from readiness.base import questionnaire_for
from readiness.models import Answer, Assessment, Member
from readiness.questionnaire import pick
from readiness.scoring import completeness

DEFAULT_REMINDER_DAYS = 14


def reminder_days() -> int:
    return max(1, int(current_app.config.get("READINESS_REMINDER_DAYS", DEFAULT_REMINDER_DAYS)))


def opted_out(user: User) -> bool:
    """Whether ``user`` turned reminder e-mails off in their profile."""
    return user.is_reminders_off


def _mailable(user: User | None) -> bool:
    return user is not None and user.is_active and not opted_out(user)


def last_activity(assessment: Assessment) -> datetime:
    """The latest change to the assessment or one of its answers."""
    latest_answer = db.session.scalar(
        select(func.max(Answer.updated_dt)).where(Answer.assessment_id == assessment.id)
    )
    times = [t for t in (assessment.created_dt, assessment.updated_dt) if t is not None]
    if latest_answer is not None:
        # SQLite returns aggregates without the column type: make it comparable
        if isinstance(latest_answer, str):
            latest_answer = datetime.fromisoformat(latest_answer)
        if latest_answer.tzinfo is None:
            latest_answer = latest_answer.replace(tzinfo=utcnow().tzinfo)
        times.append(latest_answer)
    return max(times)


def _due(reminded: datetime | None, since: datetime, now: datetime, period: timedelta) -> bool:
    """Quiet for a whole period since ``since``, and not reminded within the last period after it."""
    if now - since < period:
        return False
    return reminded is None or reminded < since or now - reminded >= period


def _link(assessment: Assessment, suffix: str = "") -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/readiness/a/{assessment.uuid}{suffix}"


def remind_editor(assessment: Assessment, member: Member, open_sections: list[tuple[str, int]]) -> None:
    user = member.user
    lang = user.locale or "en"
    q = questionnaire_for(assessment)
    with force_locale(lang):
        lines = "\n".join(
            _(
                "- %(section)s: %(n)s unanswered",
                section=pick(q.dimension(dim_id).title, lang)[0],
                n=count,
            )
            for dim_id, count in open_sections
        )
        subject = _(
            "Reminder: questions are waiting for you in the digital-readiness assessment %(cycle)s",
            cycle=assessment.cycle,
        )
        body = ngettext(
            "Hello %(name)s,\n\nThe digital-readiness self-assessment of %(country)s (%(cycle)s) has had no "
            "activity for %(num)s day. These sections of yours still have unanswered questions:\n"
            "%(sections)s\n\nAnswer them here: %(link)s\n",
            "Hello %(name)s,\n\nThe digital-readiness self-assessment of %(country)s (%(cycle)s) has had no "
            "activity for %(num)s days. These sections of yours still have unanswered questions:\n"
            "%(sections)s\n\nAnswer them here: %(link)s\n",
            reminder_days(),
            name=user.name,
            country=country_name(assessment.country_code, lang),
            cycle=assessment.cycle,
            sections=lines,
            link=_link(assessment),
        )
    queue_mail(user.email, subject, body)


def remind_coordinator(assessment: Assessment, now: datetime) -> None:
    user = assessment.coordinator
    lang = user.locale or "en"
    with force_locale(lang):
        subject = _(
            "Reminder: the digital-readiness assessment %(cycle)s is waiting in review",
            cycle=assessment.cycle,
        )
        body = ngettext(
            "Hello %(name)s,\n\nThe digital-readiness self-assessment of %(country)s (%(cycle)s) has been in "
            "review for %(num)s day. When the review is done, the submitter can submit it; if it needs "
            "more work, send it back to the team.\n\n%(link)s\n",
            "Hello %(name)s,\n\nThe digital-readiness self-assessment of %(country)s (%(cycle)s) has been in "
            "review for %(num)s days. When the review is done, the submitter can submit it; if it needs "
            "more work, send it back to the team.\n\n%(link)s\n",
            (now - assessment.review_dt).days,
            name=user.name,
            country=country_name(assessment.country_code, lang),
            cycle=assessment.cycle,
            link=_link(assessment, "/review"),
        )
    queue_mail(user.email, subject, body)


def open_sections(assessment: Assessment, member: Member) -> list[tuple[str, int]]:
    """The member's sections with unanswered shown questions: ``[(dimension id, count)]``."""
    from readiness.answers import answer_values

    q = questionnaire_for(assessment)
    done = completeness(q, answer_values(assessment))
    sections = permissions.editable_sections(member.user, assessment, [d.id for d in q.dimensions])
    # "Don't know" is the team's answer for now: only questions without any answer are pending.
    return [(d, done[d].applicable - done[d].responded) for d in sections if not done[d].is_complete]


def send_reminders(now: datetime | None = None) -> int:
    """Queue the reminders that are due (see the module docstring). Returns how many were queued.
    Flushes; the caller commits."""
    now = now or utcnow()
    period = timedelta(days=reminder_days())
    sent = 0
    drafts = db.session.scalars(select(Assessment).where(Assessment.state == "draft")).all()
    for assessment in drafts:
        since = last_activity(assessment)
        for member in assessment.members:
            if member.role != "editor" or not _due(member.reminded_dt, since, now, period):
                continue
            if not _mailable(member.user) or not permissions.is_team(member.user, assessment):
                continue
            pending = open_sections(assessment, member)
            if pending:
                remind_editor(assessment, member, pending)
                member.reminded_dt = now
                sent += 1
    in_review = db.session.scalars(
        select(Assessment).where(Assessment.state == "in_review", Assessment.review_dt.is_not(None))
    ).all()
    for assessment in in_review:
        coordinator = assessment.coordinator
        if not _due(assessment.review_reminded_dt, assessment.review_dt, now, period):
            continue
        if not _mailable(coordinator) or not permissions.is_coordinator(coordinator, assessment):
            continue
        remind_coordinator(assessment, now)
        assessment.review_reminded_dt = now
        sent += 1
    db.session.flush()
    return sent
