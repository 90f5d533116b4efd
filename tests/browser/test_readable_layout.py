"""Layouts that must stay readable whatever the language's word lengths: a catalogue card's details in
Russian, and a form field's control under its label and "(required)"."""

from __future__ import annotations

import pytest

from tests.browser.test_pages import _context

pytestmark = pytest.mark.browser


@pytest.fixture
def page_in(browser, live_server):
    opened = []

    def _page(lang, role=None):
        ctx, page = _context(browser, live_server, lang, role, javascript=False)
        opened.append((ctx, page, role))
        return page

    yield _page
    for ctx, page, role in opened:
        if role:  # choosing a language is saved on the account: give the demo account English back
            page.goto(live_server["url"] + "/language/en?next=/")
        ctx.close()


def test_catalogue_card_details_stay_readable_in_russian(page_in, live_server):
    # "Продолжительность" (Time) is one long word: next to it in a narrow card, the value was squeezed
    # into a column one letter wide.
    page = page_in("ru")
    page.goto(live_server["url"] + "/courses/")
    values = page.locator(".card dl.meta dd")
    assert values.count() >= 4
    for box in (values.nth(i).bounding_box() for i in range(values.count())):
        assert box["width"] >= 100, f"a card's detail is {box['width']} px wide"


@pytest.mark.parametrize("lang", ["en", "ru", "ar"])
def test_a_form_control_starts_under_its_label(page_in, live_server, lang):
    # "(required)" came on the same line as the control, which then started beside it, not under the
    # label like the controls with a hint.
    page = page_in(lang)
    page.goto(live_server["url"] + "/account/register")
    for name in ("name", "email", "password", "country", "organisation"):
        label = page.locator(f"label[for={name}]").bounding_box()
        control = page.locator(f"#{name}").bounding_box()
        assert control["y"] >= label["y"] + label["height"], name
        if lang == "ar":
            assert abs((control["x"] + control["width"]) - (label["x"] + label["width"])) < 2, name
        else:
            assert abs(control["x"] - label["x"]) < 2, name


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_matching_pair_sits_on_one_line_as_its_hint_says(page_in, live_server, lang):
    # The hint reads "each item on the left with one on the right" (right and left in Arabic): the item
    # and its choice must be side by side, not one above the other.
    from tests.courses.browser_pages import _attempt_path

    with live_server["app"].app_context():
        attempt = _attempt_path(submitted=False)()  # a new attempt of the demo learner, in progress
    page = page_in(lang, "learner")
    page.goto(live_server["url"] + attempt)
    pair = page.locator(".field.match").first
    label, select = pair.locator("label").bounding_box(), pair.locator("select").bounding_box()
    assert select["y"] < label["y"] + label["height"], "the choice is under the item"
    if lang == "ar":
        assert select["x"] + select["width"] <= label["x"] + 1
    else:
        assert select["x"] >= label["x"] + label["width"] - 1
