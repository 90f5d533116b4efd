"""Module pages run as many SQL statements for 8 rows (learners, modules, enrolments) as for 2: what each
row needs is read for all rows at once, not row by row."""

from __future__ import annotations

import pytest

from lms.db import db


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


def test_learners_of_a_module_in_a_fixed_number_of_queries(
    client, login, trainer, course, make_user, count_queries
):
    _enrol(course, [make_user() for _ in range(2)])
    login(trainer)
    url = "/courses/manage/basics/learners"
    few = count_queries(lambda: client.get(url))
    _enrol(course, [make_user() for _ in range(6)], done=2)
    many = count_queries(lambda: client.get(url))
    assert many == few
    html = client.get(url).get_data(as_text=True)
    assert (html.count(">33%<"), html.count(">67%<")) == (2, 6)


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_modules_to_manage_in_a_fixed_number_of_queries(
    role, client, login, trainer, make_user, count_queries
):
    from tests.courses.conftest import build_course

    for n in range(2):
        build_course(trainer, slug=f"module-{n}", publish=n == 0)
    login(trainer if role == "trainer" else make_user(role="admin"))
    few = count_queries(lambda: client.get("/courses/manage/"))
    for n in range(2, 8):
        build_course(trainer, slug=f"module-{n}", publish=n % 2 == 0)
    many = count_queries(lambda: client.get("/courses/manage/"))
    assert many == few
    html = client.get("/courses/manage/").get_data(as_text=True)
    assert html.count("The Convention in brief</a>") == 8


@pytest.mark.parametrize("url", ["/courses/", "/courses/kits"])
def test_catalogues_in_a_fixed_number_of_queries(url, client, trainer, count_queries):
    from tests.courses.conftest import build_course
    from tests.courses.kits.conftest import build_kit

    build, title = (build_kit, "Controlling mercury trade") if "kits" in url else (build_course, "in brief")
    for n in range(2):
        build(trainer, slug=f"published-{n}")
    few = count_queries(lambda: client.get(url))
    for n in range(2, 8):
        build(trainer, slug=f"published-{n}")
    many = count_queries(lambda: client.get(url))
    assert many == few
    assert client.get(url).get_data(as_text=True).count(title) == 8


def test_my_learning_in_a_fixed_number_of_queries(client, login, trainer, learner, count_queries):
    """Enrolments in modules and registrations for workshops."""
    from courses.services.workshops_registration import self_register
    from tests.courses.conftest import build_course
    from tests.courses.kits.conftest import build_kit, build_workshop

    kit = build_kit(trainer)

    def add(numbers):
        for n in numbers:
            _enrol(build_course(trainer, slug=f"module-{n}"), [learner], done=n % 3)
            self_register(learner, build_workshop(trainer, kit, title=f"Workshop {n}"))
        db.session.commit()

    add(range(2))
    login(learner)
    few = count_queries(lambda: client.get("/courses/my"))
    add(range(2, 8))
    many = count_queries(lambda: client.get("/courses/my"))
    assert many == few
    html = client.get("/courses/my").get_data(as_text=True)
    counts = [html.count(text) for text in ("The Convention in brief</a>", ">67%<", "Workshop 7")]
    assert counts == [8, 2, 1]
