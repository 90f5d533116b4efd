"""Registering someone who arrives when the workshop is full: the trainer is told how to go on (raise the
number of places, on the edit page the refusal links to)."""

from __future__ import annotations

from html import unescape

import pytest

from lms.db import db
from tests.courses.kits.conftest import build_workshop, register_people


def test_a_full_workshop_tells_the_trainer_how_to_register_one_more(
    app, client, login, trainer, kit, make_user
):
    workshop = build_workshop(trainer, kit, capacity=3)
    register_people(workshop, make_user, 3)
    db.session.commit()
    login(trainer)
    url = f"/courses/workshops/{workshop.uuid}"
    resp = client.post(
        f"{url}/participants/new", data={"person-email": "late@example.org", "person-name": "Late"}
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert (
        "This workshop is full: all 3 places are taken. To register this person, raise the number of places "
        "on the workshop's edit page." in unescape(html)
    )
    assert f'<a href="{url}/edit#capacity">Edit the workshop</a>' in html
    assert 'id="capacity"' in client.get(f"{url}/edit").get_data(as_text=True)
    assert len(workshop.participants) == 3


def test_the_refusal_counts_one_place_in_the_singular(app, trainer, kit, make_user):
    from courses.services import workshops_registration as registration

    small = build_workshop(trainer, kit, capacity=1)
    register_people(small, make_user, 1)
    with pytest.raises(registration.WorkshopFull, match="its 1 place is taken"):
        registration.register_person(trainer, small, email="late@example.org", name="Late")
