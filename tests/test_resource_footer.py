"""The foot of learning-resource pages (``resource_footer`` in lms/templating.py): lessons, webinar
sessions and kits carry every enabled plugin's footer — with analytics, "Was this useful?" in one click
and links to comment or report a problem — and a footer form posted as it stands (no JavaScript)
records the answer about that resource and part, then comes back to the page."""

from __future__ import annotations

import re

import pytest
from flask import request_started
from sqlalchemy import select

from lms.db import db
from tests.conftest import _fresh_request_globals, make_test_app

HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """An app with every plugin and the demo content (seeded once for this module)."""
    from lms.demo import seed

    tmp = tmp_path_factory.mktemp("footer")
    app = make_test_app(f"sqlite:///{tmp / 'lms.db'}", tmp, WTF_CSRF_ENABLED=False)
    request_started.connect(_fresh_request_globals, app)
    with app.app_context():
        db.create_all()
        seed(app)
        db.session.commit()
        yield app
        db.session.remove()
        db.engine.dispose()


def _resource(kind: str):
    from lms.registry import LearningResource

    return db.session.scalars(
        select(LearningResource).where(LearningResource.kind == kind).order_by(LearningResource.id)
    ).first()


def _footer_fields(html: str) -> dict[str, str]:
    """The hidden fields of the "Was this useful?" form at the foot of the page."""
    foot = html[html.index('<div class="resource-footer">') :]
    form = foot[: foot.index("</form>")]
    return dict(HIDDEN.findall(form))


def _post_footer(client, page: str, answer: str):
    from analytics.models_feedback import Feedback

    html = client.get(page).get_data(as_text=True)
    fields = _footer_fields(html)
    resp = client.post("/analytics/feedback", data={**fields, "useful": answer})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    assert resp.headers["Location"].endswith(page)
    row = db.session.scalars(select(Feedback).order_by(Feedback.id.desc())).first()
    return fields, row


def test_a_webinar_session_page_takes_a_visitors_answer_without_javascript(demo):
    session = _resource("webinar")
    client = demo.test_client()
    fields, row = _post_footer(client, session.url, "yes")
    assert fields["resource"] == f"webinar:{session.key}"
    assert (row.kind, row.key, row.part) == ("webinar", session.key, "")
    assert (row.is_useful, row.user_id) == (True, None)
    html = client.get(session.url).get_data(as_text=True)
    assert f"/analytics/report?resource=webinar:{session.key}&amp;next=" in html


def test_a_kit_page_carries_the_footer(demo):
    kit = _resource("kit")
    fields, row = _post_footer(demo.test_client(), kit.url, "no")
    assert fields["resource"] == f"kit:{kit.key}"
    assert (row.kind, row.key, row.is_useful) == ("kit", kit.key, False)


def test_a_lesson_page_names_the_lesson_as_the_part(demo):
    from lms.models import User

    course = _resource("course")
    client = demo.test_client()
    client.post("/account/login", data={"email": "learner@example.org", "password": "minamata-demo"})
    learner = db.session.scalar(select(User).where(User.email == "learner@example.org"))
    client.post(f"{course.url}/enrol")
    resp = client.post(f"{course.url}/continue")
    assert resp.status_code == 302
    lesson_page = resp.headers["Location"]
    fields, row = _post_footer(client, lesson_page, "yes")
    assert fields["resource"] == f"course:{course.key}"
    assert re.fullmatch(r"lesson/[\w-]+", fields["part"])
    assert (row.kind, row.key, row.part, row.user_id) == ("course", course.key, fields["part"], learner.id)


def test_no_footer_without_a_plugin_that_offers_one(tmp_path):
    from lms.demo import seed

    app = make_test_app(f"sqlite:///{tmp_path / 'lms.db'}", tmp_path, PLUGINS=["webinars"])
    with app.app_context():
        db.create_all()
        seed(app)
        db.session.commit()
        session = _resource("webinar")
        html = app.test_client().get(session.url).get_data(as_text=True)
        assert "resource-footer" not in html
        assert "/analytics/feedback" not in html
        db.session.remove()
        db.engine.dispose()


def test_an_assessment_result_page_carries_the_footer(demo):
    """The readiness result names the questionnaire version as the resource and the result as the part
    (the assessment itself belongs to the country team)."""
    from readiness.models import Assessment

    assessment = db.session.scalars(
        select(Assessment)
        .where(Assessment.country_code == "FR", Assessment.submitted_dt.is_not(None))
        .order_by(Assessment.id)
    ).first()
    client = demo.test_client()
    client.post("/account/login", data={"email": "coordinator@example.org", "password": "minamata-demo"})
    page = f"/readiness/a/{assessment.uuid}/result"
    fields, row = _post_footer(client, page, "yes")
    version = assessment.questionnaire_version.version
    assert (fields["resource"], fields["part"]) == (f"readiness:{version}", "result")
    assert (row.kind, row.key, row.part, row.is_useful) == ("readiness", version, "result", True)
