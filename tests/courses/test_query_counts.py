"""Module pages run as many SQL statements for 8 rows (learners, modules, enrolments) as for 2: what each
row needs is read for all rows at once, not row by row."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from lms.db import db
from tests.courses.conftest import build_course


def _enrol(course, users, *, done: int = 1) -> None:
    """Enrol ``users`` in ``course``, each with its first ``done`` steps done."""
    from courses.services import learning
    from courses.services.publishing import published_view

    view = published_view(course, "en")
    for user in users:
        enrolment, _created = learning.enrol(user, course, view)
        for item in view.items[:done]:
            learning.set_item_done(enrolment, item["uuid"])
    db.session.commit()


def fixed_count(count_queries, client, url: str, add: Callable[[range], object]) -> str:
    """Asserts that ``url`` runs as many statements after ``add(range(2, 8))`` as after ``add(range(2))``
    (each adding that many rows); the page's text at the end."""
    add(range(2))
    few = count_queries(lambda: client.get(url))
    add(range(2, 8))
    assert count_queries(lambda: client.get(url)) == few
    return client.get(url).get_data(as_text=True)


def test_learners_of_a_module_in_a_fixed_number_of_queries(
    client, login, trainer, course, make_user, count_queries
):
    login(trainer)
    html = fixed_count(
        count_queries,
        client,
        "/courses/manage/basics/learners",
        lambda numbers: _enrol(course, [make_user() for _ in numbers], done=1 if numbers.start == 0 else 2),
    )
    assert (html.count(">33%<"), html.count(">67%<")) == (2, 6)


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_modules_to_manage_in_a_fixed_number_of_queries(
    role, client, login, trainer, make_user, count_queries
):
    def add(numbers):
        for n in numbers:
            build_course(trainer, slug=f"module-{n}", publish=n % 2 == 0)

    login(trainer if role == "trainer" else make_user(role="admin"))
    html = fixed_count(count_queries, client, "/courses/manage/", add)
    assert html.count("The Convention in brief</a>") == 8


@pytest.mark.parametrize("url", ["/courses/", "/courses/kits"])
def test_catalogues_in_a_fixed_number_of_queries(url, client, trainer, count_queries):
    from tests.courses.kits.conftest import build_kit

    build, title = (build_kit, "Controlling mercury trade") if "kits" in url else (build_course, "in brief")

    def add(numbers):
        for n in numbers:
            build(trainer, slug=f"published-{n}")

    assert fixed_count(count_queries, client, url, add).count(title) == 8


def test_my_learning_in_a_fixed_number_of_queries(client, login, trainer, learner, count_queries):
    """Enrolments in modules and registrations for workshops."""
    from courses.services.workshops_registration import self_register
    from tests.courses.kits.conftest import build_kit, build_workshop

    kit = build_kit(trainer)

    def add(numbers):
        for n in numbers:
            _enrol(build_course(trainer, slug=f"module-{n}"), [learner], done=n % 3)
            self_register(learner, build_workshop(trainer, kit, title=f"Workshop {n}"))
        db.session.commit()

    login(learner)
    html = fixed_count(count_queries, client, "/courses/my", add)
    counts = [html.count(text) for text in ("The Convention in brief</a>", ">67%<", "Workshop 7")]
    assert counts == [8, 2, 1]


def test_courses_part_of_the_data_export_in_a_fixed_number_of_queries(
    client, login, trainer, learner, count_queries
):
    from courses.services import learning, quizzes
    from courses.services.publishing import published_view

    def add(numbers):
        for n in numbers:
            course = build_course(trainer, slug=f"module-{n}")
            view = published_view(course, "en")
            enrolment, _created = learning.enrol(learner, course, view)
            learning.set_item_done(enrolment, view.items[0]["uuid"])
            quizzes.start_attempt(learner, enrolment, view, view.items[-1])
        db.session.commit()

    login(learner)
    export = json.loads(fixed_count(count_queries, client, "/account/export", add))
    enrolments = export["courses"]["enrolments"]
    assert [e["course"] for e in enrolments] == [f"module-{n}" for n in range(8)]
    assert all(len(e["steps"]) == 1 and len(e["quiz_attempts"]) == 1 for e in enrolments)
