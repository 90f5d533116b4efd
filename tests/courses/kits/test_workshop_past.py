"""A workshop dated entirely in the past is recorded, and its manage page says registration is closed, as
its public page does, with the reason."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

from sqlalchemy import select

from lms.db import db
from tests.courses.kits.conftest import build_kit, build_workshop, workshop_form

PAST = "The workshop's last day, January 2, 2020, is in the past: it is recorded as a past workshop"


def test_a_past_workshop_is_recorded_with_a_notice_and_shown_closed(app, client, trainer, login):
    from courses.models_kits import Workshop

    build_kit(trainer)
    login(trainer)
    resp = client.post(
        "/courses/workshops/new",
        data=workshop_form(date(2020, 1, 1), date(2020, 1, 2)),
        follow_redirects=True,
    )
    page = unescape(resp.get_data(as_text=True))
    assert resp.status_code == 200 and "The workshop is scheduled." in page and PAST in page
    workshop = db.session.scalar(select(Workshop))
    assert workshop.is_registration_open  # the switch is kept, registration is closed by the dates
    assert "Registration: closed (the workshop ended on January 2, 2020)" in " ".join(page.split())
    assert "Registration: open" not in " ".join(page.split())
    assert "Close registration" not in page and "Open registration" not in page
    public = client.get(f"/courses/workshops/{workshop.uuid}").get_data(as_text=True)
    assert "Registration is closed." in public
    # Saving it again says nothing more: the trainer was told when it became past.
    again = client.post(
        f"/courses/workshops/{workshop.uuid}/edit",
        data=workshop_form(date(2020, 1, 1), date(2020, 1, 2)),
        follow_redirects=True,
    )
    assert PAST not in unescape(again.get_data(as_text=True))


def test_moving_a_workshop_into_the_past_says_so(app, client, trainer, login):
    kit = build_kit(trainer)
    workshop = build_workshop(trainer, kit)
    login(trainer)
    resp = client.post(
        f"/courses/workshops/{workshop.uuid}/edit",
        data=workshop_form(date(2020, 1, 1), date(2020, 1, 2)),
        follow_redirects=True,
    )
    assert PAST in unescape(resp.get_data(as_text=True))


def test_an_upcoming_workshop_says_nothing_of_the_past_and_keeps_its_switch(app, client, trainer, login):
    build_kit(trainer)
    login(trainer)
    start = date.today() + timedelta(days=20)
    resp = client.post("/courses/workshops/new", data=workshop_form(start, start), follow_redirects=True)
    page = " ".join(unescape(resp.get_data(as_text=True)).split())
    assert "is in the past" not in page
    assert "Registration: open" in page and "Close registration" in page
