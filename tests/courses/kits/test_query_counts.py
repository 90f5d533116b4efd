"""The trainer's workshop pages run as many SQL statements for 8 participants as for 2: the participants'
accounts are read with them, not one by one."""

from __future__ import annotations

import pytest

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
