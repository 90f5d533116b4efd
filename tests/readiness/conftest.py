"""Fixtures of the readiness tests: a French country team and helpers that drive an assessment through
the services (and, where a test is about pages, through the views)."""

from __future__ import annotations

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.db import db


@pytest.fixture
def questionnaire():
    from readiness.questionnaire_file import load_file, shipped_files

    return load_file(shipped_files()[0])


@pytest.fixture
def coordinator(make_user):
    return make_user(role="coordinator", country_code="FR", name="Chloé Coordinator", locale="en")


@pytest.fixture
def editor(make_user):
    return make_user(role="learner", country_code="FR", name="Camille Editor")


@pytest.fixture
def reviewer(make_user):
    return make_user(role="learner", country_code="FR", name="Hugo Reviewer")


@pytest.fixture
def secretariat(make_user):
    return make_user(role="admin", country_code="CH", name="Ada Admin")


@pytest.fixture
def assessment(coordinator, editor, reviewer):
    """A French 2026 draft with a section editor (reporting, data) and a reviewer."""
    from readiness import services

    a = services.start_assessment(coordinator, cycle="2026", language="fr")
    services.invite(a, coordinator, user_id=editor.id, role="editor", sections=["reporting", "data"])
    services.invite(a, coordinator, user_id=reviewer.id, role="reviewer", sections=[])
    db.session.commit()
    return a


def answer_all(assessment, user, answers: dict) -> None:
    """Save ``answers`` (item id -> value) section by section as ``user`` (through the service)."""
    from readiness import services

    q = services.questionnaire_for(assessment)
    rows = services.answers_of(assessment)
    for dim in q.dimensions:
        inputs = [
            services.ItemInput(it.id, answers[it.id], version=rows[it.id].version if it.id in rows else 0)
            for it in dim.items
            if it.id in answers
        ]
        if inputs:
            services.save_section(assessment, user, dim.id, inputs)
    db.session.commit()


def full_answers(q, level: int = 3) -> dict:
    """An answer for every item, roughly at ``level`` (0-4)."""
    out = {}
    for item in q.items.values():
        if item.type == "rubric":
            out[item.id] = level
        elif item.type == "yesno":
            out[item.id] = ["no", "no", "partly", "yes", "yes"][level]
        elif item.type == "checklist":
            out[item.id] = [o.id for o in item.options][: round(len(item.options) * level / 4)]
        else:
            out[item.id] = item.options[round((len(item.options) - 1) * level / 4)].id
    return out


def submit(assessment, coordinator, answers: dict, submitter=None):
    from readiness import services

    answer_all(assessment, coordinator, answers)
    services.send_to_review(assessment, coordinator)
    result = services.submit(assessment, submitter or coordinator)
    db.session.commit()
    return result


def statements(verb_suffix: str | None = None):
    from lms.xapi.models import Statement

    rows = db.session.scalars(select(Statement).order_by(Statement.id)).all()
    return [r for r in rows if verb_suffix is None or r.verb_id.endswith(verb_suffix)]


class _OwnUserClient(FlaskClient):
    """The test app context stays pushed for the whole test, so Flask-Login's per-context cache of the
    signed-in user (``g._login_user``) would leak from one client to the next; drop it per request."""

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@pytest.fixture
def client_for(app):
    """``client_for(user)``: a separate test client signed in as ``user`` through the login form."""
    from tests.conftest import TEST_PASSWORD

    def _make(user):
        c = _OwnUserClient(app, app.response_class, use_cookies=True)
        resp = c.post("/account/login", data={"email": user.email, "password": TEST_PASSWORD})
        assert resp.status_code in (302, 303), resp.data[:300]
        return c

    return _make


def section_form(
    q, dim_id, answers: dict, versions: dict | None = None, comments: dict | None = None
) -> dict:
    """The POST body of a section page for ``answers`` (item id -> value)."""
    from readiness.forms import field_names

    data = {}
    versions, comments = versions or {}, comments or {}
    for index, item in enumerate(q.dimension(dim_id).items):
        names = field_names(index)
        value = answers.get(item.id)
        if item.type == "checklist":
            if isinstance(value, list) and value:
                data[names["ticks"]] = value
            else:
                data[names["answer"]] = "none" if value == [] else (value or "")
        elif value is not None:
            data[names["answer"]] = str(value)
        comment, evidence = comments.get(item.id, ("", ""))
        data[names["comment"]] = comment
        data[names["evidence"]] = evidence
        data[names["version"]] = str(versions.get(item.id, 0))
    return data
