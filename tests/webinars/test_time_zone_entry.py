"""Trainers enter session times in their own time zone, which the form names; they are stored in UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from lms.db import db
from tests.webinars.conftest import field_error, session_form
from webinars.models import WebinarSession


def _new(client, season, **changes):
    return client.post("/webinars/manage/sessions/new", data=session_form(season, **changes))


def test_a_time_entered_in_kenya_is_stored_in_utc_and_shown_back_in_kenya_time(
    client, make_user, login, season
):
    trainer = make_user(role="trainer", country_code="KE")  # Kenya: UTC+3, no summer time
    login(trainer)
    page = client.get("/webinars/manage/sessions/new").get_data(as_text=True)
    assert "In your time zone, Kenya (your profile sets it)." in page
    assert _new(client, season, start="2026-12-01T15:00", second_start="2026-12-02T01:30").status_code == 303
    s = db.session.scalar(select(WebinarSession).order_by(WebinarSession.id.desc()))
    assert s.start_dt == datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert s.second_start_dt == datetime(2026, 12, 1, 22, 30, tzinfo=UTC)
    edit = client.get(f"/webinars/manage/s/{s.slug}/edit").get_data(as_text=True)
    assert re.search(r'name="start"[^>]*value="2026-12-01T15:00"', edit)
    assert re.search(r'name="second_start"[^>]*value="2026-12-02T01:30"', edit)


def test_summer_time_is_taken_into_account(client, make_user, login, season):
    login(make_user(role="trainer", country_code="FR"))
    assert _new(client, season, start="2027-07-01T14:00").status_code == 303  # Paris in July: UTC+2
    s = db.session.scalar(select(WebinarSession).order_by(WebinarSession.id.desc()))
    assert s.start_dt == datetime(2027, 7, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "reason"),
    [
        # Paris moves from 2:00 to 3:00 on 28 March 2027: 2:30 never happens there.
        ("2027-03-28T02:30", "This time does not exist in your time zone"),
        # Paris goes back from 3:00 to 2:00 on 31 October 2027: 2:30 happens twice.
        ("2027-10-31T02:30", "This time happens twice in your time zone"),
    ],
)
def test_a_time_the_clocks_skip_or_repeat_is_refused_whole_with_the_reason(
    client, make_user, login, season, start, reason
):
    login(make_user(role="trainer", country_code="FR"))
    before = db.session.scalar(select(func.count()).select_from(WebinarSession))
    resp = _new(client, season, start=start)
    assert resp.status_code == 400
    assert reason in field_error(resp.get_data(as_text=True), "start")
    assert db.session.scalar(select(func.count()).select_from(WebinarSession)) == before


def test_a_trainer_in_utc_enters_utc(client, make_user, login, season):
    login(make_user(role="trainer", country_code=None))
    assert "In your time zone, UTC" in client.get("/webinars/manage/sessions/new").get_data(as_text=True)
    assert _new(client, season, start="2026-12-01T13:00").status_code == 303
    s = db.session.scalar(select(WebinarSession).order_by(WebinarSession.id.desc()))
    assert s.start_dt == datetime(2026, 12, 1, 13, 0, tzinfo=UTC)


def _edit(client, s, **changes):
    data = session_form(s.season, title=s.titles["en"], **changes)
    data.pop("slug", None)
    return client.post(f"/webinars/manage/s/{s.slug}/edit", data=data)


def test_saving_a_time_the_clocks_pass_twice_unchanged_keeps_it(client, make_user, login, make_session):
    """Paris goes back from 3:00 to 2:00 on 31 October 2027: 2:30 there is 00:30 or 01:30 UTC. The edit
    form shows either as 2:30; saving it as it is keeps the one stored."""
    trainer = make_user(role="trainer", country_code="FR")
    summer = make_session(
        title="Summer reading", start=datetime(2027, 10, 31, 0, 30, tzinfo=UTC), owner=trainer
    )
    winter = make_session(
        title="Winter reading", start=datetime(2027, 10, 31, 1, 30, tzinfo=UTC), owner=trainer
    )
    login(trainer)
    for s, stored in (
        (summer, datetime(2027, 10, 31, 0, 30, tzinfo=UTC)),
        (winter, datetime(2027, 10, 31, 1, 30, tzinfo=UTC)),
    ):
        form = client.get(f"/webinars/manage/s/{s.slug}/edit").get_data(as_text=True)
        assert re.search(r'name="start"[^>]*value="2027-10-31T02:30"', form)
        resp = _edit(client, s, start="2027-10-31T02:30", description="Changed, not the time.")
        assert resp.status_code == 303, field_error(resp.get_data(as_text=True), "start")
        db.session.expire_all()
        assert db.session.get(WebinarSession, s.id).start_dt == stored


def test_an_hour_before_the_clocks_go_back_happens_once(client, make_user, login, season):
    login(make_user(role="trainer", country_code="FR"))
    assert _new(client, season, start="2027-10-31T01:30").status_code == 303
    s = db.session.scalar(select(WebinarSession).order_by(WebinarSession.id.desc()))
    assert s.start_dt == datetime(2027, 10, 30, 23, 30, tzinfo=UTC)
