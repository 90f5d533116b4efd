"""Fixtures of the courses tests: a trainer, a small published course built through the services, and
a counter of the SQL statements a request runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, select

from lms.db import db


@pytest.fixture
def count_queries(app) -> Callable[..., int]:
    """``count_queries(call, naming=None)``: the number of SQL statements ``call()`` runs (e.g. a page
    requested through the test client; only those whose text contains ``naming`` when given), counted
    on its second run, after a first one has filled the caches that do not depend on the data. For
    tests that a page's queries do not grow with its rows.

    The tests' session outlives requests (one app context for the whole test): its objects are expired
    first, so that the call reads them from the database as a request in its own session would."""

    def _count(call: Callable[[], Any], naming: str | None = None) -> int:
        call()
        db.session.expire_all()
        seen: list[str] = []

        def listener(conn, cursor, statement, parameters, context, executemany) -> None:
            if naming is None or naming in statement:
                seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            response = call()
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        status = getattr(response, "status_code", 200)
        assert status == 200, status
        return len(seen)

    return _count


@pytest.fixture
def trainer(make_user):
    return make_user(role="trainer", name="Tomás Trainer")


@pytest.fixture
def learner(make_user):
    return make_user(role="learner", name="Léa Learner", country_code="SN")


# Questions whose answers can need a correction (a word for a number, two steps in one place).
CORRECTABLE_QUESTIONS = (
    ("numeric", {"prompt": "How many?", "answer": "4"}),
    ("ordering", {"prompt": "Order", "items": [{"text": "Notify"}, {"text": "Consent"}, {"text": "Export"}]}),
)


def build_course(trainer, *, slug="basics", publish=True, questions=True, source="en", **quiz_settings):
    """A course with one unit: two lessons and a quiz (single choice, true/false, fill-in)."""
    from courses.services import authoring, authoring_quiz, publishing

    course = authoring.create_course(
        trainer,
        slug=slug,
        source_language=source,
        title="The Convention in brief",
        summary="What the Minamata Convention asks of Parties.",
        audience="National focal points",
        level="introductory",
        estimated_minutes=40,
        articles=[1, 21],
    )
    unit = authoring.add_unit(trainer, course, title="Getting started")
    authoring.add_lesson(
        trainer,
        unit,
        slug="history",
        title="History",
        body="The Convention was adopted in **2013** and entered into force on 16 August 2017.",
    )
    authoring.add_lesson(
        trainer,
        unit,
        slug="reporting",
        title="National reporting",
        body="Article 21 asks Parties to report on the measures they have taken.",
    )
    quiz = authoring_quiz.add_quiz(
        trainer,
        unit,
        slug="check",
        title="Check your knowledge",
        intro="Three questions.",
        **({"pass_mark": 60, "shuffle": True} | quiz_settings),
    )
    if questions:
        authoring_quiz.add_question(
            trainer,
            quiz,
            kind="single",
            data={
                "prompt": "When did the Convention enter into force?",
                "options": [
                    {"id": "a", "text": "2013", "feedback": "That is the year of **adoption**."},
                    {"id": "b", "text": "2017", "correct": True},
                    {"id": "c", "text": "2020"},
                ],
            },
        )
        authoring_quiz.add_question(
            trainer, quiz, kind="truefalse", data={"prompt": "Article 21 is about reporting.", "answer": True}
        )
        authoring_quiz.add_question(
            trainer,
            quiz,
            kind="fillin",
            data={"prompt": "The Convention is about ____.", "accepted": ["mercury", "Hg"]},
        )
    if publish:
        publishing.publish(trainer, course)
    db.session.commit()
    return course


@pytest.fixture
def course(trainer):
    return build_course(trainer)


def statements(verb: str | None = None, **filters):
    from lms.xapi.models import Statement

    stmt = select(Statement)
    if verb:
        stmt = stmt.where(Statement.verb_id.endswith("/" + verb))
    for key, value in filters.items():
        stmt = stmt.where(getattr(Statement, key) == value)
    return db.session.scalars(stmt.order_by(Statement.id)).all()


# The new-module form as a trainer fills it in.
MODULE_FORM = {
    "slug": "mercury-waste",
    "source_language": "en",
    "title": "Mercury wastes",
    "summary": "Environmentally sound management of mercury wastes.",
    "level": "introductory",
    "estimated_minutes": "30",
    "articles": "11",
    "is_certificate": "y",
}
