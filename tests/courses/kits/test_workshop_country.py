"""The workshop form's country: no country is chosen until the trainer chooses one."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from lms.db import db
from tests.courses.kits.conftest import build_kit, build_workshop, workshop_form


def _country_select(html: str) -> str:
    return re.search(r'<select[^>]*name="country_code".*?</select>', html, re.S).group(0)


def test_the_new_workshop_form_starts_without_a_country(app, client, trainer, login):
    build_kit(trainer)
    login(trainer)
    select_html = _country_select(client.get("/courses/workshops/new?kit=trade").get_data(as_text=True))
    first = re.search(r"<option[^>]*>[^<]*</option>", select_html).group(0)
    assert first == '<option value="">Choose a country</option>'  # no other option is selected either
    assert "selected" not in select_html
    assert "required" in select_html.split(">", 1)[0]


def test_a_workshop_without_a_country_is_refused_with_the_reason(app, client, trainer, login):
    from courses.models_kits import Workshop

    build_kit(trainer)
    login(trainer)
    resp = client.post("/courses/workshops/new", data=workshop_form(country_code=""))
    assert resp.status_code == 400
    assert "Choose a country from the list." in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Workshop.id))) == 0
    unknown = client.post("/courses/workshops/new", data=workshop_form(country_code="XX"))
    assert unknown.status_code == 400 and "Choose a country from the list." in unknown.get_data(as_text=True)
    assert client.post("/courses/workshops/new", data=workshop_form()).status_code == 302


def test_the_edit_form_keeps_the_workshop_s_country_and_refuses_none(app, client, trainer, login):
    kit = build_kit(trainer)
    workshop = build_workshop(trainer, kit)
    login(trainer)
    url = f"/courses/workshops/{workshop.uuid}/edit"
    select_html = _country_select(client.get(url).get_data(as_text=True))
    assert re.search(r'<option selected value="PH">', select_html)
    assert '<option value="">Choose a country</option>' in select_html
    resp = client.post(url, data=workshop_form(country_code=""))
    assert resp.status_code == 400 and "Choose a country from the list." in resp.get_data(as_text=True)
    db.session.refresh(workshop)
    assert workshop.country_code == "PH"
