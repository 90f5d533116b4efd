"""The readiness and analytics pages on a phone (375 px wide), in English and Arabic: a wide table
scrolls inside its own keyboard-scrollable region and never makes the whole page scroll sideways."""

from __future__ import annotations

import pytest

from lms.demo import DEMO_PASSWORD
from tests.browser.pages import DEMO_ACCOUNTS, PAGES
from tests.browser.test_pages import _path

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
NARROW_PAGES = [spec for spec in PAGES if spec.plugin in ("readiness", "analytics")]


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("spec", NARROW_PAGES, ids=lambda s: s.name)
def test_page_fits_a_phone_screen(browser, live_server, spec, lang):
    path = _path(live_server, spec)
    ctx = browser.new_context(locale=lang, viewport=PHONE, extra_http_headers={"Accept-Language": lang})
    page = ctx.new_page()
    base = live_server["url"]
    try:
        if spec.role:
            page.goto(f"{base}/account/login")
            page.fill("input[name=email]", DEMO_ACCOUNTS[spec.role])
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("main form button[type=submit]")
            page.wait_for_load_state()
        page.goto(f"{base}/language/{lang}?next=/")
        page.goto(base + path)
        page.wait_for_load_state("load")
        width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= viewport, f"{spec.name} [{lang}]: {width} px wide on a {viewport} px screen"
    finally:
        ctx.close()
