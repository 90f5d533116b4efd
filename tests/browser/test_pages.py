"""Every page type, in English and Arabic: axe-core finds no WCAG 2.2 A/AA violation, the page's
HTML+CSS+JS weigh under 60 KB compressed, the layout direction follows the language, and the page works
with JavaScript off."""

from __future__ import annotations

import gzip

import pytest

from lms.demo import DEMO_PASSWORD
from tests.browser.pages import DEMO_ACCOUNTS, PAGES

pytestmark = pytest.mark.browser

BUDGET_BYTES = 60 * 1024
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
WEIGHED_TYPES = {"document", "stylesheet", "script"}
WEIGHTS: dict[str, int] = {}


def _context(browser, live_server, lang: str, role: str | None, *, javascript: bool = True, viewport=None):
    """A browser context in ``lang`` signed in as the demo account ``role`` (``None``: a visitor), and
    its page; ``viewport`` (``{"width": …, "height": …}``) for another screen size than the default."""
    sizes = {"viewport": viewport} if viewport else {}
    ctx = browser.new_context(
        locale=lang, java_script_enabled=javascript, extra_http_headers={"Accept-Language": lang}, **sizes
    )
    page = ctx.new_page()
    base = live_server["url"]
    if role:
        page.goto(f"{base}/account/login")
        page.fill("input[name=email]", DEMO_ACCOUNTS[role])
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
    page.goto(f"{base}/language/{lang}?next=/")
    return ctx, page


def _path(live_server, spec):
    with live_server["app"].app_context():
        path = spec.resolve()
    if path is None:
        pytest.fail(f"page {spec.name}: nothing to show (demo content missing)")
    return path


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.name)
def test_page_accessible_light_and_directional(browser, live_server, spec, lang):
    from axe_playwright_python.sync_playwright import Axe

    path = _path(live_server, spec)
    ctx, page = _context(browser, live_server, lang, spec.role)
    try:
        bodies: list[tuple[str, bytes]] = []
        csp_errors: list[str] = []
        page.on(
            "console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None
        )

        def _collect(response):
            own = response.url.startswith(live_server["url"])
            if response.request.resource_type in WEIGHED_TYPES and own and response.status < 300:
                bodies.append((response.url, response.body()))

        page.on("response", _collect)
        page.goto(live_server["url"] + path)
        page.wait_for_load_state("load")
        html = page.locator("html")
        assert html.get_attribute("lang") == lang
        assert html.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        assert page.locator("main#main").count() == 1
        assert page.locator("h1").count() >= 1

        weight = sum(len(gzip.compress(body, 6)) for _url, body in bodies)
        WEIGHTS[f"{spec.name}[{lang}]"] = weight
        assert weight < BUDGET_BYTES, f"{spec.name}: {weight} bytes compressed"

        results = Axe().run(page, options=AXE_OPTIONS)
        violations = results.response["violations"]
        assert not violations, results.generate_report()
        assert not csp_errors, csp_errors
    finally:
        ctx.close()


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.name)
def test_page_works_without_javascript(browser, live_server, spec):
    path = _path(live_server, spec)
    ctx, page = _context(browser, live_server, "en", spec.role, javascript=False)
    try:
        resp = page.goto(live_server["url"] + path)
        expected = 404 if spec.name == "not-found" else 200
        assert resp.status == expected
        assert page.locator("h1").count() >= 1
        # Every form a page shows can be submitted without script: it has a submit button.
        for form in page.locator("main form").all():
            assert form.locator("button[type=submit], input[type=submit], button:not([type])").count() >= 1
    finally:
        ctx.close()


def test_report_page_weights():
    """Prints the measured weights (run with -s to see them); fails if nothing was measured."""
    if not WEIGHTS:
        pytest.skip("page tests did not run in this session")
    for name, weight in sorted(WEIGHTS.items()):
        print(f"page weight {name}: {weight / 1024:.1f} KB compressed")
    assert max(WEIGHTS.values()) < BUDGET_BYTES
