"""Autosave with JavaScript on, in a real headless Chromium (skipped when none is found): changing an
answer saves it without pressing the button, updates the hidden version, and the explicit save that
follows does not conflict with the autosave; a change made while a save is still under way (a slow
connection) is saved too, and "all saved" is not said before it is."""

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


def _log_in(page, base):
    page.goto(f"{base}/account/login")
    page.fill("input[name=email]", "coordinator@example.org")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.goto(f"{base}/language/en?next=/")


def test_a_change_is_saved_automatically(browser, live_server, draft):  # noqa: F811
    ctx = browser.new_context(locale="en")
    page = ctx.new_page()
    base = live_server["url"]
    try:
        _log_in(page, base)
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


def test_a_change_made_while_a_save_is_under_way_is_saved_too(browser, live_server, draft):  # noqa: F811
    """Every autosave request is held back until the test lets it through (a slow connection)."""
    ctx = browser.new_context(locale="en")
    page = ctx.new_page()
    base = live_server["url"]
    held = []

    def hold_posts(route):
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    def wait_for(condition, ms=10000):
        for _ in range(ms // 100):
            if condition():
                return True
            page.wait_for_timeout(100)
        return condition()

    status = page.locator(".r-autosave")
    try:
        _log_in(page, base)
        page.route("**/section/skills", hold_posts)
        page.goto(f"{base}/readiness/a/{draft}/section/skills")
        page.check("#item-7\\.1 input[value='2']")
        assert wait_for(lambda: len(held) == 1)  # the first autosave is on its way
        assert "Saving" in status.inner_text()
        page.check("#item-7\\.2 input[value='yes']")
        page.wait_for_timeout(2500)  # the second change's autosave is due while the first is under way
        held[0].continue_()
        # The first save is answered; the second change is saved by a follow-up save, not forgotten.
        assert wait_for(lambda: len(held) == 2), status.inner_text()
        assert "saved automatically" not in status.inner_text()
        assert _answer(live_server, draft, "7.1")[0] == 2
        held[1].continue_()
        from playwright.sync_api import expect

        expect(status).to_contain_text("saved automatically", timeout=15000)
        assert _answer(live_server, draft, "7.1")[0] == 2
        assert _answer(live_server, draft, "7.2")[0] == "yes"
        page.reload()
        assert page.is_checked("#item-7\\.2 input[value='yes']")
    finally:
        ctx.close()
