"""Learning: enrolment, opening steps, "mark as done", resume, progress, completion and what changed
since the learner's last visit. Every learning event is an xAPI statement (registration = the
enrolment's UUID)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import select

from courses.models import Course, CourseVersion, Enrolment, ItemProgress
from courses.services.errors import CourseError
from courses.services.snapshot import CourseView
from lms import xapi
from lms.db import db, utcnow
from lms.registry import get_resource
from lms.signals import agenda_requested, course_completed, course_enrolled, followed_requested

COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
LESSON_TYPE = "http://adlnet.gov/expapi/activities/lesson"
ASSESSMENT_TYPE = "http://adlnet.gov/expapi/activities/assessment"
INTERACTION_TYPE = "http://adlnet.gov/expapi/activities/cmi.interaction"
MODULE_TYPE = "http://adlnet.gov/expapi/activities/module"


def course_iri(course_uuid: str) -> str:
    return xapi.activity_iri("course", course_uuid)


def item_iri(course_uuid: str, item: dict) -> str:
    return xapi.activity_iri("course", course_uuid, item["kind"], item["uuid"])


def get_enrolment(user, course: Course) -> Enrolment | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Enrolment).filter_by(course_id=course.id, user_id=user.id))


def completed_course_slugs(user) -> set[str]:
    rows = db.session.execute(
        select(Course.slug)
        .join(Enrolment, Enrolment.course_id == Course.id)
        .where(Enrolment.user_id == user.id, Enrolment.completed_dt.is_not(None))
    ).scalars()
    return set(rows)


def missing_prerequisites(user, course: Course) -> list[Course]:
    wanted = list(course.prerequisites or [])
    if not wanted:
        return []
    done = completed_course_slugs(user)
    return list(
        db.session.scalars(select(Course).where(Course.slug.in_([s for s in wanted if s not in done])))
    )


def enrol(user, course: Course, view: CourseView, *, source: str = "self") -> tuple[Enrolment, bool]:
    """Enrol ``user`` (idempotent). Returns ``(enrolment, created)``. Refuses closed courses and
    unmet prerequisites with a message naming them."""
    existing = get_enrolment(user, course)
    if existing is not None:
        return existing, False
    if course.status != "published" or course.published_version is None:
        raise CourseError(_("This module is not open for enrolment."))
    missing = missing_prerequisites(user, course)
    if missing:
        from courses.services.publishing import published_view

        names = ", ".join(
            (published_view(c, view.language).title if c.published_version else c.slug) for c in missing
        )
        raise CourseError(_("Complete these modules first: %(names)s.", names=names))
    enrolment = Enrolment(course_id=course.id, user_id=user.id, source=source, seen_version=view.version)
    db.session.add(enrolment)
    db.session.flush()
    xapi.record_statement(
        user=user,
        verb="registered",
        activity_id=course_iri(course.uuid),
        activity_type=COURSE_TYPE,
        activity_name=view.titles(),
        registration=enrolment.uuid,
        language=view.language,
    )
    resource = get_resource("course", course.uuid)
    if resource is not None:
        course_enrolled.send(resource, user=user, registration=enrolment.uuid)
    return enrolment, True


def resume_item(enrolment: Enrolment, view: CourseView) -> dict | None:
    """Where to continue: the step last opened, else the first step not done, else the first step."""
    if not view.items:
        return None
    if enrolment.last_item_uuid:
        item = view.item_by_uuid(enrolment.last_item_uuid)
        if item is not None:
            return item
    done = done_items(enrolment)
    return next((i for i in view.items if i["uuid"] not in done), view.items[0])


def launch(user, enrolment: Enrolment, view: CourseView) -> dict | None:
    """The learner (re)starts the course: ``launched`` statement; they have now seen this version."""
    xapi.record_statement(
        user=user,
        verb="launched",
        activity_id=course_iri(view.uuid),
        activity_type=COURSE_TYPE,
        activity_name=view.titles(),
        registration=enrolment.uuid,
        language=view.language,
    )
    enrolment.last_activity_dt = utcnow()
    return resume_item(enrolment, view)


def progress_rows(enrolment: Enrolment) -> dict[str, ItemProgress]:
    rows = db.session.scalars(select(ItemProgress).filter_by(enrolment_id=enrolment.id)).all()
    return {r.item_uuid: r for r in rows}


def done_items(enrolment: Enrolment) -> set[str]:
    return {u for u, r in progress_rows(enrolment).items() if r.done_dt is not None}


def _progress(enrolment: Enrolment, item_uuid: str) -> ItemProgress:
    row = db.session.scalar(select(ItemProgress).filter_by(enrolment_id=enrolment.id, item_uuid=item_uuid))
    if row is None:
        row = ItemProgress(enrolment_id=enrolment.id, item_uuid=item_uuid)
        db.session.add(row)
    return row


def open_item(user, enrolment: Enrolment, view: CourseView, item: dict, language_shown: str) -> ItemProgress:
    """The learner opened a step. A lesson read for the first time (or changed since) is
    ``experienced``; the step becomes the resume point."""
    row = _progress(enrolment, item["uuid"])
    if item["kind"] == "lesson" and row.seen_hash != item["hash"]:
        xapi.record_statement(
            user=user,
            verb="experienced",
            activity_id=item_iri(view.uuid, item),
            activity_type=LESSON_TYPE,
            activity_name={language_shown: view.item_title(item)},
            registration=enrolment.uuid,
            parents=[course_iri(view.uuid)],
            language=language_shown,
        )
    row.seen_hash = item["hash"]
    enrolment.last_item_uuid = item["uuid"]
    enrolment.last_activity_dt = utcnow()
    if view.version is not None:
        enrolment.seen_version = max(enrolment.seen_version or 0, view.version)
    db.session.flush()
    return row


def mark_done(user, enrolment: Enrolment, view: CourseView, item: dict) -> bool:
    """ "Mark as done" for a lesson (quizzes are done when passed, packages by their statements).
    Returns True when this completed the course."""
    if item["kind"] != "lesson":
        raise CourseError(_("Only lessons are marked as done by hand."))
    row = _progress(enrolment, item["uuid"])
    if row.done_dt is None:
        row.done_dt = utcnow()
        row.seen_hash = row.seen_hash or item["hash"]
        xapi.record_statement(
            user=user,
            verb="completed",
            activity_id=item_iri(view.uuid, item),
            activity_type=LESSON_TYPE,
            activity_name={view.language: view.item_title(item)},
            registration=enrolment.uuid,
            parents=[course_iri(view.uuid)],
            result={"completion": True},
            language=view.language,
        )
    enrolment.last_activity_dt = utcnow()
    db.session.flush()
    return check_completion(user, enrolment, view)


def set_item_done(enrolment: Enrolment, item_uuid: str) -> ItemProgress:
    row = _progress(enrolment, item_uuid)
    if row.done_dt is None:
        row.done_dt = utcnow()
    db.session.flush()
    return row


def percent(enrolment: Enrolment, view: CourseView) -> int:
    """The share of the version's required steps (every step when none is required) the enrolment has
    done, in whole percent. For many enrolments at once, :func:`percents`."""
    required = view.required_items() or view.items
    if not required:
        return 0
    return _share_done(required, done_items(enrolment))


def percents(enrolments: Sequence[tuple[Enrolment, CourseView]]) -> dict[int, int]:
    """:func:`percent` of each enrolment read with its course's view, by enrolment id, in one query."""
    required = {e.id: view.required_items() or view.items for e, view in enrolments}
    done: dict[int, set[str]] = {e_id: set() for e_id, items in required.items() if items}
    if done:
        rows = db.session.execute(
            select(ItemProgress.enrolment_id, ItemProgress.item_uuid).where(
                ItemProgress.enrolment_id.in_(list(done)), ItemProgress.done_dt.is_not(None)
            )
        )
        for enrolment_id, item_uuid in rows:
            done[enrolment_id].add(item_uuid)
    return {e_id: _share_done(items, done[e_id]) if items else 0 for e_id, items in required.items()}


def _share_done(required: list[dict], done: set[str]) -> int:
    return round(100 * sum(1 for i in required if i["uuid"] in done) / len(required))


def check_completion(user, enrolment: Enrolment, view: CourseView) -> bool:
    """Complete the course when every required step is done (lessons read, quizzes passed, packages
    completed): ``completed`` statement, :data:`lms.signals.course_completed`, certificate."""
    if enrolment.completed_dt is not None:
        return False
    done = done_items(enrolment)
    if any(i["uuid"] not in done for i in view.required_items()):
        return False
    enrolment.completed_dt = utcnow()
    xapi.record_statement(
        user=user,
        verb="completed",
        activity_id=course_iri(view.uuid),
        activity_type=COURSE_TYPE,
        activity_name=view.titles(),
        registration=enrolment.uuid,
        result={"completion": True},
        language=view.language,
    )
    db.session.flush()
    course = enrolment.course
    resource = get_resource("course", course.uuid)
    if resource is not None:
        course_completed.send(resource, user=user)
    if course.is_certificate:
        from courses.services.certificates import issue_certificate

        issue_certificate(user, enrolment, view)
    return True


def changes_since(enrolment: Enrolment, view: CourseView) -> dict:
    """Items added or changed since the version the learner last studied (empty when none)."""
    seen, current = enrolment.seen_version, view.version
    if seen is None or current is None or current <= seen or not progress_rows(enrolment):
        return {}  # nothing new, or nothing studied yet (then everything is new anyway)
    added, changed = set(), set()
    for version in db.session.scalars(
        select(CourseVersion).where(
            CourseVersion.course_id == enrolment.course_id,
            CourseVersion.number > seen,
            CourseVersion.number <= current,
        )
    ):
        added.update(version.changes.get("added", []))
        changed.update(version.changes.get("changed", []))
    return {
        "added": [i for i in view.items if i["uuid"] in added],
        "changed": [i for i in view.items if i["uuid"] in changed - added],
    }


def agenda(user) -> list[dict]:
    """What ``user`` registered for that is still to come, as every plugin that answers
    :data:`lms.signals.agenda_requested` describes it (a live webinar session...), soonest first."""
    items = []
    for _receiver, reply in agenda_requested.send(user):
        items.extend(reply or [])
    return sorted(items, key=lambda item: item["start"])


FOLLOWED_LIMIT = 50
"""How many recordings (and other followed resources) "My learning" lists at most."""


def followed(user, limit: int = FOLLOWED_LIMIT) -> list[dict]:
    """What else ``user`` follows besides modules (recordings started, watched or put on their list
    by a learning path), as every plugin that answers :data:`lms.signals.followed_requested` describes
    it, most recently active first."""
    items = []
    for _receiver, reply in followed_requested.send(user, limit=limit):
        items.extend(reply or [])
    return sorted(items, key=lambda item: item["last_active"], reverse=True)[:limit]
