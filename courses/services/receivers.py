"""Receivers of the core signals (connected when the plugin's views are loaded, i.e. when the plugin is
enabled). They run inside the sender's transaction: they flush, never commit."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from courses.models import (
    Certificate,
    Course,
    Enrolment,
    ItemProgress,
    LaunchSession,
    QuizAttempt,
)
from courses.services.errors import CourseError
from lms.db import db
from lms.i18n import current_language
from lms.pdf import drop_cached
from lms.plugins import is_enabled
from lms.signals import (
    enrolment_requested,
    progress_requested,
    resume_requested,
    statement_recorded,
    user_data_export,
    user_deleted,
)


def _course_for(resource) -> Course | None:
    if not is_enabled("courses"):
        return None
    if getattr(resource, "kind", None) != "course" or getattr(resource, "plugin", "courses") != "courses":
        return None
    return db.session.scalar(select(Course).filter_by(uuid=resource.key))


def on_enrolment_requested(sender, user=None, source="other", **_kw):
    """Enrol ``user`` in the course ``sender`` points to (idempotent). Returns True when enrolled (or
    already), False when the course exists but refuses (closed, prerequisites), None when not ours."""
    course = _course_for(sender)
    if course is None or user is None:
        return None
    from courses.services.learning import enrol
    from courses.services.publishing import published_view

    view = published_view(course, getattr(user, "locale", None) or course.source_language)
    if view is None:
        return False
    try:
        enrol(user, course, view, source=str(source)[:30])
    except CourseError:
        return False
    return True


def on_progress_requested(sender, resources=(), **_kw):
    """``{resource.id: "enrolled" | "completed"}`` for the courses among ``resources``."""
    ours = {}
    for res in resources or []:
        course = _course_for(res)
        if course is not None:
            ours[course.id] = res.id
    if not ours or sender is None:
        return {}
    rows = db.session.scalars(
        select(Enrolment).where(Enrolment.user_id == sender.id, Enrolment.course_id.in_(list(ours)))
    ).all()
    return {ours[e.course_id]: ("completed" if e.completed_dt else "enrolled") for e in rows}


LIVE_STATUSES = ("published", "unpublished", "archived")  # what an enrolled learner can still open


def _next_step(enrolment: Enrolment, items: list[dict], done: set[str]) -> dict | None:
    """Where to go back to: the step last opened if it is not done, else the first step not done after
    it (then from the start), in study order."""
    start = next((n for n, i in enumerate(items) if i["uuid"] == enrolment.last_item_uuid), 0)
    return next((i for i in items[start:] + items[:start] if i["uuid"] not in done), None)


def on_resume_requested(sender, limit=3, **_kw) -> list[dict]:
    """The modules ``sender`` started (opened a step of) and has not completed, most recently studied
    first, at most ``limit``: each with the steps done and a link to the next step to study."""
    if not is_enabled("courses") or sender is None or not getattr(sender, "id", None):
        return []
    from courses.services.learning import done_items, resume_item
    from courses.services.publishing import published_view

    started = select(ItemProgress.id).where(ItemProgress.enrolment_id == Enrolment.id).exists()
    rows = db.session.execute(
        select(Enrolment, Course)
        .join(Course, Course.id == Enrolment.course_id)
        .where(
            Enrolment.user_id == sender.id,
            Enrolment.completed_dt.is_(None),
            started,
            Course.published_version.is_not(None),
            Course.status.in_(LIVE_STATUSES),
        )
        .order_by(Enrolment.last_activity_dt.desc(), Enrolment.id.desc())
        .limit(max(0, int(limit)))
    ).all()
    language = current_language()
    out = []
    for enrolment, course in rows:
        view = published_view(course, language)
        if view is None or not view.items:
            continue
        done = done_items(enrolment)
        total = len(view.items)
        step = _next_step(enrolment, view.items, done) or resume_item(enrolment, view)
        out.append(
            {
                "title": view.title,
                "language": view.title_language,
                "kind": _("Module"),
                "progress": ngettext(
                    "%(done)s of %(num)s step done",
                    "%(done)s of %(num)s steps done",
                    total,
                    done=sum(1 for i in view.items if i["uuid"] in done),
                ),
                "url": url_for("courses.item", slug=course.slug, item_slug=step["slug"]),
                "last_active": enrolment.last_activity_dt,
            }
        )
    return out


def on_user_data_export(sender, **_kw):
    """The user's enrolments, progress, quiz attempts, certificates."""
    if not is_enabled("courses"):
        return None
    user = sender
    out = {"enrolments": [], "certificates": []}
    enrolments = db.session.scalars(
        select(Enrolment)
        .filter_by(user_id=user.id)
        .options(selectinload(Enrolment.course))
        .order_by(Enrolment.id)
    ).all()
    ids = select(Enrolment.id).where(Enrolment.user_id == user.id)
    steps: dict[int, list[dict]] = {e.id: [] for e in enrolments}
    for p in db.session.scalars(
        select(ItemProgress).where(ItemProgress.enrolment_id.in_(ids)).order_by(ItemProgress.id)
    ):
        steps[p.enrolment_id].append(
            {
                "step": p.item_uuid,
                "first_seen": p.first_seen_dt.isoformat(),
                "done": p.done_dt.isoformat() if p.done_dt else None,
            }
        )
    attempts: dict[int, list[dict]] = {e.id: [] for e in enrolments}
    for a in db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.enrolment_id.in_(ids)).order_by(QuizAttempt.id)
    ):
        attempts[a.enrolment_id].append(
            {
                "quiz": a.quiz_uuid,
                "number": a.number,
                "language": a.language,
                "started": a.started_dt.isoformat(),
                "submitted": a.submitted_dt.isoformat() if a.submitted_dt else None,
                "score_scaled": a.score_scaled,
                "passed": a.is_passed,
                "responses": a.responses,
            }
        )
    for e in enrolments:
        out["enrolments"].append(
            {
                "course": e.course.slug,
                "registration": e.uuid,
                "enrolled": e.enrolled_dt.isoformat(),
                "completed": e.completed_dt.isoformat() if e.completed_dt else None,
                "source": e.source,
                "steps": steps[e.id],
                "quiz_attempts": attempts[e.id],
            }
        )
    for c in db.session.scalars(select(Certificate).filter_by(user_id=user.id)):
        out["certificates"].append(
            {
                "course": c.course_title,
                "name": c.learner_name,
                "code": c.code,
                "issued": c.issued_dt.isoformat(),
            }
        )
    return ("courses", out)


def on_user_deleted(sender, pseudonym=None, **_kw):
    """Erase what names the person (certificates carry the name; launch sessions carry credentials).
    Enrolments, progress and attempts stay as anonymous aggregates of the pseudonymised account."""
    if not is_enabled("courses"):
        return None
    user = sender
    for cert_uuid in db.session.scalars(select(Certificate.uuid).where(Certificate.user_id == user.id)):
        drop_cached(f"certificates/{cert_uuid}")  # the cached PDFs show the name too
    db.session.execute(delete(Certificate).where(Certificate.user_id == user.id))
    enrolment_ids = select(Enrolment.id).where(Enrolment.user_id == user.id)
    db.session.execute(delete(LaunchSession).where(LaunchSession.enrolment_id.in_(enrolment_ids)))
    for attempt in db.session.scalars(select(QuizAttempt).where(QuizAttempt.enrolment_id.in_(enrolment_ids))):
        # Free-text answers (fill-in) could name someone: keep the scores, drop the texts.
        attempt.responses = {}
    db.session.flush()


def on_statement_recorded(sender, statement=None, user=None, **_kw):
    """Statements sent by imported xAPI/cmi5 packages complete their step (see xapi_packages)."""
    if not is_enabled("courses"):
        return None
    if not statement or user is None:
        return None
    from courses.services.xapi_packages import statement_received

    return statement_received(statement, user)


def connect() -> None:
    enrolment_requested.connect(on_enrolment_requested)
    progress_requested.connect(on_progress_requested)
    resume_requested.connect(on_resume_requested)
    user_data_export.connect(on_user_data_export)
    user_deleted.connect(on_user_deleted)
    statement_recorded.connect(on_statement_recorded)
