"""Home page "What is new" and site search over the registry: kinds, languages, accents."""

from __future__ import annotations

import re

import pytest

from lms.db import db
from lms.registry import publish_resource


@pytest.fixture
def resources(app):
    publish_resource(
        kind="course",
        key="waste",
        plugin="courses",
        url="/courses/waste",
        titles={"en": "Mercury waste", "fr": "Déchets de mercure"},
        languages=["en", "fr"],
    )
    publish_resource(
        kind="webinar",
        key="asgm",
        plugin="webinars",
        url="/webinars/asgm",
        titles={"en": "Artisanal gold mining"},
        languages=["en"],
    )
    publish_resource(
        kind="kit",
        key="trade-kit",
        plugin="courses",
        url="/courses/kits/trade-kit",
        titles={"en": "Trade workshop", "ar": "ورشة التجارة"},
        languages=["en", "ar"],
    )
    publish_resource(
        kind="advisory",
        key="helpdesk",
        plugin="readiness",
        url="/readiness/advice/helpdesk",
        titles={"en": "Legal advisory service"},
        languages=["en"],
    )
    publish_resource(
        kind="webinar_chapter",
        key="asgm-1",
        plugin="webinars",
        url="/webinars/asgm#c1",
        titles={"en": "Chapter one"},
        languages=["en"],
    )
    db.session.commit()


def _page(client, lang, path):
    client.get(f"/language/{lang}")
    return client.get(path).get_data(as_text=True)


def _whats_new(html):
    return html[html.index('id="new-h"') : html.index("</section>")]


def test_whats_new_shows_kinds_and_leaves_out_advisory_services_and_chapters(client, resources):
    section = _whats_new(_page(client, "en", "/"))
    assert "Module" in section and "Webinar" in section and "Workshop kit" in section
    assert (
        "/courses/waste" in section and "/webinars/asgm" in section and "/courses/kits/trade-kit" in section
    )
    assert "helpdesk" not in section and "Advisory" not in section and "Chapter one" not in section


def test_whats_new_marks_fallback_titles_with_language_and_direction(client, resources):
    section = _whats_new(_page(client, "ar", "/"))
    assert '<a href="/webinars/asgm" lang="en" dir="ltr">Artisanal gold mining</a>' in section
    assert '<a href="/courses/kits/trade-kit">ورشة التجارة</a>' in section  # in the page's language


def test_search_ignores_accents_and_case(client, resources):
    html = _page(client, "fr", "/search?q=DECHETS")
    assert '<a href="/courses/waste">Déchets de mercure</a>' in html
    assert html.count('href="/courses/waste"') == 1


def test_search_matches_titles_in_every_language_and_shows_kind_and_count(client, resources):
    html = _page(client, "en", "/search?q=ورشة")
    assert '<a href="/courses/kits/trade-kit">Trade workshop</a>' in html
    assert "1 result" in html and "Workshop kit" in html
    html = _page(client, "en", "/search?q=mercur")
    assert re.search(r"\b1 result\b", html) and "/courses/waste" in html
    html = _page(client, "en", "/search?q=o")
    assert "4 results" in html  # gold, workshop, advisory, chapter: search covers every kind


def test_search_words_may_come_in_any_order(client, resources):
    html = _page(client, "fr", "/search?q=mercure déchets")
    assert "/courses/waste" in html


def test_search_without_match_says_so(client, resources):
    html = _page(client, "en", "/search?q=zzzz")
    assert "Nothing found for “zzzz”." in html and "results" not in html


def test_search_shows_fallback_title_with_language_and_direction(client, resources):
    html = _page(client, "ar", "/search?q=gold")
    assert '<a href="/webinars/asgm" lang="en" dir="ltr">Artisanal gold mining</a>' in html


def test_search_offers_the_plugins_deeper_searches_with_the_same_words(client, resources):
    html = client.get("/search?q=pilas usadas").get_data(as_text=True)
    further = html[html.index("Search further") :]
    assert 'href="/webinars/search?q=pilas+usadas"' in further
    assert "Webinar seasons, transcripts, chapters and questions" in further
    assert "Search further" not in client.get("/search").get_data(as_text=True)  # nothing asked yet
