"""The demo xAPI activity in a real (headless) Chromium: launched from the learner's page into a new
window, sandboxed, it posts its statements to the built-in LRS across the sandbox boundary (CORS), and
the step is completed from them. Skips when no Chromium is found."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.db import db
from lms.demo import DEMO_PASSWORD
from tests.browser.conftest import CHROMIUM_ARGS, browser, find_chromium, live_server  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not find_chromium(), reason="no Chromium found (set LMS_CHROMIUM)"),
]


def test_demo_activity_reports_to_the_lrs_and_completes_its_step(browser, live_server):  # noqa: F811
    base = live_server["url"]
    ctx = browser.new_context(locale="en")
    page = ctx.new_page()
    try:
        page.goto(f"{base}/account/login")
        page.fill("input[name=email]", "learner@example.org")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{base}/courses/products-and-processes")
        if page.locator("text=Enrol in this module").count():
            page.click("text=Enrol in this module")
            page.wait_for_load_state()
        page.goto(f"{base}/courses/products-and-processes/learn/article-4-self-check")
        with page.expect_popup() as popup_info:
            page.click("text=Open the activity")
        activity = popup_info.value
        activity.wait_for_load_state()
        assert "/courses/products-and-processes/run/" in activity.url
        activity.check("#o1")
        activity.check("#o2")
        activity.click("button[type=submit]")
        activity.wait_for_selector("#status:has-text('Correct')", timeout=15000)
    finally:
        ctx.close()
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
