"""Authoring quizzes and their questions (the draft), beside :mod:`courses.services.authoring` for the
rest of the course."""

from __future__ import annotations

from flask_babel import gettext as _

from courses.models import Item, Question, Unit
from courses.services import drafts
from courses.services import questions as qs
from courses.services.errors import CourseError
from courses.services.texts import delete_texts
from lms.db import db
from lms.models import audit


def quiz_settings(pass_mark, max_attempts, shuffle, draw) -> dict:
    try:
        pass_mark, max_attempts, draw = int(pass_mark), int(max_attempts or 0), int(draw or 0)
    except (TypeError, ValueError):
        raise CourseError(_("Pass mark, attempts and questions drawn must be whole numbers.")) from None
    if not 0 <= pass_mark <= 100:
        raise CourseError(_("The pass mark is a percentage between 0 and 100."))
    if max_attempts < 0 or draw < 0:
        raise CourseError(_("Attempts and questions drawn cannot be negative."))
    return {"pass_mark": pass_mark, "max_attempts": max_attempts, "shuffle": bool(shuffle), "draw": draw}


def add_quiz(
    actor,
    unit: Unit,
    *,
    slug: str,
    title: str,
    intro: str = "",
    pass_mark: int = 70,
    max_attempts: int = 0,
    shuffle: bool = True,
    draw: int = 0,
    required: bool = True,
    minutes: int = 10,
    uuid: str | None = None,
) -> Item:
    if not (title or "").strip():
        raise CourseError(_("A quiz needs a title."))
    item = drafts.new_item(
        actor,
        unit,
        kind="quiz",
        slug=slug,
        required=required,
        minutes=minutes,
        settings=quiz_settings(pass_mark, max_attempts, shuffle, draw),
        uuid=uuid,
    )
    drafts.write_item_source(actor, item, {"title": title, "intro": intro}, "added", slug=item.slug)
    return item


def update_quiz(
    actor,
    item: Item,
    *,
    slug: str,
    title: str,
    intro: str,
    pass_mark: int,
    max_attempts: int,
    shuffle: bool,
    draw: int,
    required: bool,
    minutes: int,
) -> None:
    if not (title or "").strip():
        raise CourseError(_("A quiz needs a title."))
    drafts.update_item(item, slug=slug, required=required, minutes=minutes)
    item.settings = {**(item.settings or {}), **quiz_settings(pass_mark, max_attempts, shuffle, draw)}
    drafts.write_item_source(actor, item, {"title": title, "intro": intro}, "updated")
    db.session.flush()


# Questions ---------------------------------------------------------------------------------------


def add_question(actor, item: Item, *, kind: str, data: dict, uuid: str | None = None) -> Question:
    if item.kind != "quiz":
        raise CourseError(_("Questions belong to quizzes."))
    spec, fields = qs.normalise_question(kind, data)
    points = fields.pop("points")
    course = item.unit.course
    question = Question(item=item, kind=kind, points=points, spec=spec, position=len(item.questions) + 1)
    if uuid:
        question.uuid = uuid
    db.session.add(question)
    db.session.flush()
    drafts.write_source(
        actor,
        course,
        question.uuid,
        "question",
        fields,
        "courses.question_added",
        item=item.uuid,
        question=question.uuid,
    )
    return question


def update_question(actor, question: Question, *, data: dict) -> None:
    spec, fields = qs.normalise_question(question.kind, data)
    question.points = fields.pop("points")
    question.spec = spec
    course = question.item.unit.course
    drafts.write_source(
        actor, course, question.uuid, "question", fields, "courses.question_updated", question=question.uuid
    )
    db.session.flush()


def delete_question(actor, question: Question) -> None:
    item = question.item
    course = item.unit.course
    delete_texts(question.uuid)
    item.questions.remove(question)
    drafts.renumber(item.questions)
    drafts.touch(course)
    audit(actor, "courses.question_deleted", "course", course.uuid, question=question.uuid)
    db.session.flush()


def move_question(actor, question: Question, direction: str) -> None:
    rows = list(question.item.questions)
    drafts.swap(rows, rows.index(question), direction)
    question.item.questions[:] = rows
    drafts.renumber(rows)
    audit(actor, "courses.question_moved", "course", question.item.unit.course.uuid, question=question.uuid)
    db.session.flush()
