"""The home page's "Continue learning" for a learner who started a module: accessible in English and
Arabic, and its link leads back into the module without JavaScript."""

from __future__ import annotations

import pytest

from lms.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
MODULE = "the-convention-and-you"


def _new_learner(live_server, email: str, lang: str) -> None:
    from lms.account.creation import ensure_demo_user
    from lms.db import db

    with live_server["app"].app_context():
        user = ensure_demo_user(email, "Amadou Diallo", "learner", "SN", DEMO_PASSWORD)
        user.locale = lang  # the account's language is the one its pages use
        db.session.commit()


def _signed_in(browser, live_server, email: str, lang: str, javascript: bool = True):
    ctx = browser.new_context(
        locale=lang, java_script_enabled=javascript, extra_http_headers={"Accept-Language": lang}
    )
    page = ctx.new_page()
    base = live_server["url"]
    page.goto(f"{base}/account/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return ctx, page


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_continue_learning_after_starting_a_module(browser, live_server, lang):
    from axe_playwright_python.sync_playwright import Axe

    email = f"continue-{lang}@example.org"
    _new_learner(live_server, email, lang)
    base = live_server["url"]
    ctx, page = _signed_in(browser, live_server, email, lang, javascript=False)
    try:
        page.goto(f"{base}/courses/{MODULE}")
        page.locator(f"main form[action$='/{MODULE}/enrol'] button[type=submit]").click()
        page.wait_for_load_state()
        page.locator(f"main form[action$='/{MODULE}/continue'] button[type=submit]").click()
        page.wait_for_load_state()
        assert f"/courses/{MODULE}/learn/" in page.url  # the first step is open
        page.goto(f"{base}/")
        section = page.locator("main section[aria-labelledby=resume-h]")
        assert section.count() == 1
        section.locator(f"a[href*='/courses/{MODULE}/learn/']").click()
        page.wait_for_load_state()
        assert f"/courses/{MODULE}/learn/" in page.url
    finally:
        ctx.close()
    # axe-core runs in the page: a second browser, with JavaScript, signed in as the same learner.
    ctx, page = _signed_in(browser, live_server, email, lang)
    try:
        page.goto(f"{base}/")
        assert page.locator("main section[aria-labelledby=resume-h] li").count() == 1
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        results = Axe().run(page, options=AXE_OPTIONS)
        assert not results.response["violations"], results.generate_report()
    finally:
        ctx.close()
