"""The steps shared by every change to a course's draft: writing source texts, creating and settling items,
keeping positions and the draft's change time. :mod:`.authoring` and :mod:`.authoring_quiz` build on it."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from courses.models import Course, Item, Unit
from courses.services.errors import CourseError
from courses.services.texts import set_text
from lms.db import db
from lms.models import audit

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def write_source(
    actor, course: Course, uuid: str, item_type: str, fields: dict, event: str, **details
) -> None:
    """Write a part's text in the course's source language, mark the draft changed and audit ``event``."""
    set_text(
        course_id=course.id,
        item_uuid=uuid,
        item_type=item_type,
        language=course.source_language,
        fields=fields,
        source_language=course.source_language,
        actor=actor,
    )
    touch(course)
    audit(actor, event, "course", course.uuid, **details)


def write_item_source(actor, item: Item, fields: dict, change: str, **details) -> None:
    """Write a lesson's or quiz's texts in the source language and audit ``courses.<kind>_<change>``
    (``added`` or ``updated``)."""
    event = f"courses.{item.kind}_{change}"
    write_source(actor, item.unit.course, item.uuid, item.kind, fields, event, item=item.uuid, **details)


def update_item(item: Item, *, slug: str, required: bool, minutes: int) -> None:
    """The settings every item kind has: its slug (checked unique in the course), whether it is required
    and its estimated minutes."""
    item.slug = _check_item_slug(item.unit.course, slug, item)
    item.is_required = bool(required)
    item.estimated_minutes = max(1, int(minutes or 1))


def touch(course: Course) -> None:
    """Mark the course's draft as changed now."""
    from lms.db import utcnow

    course.updated_dt = utcnow()


def _check_item_slug(course: Course, slug: str, item: Item | None = None) -> str:
    slug = (slug or "").strip().lower()
    if not SLUG_RE.match(slug) or len(slug) > 80:
        raise CourseError(_("The short name may use lower-case letters, digits and hyphens only."))
    clash = db.session.scalar(select(Item).filter_by(course_id=course.id, slug=slug))
    if clash is not None and clash is not item:
        raise CourseError(_("Another step of this module already uses the short name %(slug)s.", slug=slug))
    return slug


def new_item(
    actor, unit: Unit, *, kind: str, slug: str, required: bool, minutes: int, settings: dict, uuid: str | None
) -> Item:
    """A new item of ``kind`` at the end of ``unit`` (its slug checked unique in the course), flushed."""
    course = unit.course
    position = (db.session.scalar(select(func.max(Item.position)).filter_by(unit_id=unit.id)) or 0) + 1
    item = Item(
        course_id=course.id,
        unit=unit,
        kind=kind,
        slug=_check_item_slug(course, slug),
        position=position,
        is_required=bool(required),
        estimated_minutes=max(1, int(minutes or 1)),
        settings=settings,
    )
    if uuid:
        item.uuid = uuid
    db.session.add(item)
    db.session.flush()
    return item


def swap(rows: list, idx: int, direction: str) -> None:
    """Move ``rows[idx]`` one place ``up`` or ``down`` (not past either end), then renumber."""
    other = idx - 1 if direction == "up" else idx + 1
    if direction not in ("up", "down"):
        raise CourseError(_("Unknown direction."))
    if 0 <= other < len(rows):
        rows[idx], rows[other] = rows[other], rows[idx]
    renumber(rows)


def renumber(rows) -> None:
    """Positions 1, 2, 3… in the rows' order."""
    for n, row in enumerate(rows, start=1):
        row.position = n
