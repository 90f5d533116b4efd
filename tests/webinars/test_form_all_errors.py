"""A refused session form names every mistake at once, each at its own field (with the summary at the top),
and keeps nothing: six mistakes cost one round trip, not six."""

import functools

import pytest
from sqlalchemy import func, select

from lms.db import db
from webinars.models import WebinarSession

from .conftest import field_error, session_form


@pytest.fixture
def make_session(make_session, trainer):
    return functools.partial(make_session, owner=trainer)


MISTAKES = {
    "duration_min": "0",
    "articles": "99",
    "languages": "xx",
    "start": "2026-12-01T13:00",
    "second_start": "2026-11-30T13:00",  # before the first run
    "join_url": "javascript:alert(1)",
}


def _assert_every_mistake_shown(html: str, *, slug: bool) -> None:
    errors = {
        "duration_min": "5",  # the form's own check: "between 5 and 600"
        "articles": "99",
        "languages": "Unknown language code(s): xx.",
        "second_start": "The second run must start after the first.",
        "join_url": "Give a secure (https://) address",
    }
    if slug:
        errors["slug"] = "Another session already uses the short name mercury-waste."
    for field, words in errors.items():
        assert words in field_error(html, field), field
        assert f'href="#{field}"' in html, field  # in the summary too, linked to the field
    assert field_error(html, "title") == ""
    assert 'value="javascript:alert(1)"' in html and 'value="99"' in html  # what was typed is kept


def test_a_new_session_with_six_mistakes_names_all_six(client, season, make_session):
    make_session(title="Mercury waste", slug="mercury-waste")
    data = session_form(season, slug="mercury-waste", **MISTAKES)
    resp = client.post("/webinars/manage/sessions/new", data=data)
    assert resp.status_code == 400
    _assert_every_mistake_shown(resp.get_data(as_text=True), slug=True)
    assert db.session.scalar(select(func.count()).select_from(WebinarSession)) == 1


def test_the_service_checks_are_reported_together_when_the_form_s_are_passed(client, season, make_session):
    """With a valid duration, the service refuses the rest in one go."""
    make_session(title="Mercury waste", slug="mercury-waste")
    mistakes = dict(MISTAKES, duration_min="60")
    data = session_form(season, slug="mercury-waste", **mistakes)
    resp = client.post("/webinars/manage/sessions/new", data=data)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    for field in ("articles", "languages", "second_start", "join_url", "slug"):
        assert field_error(html, field), field
    assert field_error(html, "duration_min") == ""
    assert db.session.scalar(select(func.count()).select_from(WebinarSession)) == 1


def test_an_edited_session_with_five_mistakes_names_all_five_and_keeps_its_values(client, make_session):
    session = make_session(title="Mercury waste", slug="mercury-waste", articles=[11], languages=["en"])
    db.session.commit()
    before = (session.duration_min, session.articles, session.languages, session.second_start_dt)
    data = session_form(session.season, title="Renamed", **MISTAKES)
    resp = client.post(f"/webinars/manage/s/{session.slug}/edit", data=data)
    assert resp.status_code == 400
    _assert_every_mistake_shown(resp.get_data(as_text=True), slug=False)
    db.session.expire_all()
    assert session.titles["en"] == "Mercury waste"
    assert (session.duration_min, session.articles, session.languages, session.second_start_dt) == before


def test_the_service_refuses_with_every_problem(app, season):
    from datetime import UTC, datetime

    from webinars import services
    from webinars.errors import WebinarError

    start = datetime(2026, 12, 1, 13, tzinfo=UTC)
    with pytest.raises(WebinarError) as refused:
        services.save_session(
            None,
            season=season,
            title="",
            start_dt=start,
            second_start_dt=start,
            duration_min=0,
            join_url="http://example.org",
            articles="99",
            languages=["xx"],
            slug="Bad Name",
        )
    fields = [field for field, _message in refused.value.problems]
    assert fields == ["title", "second_start", "duration_min", "join_url", "articles", "languages", "slug"]
    assert refused.value.field == "title"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(WebinarSession)) == 0
