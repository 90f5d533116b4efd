"""Kit and workshop pages run as many SQL statements for 8 rows (participants, kits, workshops) as for 2:
what each row needs is read for all rows at once, not row by row."""

from __future__ import annotations

import pytest

from lms.db import db
from tests.courses.kits.conftest import register_people


@pytest.mark.parametrize("page", ["manage", "roster.csv", "results"])
def test_workshop_pages_read_participants_in_a_fixed_number_of_queries(
    page, trainer, workshop, make_user, as_user, count_queries
):
    from courses.services import workshops_registration as registration

    register_people(workshop, make_user, 2)
    client = as_user(trainer)
    url = f"/courses/workshops/{workshop.uuid}/{page}"
    few = count_queries(lambda: client.get(url))
    for i in range(2, 8):
        registration.self_register(make_user(name=f"P{i}", email=f"p{i}@example.org"), workshop)
    many = count_queries(lambda: client.get(url))
    assert many == few


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_kits_and_workshops_to_manage_in_a_fixed_number_of_queries(
    role, trainer, make_user, as_user, count_queries
):
    from courses.services.workshops_registration import self_register
    from tests.courses.kits.conftest import build_kit, build_workshop

    def add(numbers):
        for n in numbers:
            workshop = build_workshop(trainer, build_kit(trainer, slug=f"kit-{n}"), title=f"Workshop {n}")
            for _i in range(1 + n % 2):
                self_register(make_user(), workshop)
        db.session.commit()

    add(range(2))
    client = as_user(trainer if role == "trainer" else make_user(role="admin"))
    few = count_queries(lambda: client.get("/courses/kits/manage/"))
    add(range(2, 8))
    many = count_queries(lambda: client.get("/courses/kits/manage/"))
    assert many == few
    html = client.get("/courses/kits/manage/").get_data(as_text=True)
    assert html.count("Controlling mercury trade</a>") == 8
    assert (html.count("<td>1 / 30</td>"), html.count("<td>2 / 30</td>")) == (4, 4)


def test_public_workshop_page_reads_test_results_only_to_show_them(
    trainer, workshop, make_user, as_user, count_queries
):
    """Before a workshop is over its results are not public: a visitor's page only counts them, and a
    trainer's page reads their marks in a fixed number of queries."""
    from courses.services import workshops_registration as registration
    from courses.services import workshops_tests as tests

    questions = [q["uuid"] for q in tests.kit_view(workshop, "en").parts("question")]

    def add(numbers):
        for n in numbers:
            participant, _created = registration.self_register(make_user(), workshop)
            for phase, right in (("pre", n % 2 == 0), ("post", True)):
                tests.enter_paper(trainer, participant, phase, dict.fromkeys(questions, right), "en")
        db.session.commit()

    url, marks = f"/courses/workshops/{workshop.uuid}", "courses_workshop_test.results"
    client = as_user(trainer)
    add(range(2))
    few = count_queries(lambda: client.get(url))
    add(range(2, 8))
    assert count_queries(lambda: client.get(url)) == few
    assert count_queries(lambda: client.get(url), marks) == 1
    assert "What participants learned" in client.get(url).get_data(as_text=True)
    client = as_user(None)
    assert count_queries(lambda: client.get(url), marks) == 0
    assert "What participants learned" not in client.get(url).get_data(as_text=True)
