"""Autosave with JavaScript on, in a real headless Chromium (skipped when none is found): changing an
answer saves it without pressing the button, updates the hidden version, and the explicit save that
follows does not conflict with the autosave."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.db import db
from lms.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def draft(live_server):  # noqa: F811
    from lms.models import User
    from readiness import services
    from readiness.models import Assessment

    with live_server["app"].app_context():
        a = db.session.scalar(select(Assessment).filter_by(country_code="FR", cycle="2030"))
        if a is None:
            coordinator = db.session.scalar(select(User).filter_by(email="coordinator@example.org"))
            a = services.start_assessment(coordinator, cycle="2030", language="fr")
            db.session.commit()
        return a.uuid


def _answer(live_server, uuid, item_id):  # noqa: F811
    from readiness import services

    with live_server["app"].app_context():
        row = services.answers_of(services.get_assessment(uuid)).get(item_id)
        return (row.answer, row.version) if row else (None, 0)


def test_a_change_is_saved_automatically(browser, live_server, draft):  # noqa: F811
    ctx = browser.new_context(locale="en")
    page = ctx.new_page()
    base = live_server["url"]
    try:
        page.goto(f"{base}/account/login")
        page.fill("input[name=email]", "coordinator@example.org")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main form button[type=submit]")
        page.goto(f"{base}/language/en?next=/")
        page.goto(f"{base}/readiness/a/{draft}/section/governance")
        assert page.locator("#item-1\\.5").count() == 0  # follow-up hidden until 1.1 is answered
        page.check("input[name=a0][value='2']")
        from playwright.sync_api import expect

        expect(page.locator(".r-autosave")).to_contain_text("saved automatically", timeout=15000)
        assert _answer(live_server, draft, "1.1") == (2, 1)
        assert page.input_value("input[name=v0]") == "1"
        # The explicit save after the autosave: no conflict with ourselves.
        page.check("input[name=a1][value='yes']")
        page.click("form.r-section button[type=submit]")
        page.wait_for_load_state()
        assert "Changed meanwhile" not in page.content()
        assert _answer(live_server, draft, "1.2")[0] == "yes"
        assert page.locator("#item-1\\.5").count() == 1  # now shown
    finally:
        ctx.close()
