"""Every page on a phone (375 px wide), in English and Arabic: a wide table scrolls inside its own
keyboard-scrollable region (``macros/tables.html``), long codes and addresses wrap, and nothing makes the
whole page scroll sideways."""

from __future__ import annotations

import pytest

from tests.browser.pages import PAGES
from tests.browser.test_pages import _context, _path

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


@pytest.fixture(scope="module")
def phone(browser, live_server):
    """``phone(role, lang)``: a page on a phone-sized screen, signed in as the demo account ``role``
    (``None``: a visitor) and switched to ``lang``; one browser context per role and language for the
    module, so that a hundred pages do not each sign in again."""
    contexts = {}

    def _page(role, lang):
        if (role, lang) not in contexts:
            contexts[role, lang] = _context(browser, live_server, lang, role, viewport=PHONE)
        return contexts[role, lang][1]

    yield _page
    for ctx, _ in contexts.values():
        ctx.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.name)
def test_page_fits_a_phone_screen(phone, live_server, spec, lang):
    path = _path(live_server, spec)
    page = phone(spec.role, lang)
    page.goto(live_server["url"] + path)
    page.wait_for_load_state("load")
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{spec.name} [{lang}]: {width} px wide on a {viewport} px screen"


def test_french_labels_and_long_words_fit_a_phone_screen(phone, live_server):
    # A details list (dl.meta) puts its labels in one column and the values in another: French makes
    # both long ("Articles de la Convention" next to "d'approvisionnement"), and neither may push the
    # page wider than the screen.
    page = phone(None, "fr")
    page.goto(live_server["url"] + "/webinars/s/s5-mercury-supply-and-trade")
    page.wait_for_load_state("load")
    assert page.locator("dl.meta").count() == 1
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{width} px wide on a {viewport} px screen"


def test_a_matching_question_with_long_choices_fits_a_phone_screen(phone, live_server):
    # A fieldset is as wide as its widest content unless told otherwise: a French choice of the demo
    # quiz ("Sources d'approvisionnement et commerce") pushed the whole quiz wider than the screen.
    spec = next(spec for spec in PAGES if spec.name == "courses-attempt")
    page = phone(spec.role, "fr")
    page.goto(live_server["url"] + _path(live_server, spec))
    page.wait_for_load_state("load")
    select = page.locator("fieldset .field.match select").first
    select.evaluate(
        "s => s.add(new Option('Sources d’approvisionnement et commerce international du mercure'))"
    )
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{width} px wide on a {viewport} px screen"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_handout_with_a_wide_table_fits_a_phone_screen(phone, live_server, lang):
    # The demo site-ranking handout has a four-column table written in Markdown: it scrolls in its own
    # box; the page itself does not widen (nor, in Arabic, hide the table's far side).
    page = phone(None, lang)
    page.goto(
        live_server["url"] + "/courses/kits/contaminated-sites/handouts/3d4e5f6a-7b8c-5d9e-8f0a-2b3c4d5e6f12"
    )
    page.wait_for_load_state("load")
    assert page.locator(".table-scroll > table").count() >= 1
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{width} px wide on a {viewport} px screen"
    box = page.locator(".table-scroll").first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport
