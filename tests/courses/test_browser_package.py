"""The demo xAPI activity in a real (headless) Chromium: launched from the learner's page into a new
window, sandboxed, it posts its statements to the built-in LRS across the sandbox boundary (CORS), and
the step is completed from them. Skips when no Chromium is found."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.db import db
from lms.demo import DEMO_PASSWORD
from tests.browser.harness import find_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not find_chromium(), reason="no Chromium found (set LMS_CHROMIUM)"),
]


def _run_activity(chromium, base, slug, item_slug):
    """Sign in as the demo learner, enrol, open the activity in its window and answer it correctly."""
    ctx = chromium.new_context(locale="en")
    page = ctx.new_page()
    try:
        page.goto(f"{base}/account/login")
        page.fill("input[name=email]", "learner@example.org")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{base}/courses/{slug}")
        if page.locator("text=Enrol in this module").count():
            page.click("text=Enrol in this module")
            page.wait_for_load_state()
        page.goto(f"{base}/courses/{slug}/learn/{item_slug}")
        with page.expect_popup() as popup_info:
            page.click("text=Open the activity")
        activity = popup_info.value
        activity.wait_for_load_state()
        assert f"/courses/{slug}/run/" in activity.url
        activity.check("#o1")
        activity.check("#o2")
        activity.click("button[type=submit]")
        activity.wait_for_selector("#status:has-text('Correct')", timeout=15000)
    finally:
        ctx.close()


def test_cmi5_activity_fetches_its_token_reads_launchdata_and_completes(browser, live_server):  # noqa: F811
    from courses.demo.xapi_package import build

    app = live_server["app"]
    with app.app_context():
        from courses.models import Course, Enrolment, ItemProgress
        from courses.services import authoring, publishing
        from courses.services.xapi_packages import add_package

        if db.session.scalar(select(Course).filter_by(slug="cmi5-check")) is None:
            course = authoring.create_course(
                None,
                slug="cmi5-check",
                source_language="en",
                title="cmi5 self-check",
                summary="A cmi5 activity.",
            )
            unit = authoring.add_unit(None, course, title="Practice")
            add_package(None, unit, slug="au", title="", required=True, data=build("cmi5"))
            publishing.publish(None, course)
            db.session.commit()
    _run_activity(browser, live_server["url"], "cmi5-check", "au")
    with app.app_context():
        from lms.models import User
        from lms.xapi.models import Statement

        user = db.session.scalar(select(User).filter_by(email="learner@example.org"))
        course = db.session.scalar(select(Course).filter_by(slug="cmi5-check"))
        enrolment = db.session.scalar(select(Enrolment).filter_by(user_id=user.id, course_id=course.id))
        assert enrolment.completed_dt is not None  # moveOn CompletedAndPassed met by the AU's statements
        rows = db.session.scalars(select(ItemProgress).filter_by(enrolment_id=enrolment.id)).all()
        assert rows and all(r.done_dt for r in rows)
        verbs = {
            v.rsplit("/", 1)[-1]
            for v in db.session.scalars(
                select(Statement.verb_id).where(Statement.registration == enrolment.uuid)
            )
        }
        assert {"launched", "initialized", "passed", "completed", "terminated"} <= verbs


def test_demo_activity_reports_to_the_lrs_and_completes_its_step(browser, live_server):  # noqa: F811
    base = live_server["url"]
    _run_activity(browser, base, "products-and-processes", "article-4-self-check")
    app = live_server["app"]
    with app.app_context():
        from courses.demo.seed import PACKAGE_ITEM_UUID
        from courses.models import Enrolment, ItemProgress
        from lms.models import User
        from lms.xapi.models import Statement

        user = db.session.scalar(select(User).filter_by(email="learner@example.org"))
        enrolment = db.session.scalar(
            select(Enrolment)
            .join(Enrolment.course)
            .where(Enrolment.user_id == user.id)
            .filter_by(slug="products-and-processes")
        )
        row = db.session.scalar(
            select(ItemProgress).filter_by(enrolment_id=enrolment.id, item_uuid=PACKAGE_ITEM_UUID)
        )
        assert row is not None and row.done_dt is not None
        sent = db.session.scalars(
            select(Statement.verb_id).where(Statement.registration == enrolment.uuid)
        ).all()
        assert any(v.endswith("/passed") for v in sent) and any(v.endswith("/completed") for v in sent)
