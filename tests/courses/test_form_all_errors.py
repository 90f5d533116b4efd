"""A refused module or workshop form names every mistake at once, each at its own field (with the
summary at the top), and keeps nothing: the form's own checks and the service's are reported together."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lms.db import db
from tests.courses.conftest import MODULE_FORM


def _field_error(html: str, field_id: str) -> str:
    """The error message shown under the field ``field_id`` ("" when there is none)."""
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def _summary_links(html: str) -> set[str]:
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return set(re.findall(r'href="#([\w-]+)"', summary))


def test_a_new_module_names_the_short_name_and_the_articles_at_once(client, trainer, login):
    from courses.models import Course

    login(trainer)
    resp = client.post("/courses/manage/new", data=dict(MODULE_FORM, slug="Mauvais Nom!", articles="abc, 99"))
    html = resp.get_data(as_text=True)
    assert "lower-case letters, digits and hyphens only" in _field_error(html, "slug")
    assert "Articles must be numbers between 1 and 35." in _field_error(html, "articles")
    assert {"slug", "articles"} <= _summary_links(html)
    assert 'value="Mauvais Nom!"' in html and 'value="abc, 99"' in html  # nothing typed is lost
    assert db.session.scalar(select(func.count(Course.id))) == 0


def test_a_new_module_names_the_form_s_and_the_service_s_mistakes_together(client, trainer, login):
    from courses.models import Course

    login(trainer)
    data = dict(MODULE_FORM, slug="Mauvais Nom!", articles="abc, 99", estimated_minutes="0", summary="")
    html = client.post("/courses/manage/new", data=data).get_data(as_text=True)
    for field in ("slug", "articles", "estimated_minutes", "summary"):
        assert _field_error(html, field), field
    assert {"slug", "articles", "estimated_minutes", "summary"} <= _summary_links(html)
    assert db.session.scalar(select(func.count(Course.id))) == 0


def test_an_edited_module_names_every_mistake_at_once(client, trainer, login, course):
    login(trainer)
    before = (course.estimated_minutes, list(course.articles or []))
    data = dict(MODULE_FORM, slug=course.slug, articles="abc, 99", estimated_minutes="0", title="Renamed")
    html = client.post(f"/courses/manage/{course.slug}", data=data).get_data(as_text=True)
    assert "Articles must be numbers between 1 and 35." in _field_error(html, "articles")
    assert _field_error(html, "estimated_minutes")
    assert {"articles", "estimated_minutes"} <= _summary_links(html)
    db.session.expire_all()
    assert (course.estimated_minutes, list(course.articles or [])) == before
    from courses.services.authoring import source_fields

    assert source_fields(course, course.uuid)["title"] != "Renamed"


def test_the_module_service_refuses_with_every_problem(app, trainer):
    from courses.services import authoring
    from courses.services.errors import InvalidFields

    with pytest.raises(InvalidFields) as refused:
        authoring.create_course(
            trainer,
            slug="Mauvais Nom!",
            source_language="xx",
            title="",
            summary="A summary",
            level="expert",
            articles="abc, 99",
        )
    fields = [field for field, _message in refused.value.problems]
    assert fields == ["slug", "source_language", "level", "title", "articles"]


def test_a_new_workshop_names_the_capacity_and_the_days_at_once(client, trainer, login):
    from courses.models_kits import Workshop
    from tests.courses.kits.conftest import build_kit, workshop_form

    build_kit(trainer)
    login(trainer)
    start = date.today() + timedelta(days=30)
    data = workshop_form(start, capacity="0", end_date=(start - timedelta(days=2)).isoformat())
    resp = client.post("/courses/workshops/new", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert _field_error(html, "capacity")
    assert "The last day cannot be before the first day." in _field_error(html, "end_date")
    assert {"capacity", "end_date"} <= _summary_links(html)
    assert _field_error(html, "title") == ""
    assert 'value="Trade workshop"' in html and 'value="0"' in html  # nothing typed is lost
    assert db.session.scalar(select(func.count(Workshop.id))) == 0


def test_an_edited_workshop_names_every_mistake_at_once(client, trainer, login):
    from tests.courses.kits.conftest import build_kit, build_workshop, workshop_form

    workshop = build_workshop(trainer, build_kit(trainer))
    login(trainer)
    before = (workshop.capacity, workshop.end_date, workshop.city)
    start = workshop.start_date
    data = workshop_form(start, capacity="0", end_date=(start - timedelta(days=2)).isoformat(), city="Cebu")
    resp = client.post(f"/courses/workshops/{workshop.uuid}/edit", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert _field_error(html, "capacity")
    assert "The last day cannot be before the first day." in _field_error(html, "end_date")
    db.session.expire_all()
    assert (workshop.capacity, workshop.end_date, workshop.city) == before


def test_an_edited_workshop_names_the_registrations_and_the_days_at_once(client, trainer, login, make_user):
    from courses.services.workshops_registration import register_participant
    from tests.courses.kits.conftest import build_kit, build_workshop, workshop_form

    workshop = build_workshop(trainer, build_kit(trainer))
    for n in range(2):
        register_participant(workshop, make_user(email=f"p{n}@example.org", country_code="SN"))
    db.session.commit()
    login(trainer)
    start = workshop.start_date
    data = workshop_form(start, capacity="1", end_date=(start - timedelta(days=2)).isoformat())
    html = client.post(f"/courses/workshops/{workshop.uuid}/edit", data=data).get_data(as_text=True)
    assert "More people are registered than this capacity allows." in _field_error(html, "capacity")
    assert "The last day cannot be before the first day." in _field_error(html, "end_date")
    db.session.expire_all()
    assert workshop.capacity == 30
