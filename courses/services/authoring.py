"""Authoring the draft of a course: course metadata, units, lessons, order and deletion (quizzes and
their questions: :mod:`.authoring_quiz`). Every change is written to the audit trail
(``lms.models.audit``). Services flush only."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from courses.models import LEVELS, RESERVED_SLUGS, Course, Item, Unit
from courses.services.drafts import (
    SLUG_RE,
    new_item,
    renumber,
    swap,
    touch,
    update_item,
    write_item_source,
    write_source,
)
from courses.services.errors import CourseError, InvalidFields, Problems
from courses.services.teams import make_owner
from courses.services.texts import delete_texts, get_translation, set_text
from lms.config import LANGUAGES
from lms.db import db
from lms.models import audit

MAX_ARTICLE = 35


def check_slug(slug: str) -> str:
    slug = (slug or "").strip().lower()
    if not SLUG_RE.match(slug) or len(slug) > 80:
        raise CourseError(_("The short name may use lower-case letters, digits and hyphens only."))
    if slug in RESERVED_SLUGS:
        raise CourseError(_("The short name %(slug)s is reserved; choose another.", slug=slug))
    return slug


def parse_articles(value) -> list[int]:
    """Articles as ints 1..35 from a list or a text such as "3, 4 5"."""
    if isinstance(value, str):
        value = [v for v in re.split(r"[\s,;]+", value) if v]
    out = set()
    for v in value or []:
        try:
            n = int(str(v).strip())
        except ValueError:
            raise CourseError(_("Articles must be numbers between 1 and 35."), field="articles") from None
        if not 1 <= n <= MAX_ARTICLE:
            raise CourseError(_("Articles must be numbers between 1 and 35."), field="articles")
        out.add(n)
    return sorted(out)


def _check_prerequisites(course: Course | None, slugs) -> list[str]:
    out = []
    for slug in slugs or []:
        slug = slug.strip()
        if not slug:
            continue
        if course is not None and slug == course.slug:
            raise CourseError(_("A module cannot be its own prerequisite."), field="prerequisites")
        if db.session.scalar(select(Course.id).filter_by(slug=slug)) is None:
            raise CourseError(
                _("There is no module with the short name %(slug)s.", slug=slug), field="prerequisites"
            )
        out.append(slug)
    return out


def _new_slug(slug: str) -> str:
    slug = check_slug(slug)
    if db.session.scalar(select(Course.id).filter_by(slug=slug)) is not None:
        raise CourseError(_("A module with the short name %(slug)s already exists.", slug=slug))
    return slug


def _check_course(
    course: Course | None,
    *,
    title: str,
    summary: str,
    level: str,
    articles,
    prerequisites,
    slug: str | None = None,
    source_language: str | None = None,
    **_other,
) -> dict:
    """The checked values of a new course (``course=None``: ``slug`` and ``source_language`` too) or of
    an edited one. Refuses with :class:`InvalidFields` naming every problem at its field at once."""
    problems = Problems()
    clean = {}
    if course is None:
        clean["slug"] = problems.check("slug", _new_slug, slug)
        if source_language not in LANGUAGES:
            problems.add("source_language", _("Unknown language %(code)s.", code=source_language))
    if level not in LEVELS:
        problems.add("level", _("Unknown level %(level)s.", level=level))
    if not (title or "").strip() or not (summary or "").strip():
        field = "title" if not (title or "").strip() else "summary"
        problems.add(field, _("A module needs a title and a summary."))
    clean["articles"] = problems.check("articles", parse_articles, articles)
    clean["prerequisites"] = problems.check("prerequisites", _check_prerequisites, course, prerequisites)
    problems.raise_any()
    return clean


def course_problems(course: Course | None = None, **values) -> list[tuple[str | None, object]]:
    """Every ``(field, reason)`` :func:`create_course` (``course=None``) or :func:`update_course` would
    refuse these values for (none: accepted), without writing anything: a form refused for other
    reasons shows them too."""
    try:
        _check_course(course, **values)
    except InvalidFields as exc:
        return exc.problems
    return []


def create_course(
    actor,
    *,
    slug: str,
    source_language: str,
    title: str,
    summary: str,
    audience: str = "",
    level: str = "introductory",
    estimated_minutes: int = 30,
    articles=(),
    prerequisites=(),
    is_certificate: bool = True,
    uuid: str | None = None,
) -> Course:
    """A new course, owned by ``actor``. Refused input raises :class:`InvalidFields` naming every
    problem (short name, language, level, title and summary, articles, prerequisites) at once."""
    clean = _check_course(
        None,
        slug=slug,
        source_language=source_language,
        title=title,
        summary=summary,
        level=level,
        articles=articles,
        prerequisites=prerequisites,
    )
    slug = clean["slug"]
    course = Course(
        slug=slug,
        source_language=source_language,
        level=level,
        estimated_minutes=max(1, int(estimated_minutes or 1)),
        articles=clean["articles"],
        prerequisites=clean["prerequisites"],
        is_certificate=is_certificate,
        created_by_id=actor.id if actor is not None else None,
    )
    if uuid:
        course.uuid = uuid
    db.session.add(course)
    db.session.flush()
    set_text(
        course_id=course.id,
        item_uuid=course.uuid,
        item_type="course",
        language=source_language,
        fields={"title": title, "summary": summary, "audience": audience},
        source_language=source_language,
        actor=actor,
    )
    audit(actor, "courses.course_created", "course", course.uuid, slug=slug)
    make_owner(actor, course, actor)  # the creator owns the course (none when created by a script)
    return course


def update_course(
    actor,
    course: Course,
    *,
    title: str,
    summary: str,
    audience: str = "",
    level: str,
    estimated_minutes: int,
    articles,
    prerequisites,
    is_certificate: bool,
) -> None:
    """Save the course's details; refused input raises :class:`InvalidFields` naming every problem."""
    clean = _check_course(
        course, title=title, summary=summary, level=level, articles=articles, prerequisites=prerequisites
    )
    course.level = level
    course.estimated_minutes = max(1, int(estimated_minutes or 1))
    course.articles = clean["articles"]
    course.prerequisites = clean["prerequisites"]
    course.is_certificate = bool(is_certificate)
    write_source(
        actor,
        course,
        course.uuid,
        "course",
        {"title": title, "summary": summary, "audience": audience},
        "courses.course_updated",
    )
    db.session.flush()


def source_fields(course: Course, item_uuid: str) -> dict:
    row = get_translation(item_uuid, course.source_language)
    return dict(row.fields) if row is not None else {}


# Units ------------------------------------------------------------------------------------------


def add_unit(actor, course: Course, *, title: str, uuid: str | None = None) -> Unit:
    if not (title or "").strip():
        raise CourseError(_("A unit needs a title."))
    position = (db.session.scalar(select(func.max(Unit.position)).filter_by(course_id=course.id)) or 0) + 1
    unit = Unit(course=course, position=position)
    if uuid:
        unit.uuid = uuid
    db.session.add(unit)
    db.session.flush()
    write_source(actor, course, unit.uuid, "unit", {"title": title}, "courses.unit_added", unit=unit.uuid)
    return unit


def update_unit(actor, unit: Unit, *, title: str) -> None:
    if not (title or "").strip():
        raise CourseError(_("A unit needs a title."))
    course = unit.course
    write_source(actor, course, unit.uuid, "unit", {"title": title}, "courses.unit_updated", unit=unit.uuid)


def delete_unit(actor, unit: Unit) -> None:
    course = unit.course
    for item in list(unit.items):
        _forget_item(item)
    delete_texts(unit.uuid)
    course.units.remove(unit)
    renumber(course.units)
    touch(course)
    audit(actor, "courses.unit_deleted", "course", course.uuid, unit=unit.uuid)
    db.session.flush()


def move_unit(actor, unit: Unit, direction: str) -> None:
    units = list(unit.course.units)
    swap(units, units.index(unit), direction)
    unit.course.units[:] = units
    touch(unit.course)
    audit(actor, "courses.unit_moved", "course", unit.course.uuid, unit=unit.uuid, direction=direction)
    db.session.flush()


# Items -------------------------------------------------------------------------------------------


def add_lesson(
    actor,
    unit: Unit,
    *,
    slug: str,
    title: str,
    body: str,
    required: bool = True,
    minutes: int = 10,
    uuid: str | None = None,
) -> Item:
    if not (title or "").strip() or not (body or "").strip():
        raise CourseError(_("A lesson needs a title and a text."))
    item = new_item(
        actor, unit, kind="lesson", slug=slug, required=required, minutes=minutes, settings={}, uuid=uuid
    )
    write_item_source(actor, item, {"title": title, "body": body}, "added", slug=item.slug)
    return item


def update_lesson(
    actor, item: Item, *, slug: str, title: str, body: str, required: bool, minutes: int
) -> None:
    if not (title or "").strip() or not (body or "").strip():
        raise CourseError(_("A lesson needs a title and a text."))
    update_item(item, slug=slug, required=required, minutes=minutes)
    write_item_source(actor, item, {"title": title, "body": body}, "updated")
    db.session.flush()


def _forget_item(item: Item) -> None:
    for q in item.questions:
        delete_texts(q.uuid)
    delete_texts(item.uuid)


def delete_item(actor, item: Item) -> None:
    unit, course = item.unit, item.unit.course
    _forget_item(item)
    unit.items.remove(item)
    renumber(unit.items)
    touch(course)
    audit(actor, "courses.item_deleted", "course", course.uuid, item=item.uuid, slug=item.slug)
    db.session.flush()


def move_item(actor, item: Item, direction: str) -> None:
    """Up/down within the unit; past the unit's edge the item moves to the neighbouring unit."""
    unit, course = item.unit, item.unit.course
    items = list(unit.items)
    idx = items.index(item)
    units = list(course.units)
    uidx = units.index(unit)
    if direction == "up" and idx == 0 and uidx > 0:
        target = units[uidx - 1]
        unit.items.remove(item)
        target.items.append(item)
        item.unit_id = target.id
        renumber(target.items)
        renumber(unit.items)
    elif direction == "down" and idx == len(items) - 1 and uidx + 1 < len(units):
        target = units[uidx + 1]
        unit.items.remove(item)
        target.items.insert(0, item)
        item.unit_id = target.id
        renumber(target.items)
        renumber(unit.items)
    else:
        swap(items, idx, direction)
        unit.items[:] = items
    touch(course)
    audit(actor, "courses.item_moved", "course", course.uuid, item=item.uuid, direction=direction)
    db.session.flush()
