"""The archive lists 20 sessions to a page, newest first; its Previous and Next links (plain links, no
JavaScript) keep the filters, and a page past the end sends to the last one."""

import html
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.usefixtures("app")


def _html(resp):
    assert resp.status_code == 200, resp.data[:400]
    return resp.get_data(as_text=True)


def _link(page, rel):
    """The query of the page's ``rel`` (prev/next) link, or None when it has none."""
    found = re.search(r'<a href="([^"]+)" rel="' + rel + '">', page)
    if found is None:
        return None
    url = urlsplit(html.unescape(found.group(1)))
    assert url.path == "/webinars/"
    return {k: v[0] for k, v in parse_qs(url.query).items()}


def _titles(page):
    return re.findall(r">(Session \d\d) on", page)


@pytest.fixture
def many(make_session):
    """25 sessions on Article 21 planned in English (Session 00 the oldest), and 5 newer ones on
    Article 4 planned in French."""
    day = datetime(2024, 1, 1, 13, 0, tzinfo=UTC)
    for i in range(25):
        make_session(
            title=f"Session {i:02d} on reporting",
            start=day + timedelta(days=i),
            articles=[21],
            languages=["en"],
        )
    for i in range(25, 30):
        make_session(
            title=f"Session {i:02d} on products",
            start=day + timedelta(days=i),
            articles=[4],
            languages=["fr"],
        )


def test_second_page_holds_the_next_sessions_and_links_keep_the_filters(client, many):
    first = _html(client.get("/webinars/?article=21&language=en"))
    assert "25 sessions" in first and "Page 1 of 2" in first
    assert _titles(first) == [f"Session {i:02d}" for i in range(24, 4, -1)]  # newest first
    assert _link(first, "prev") is None
    assert _link(first, "next") == {"article": "21", "language": "en", "page": "2"}

    second = _html(client.get("/webinars/?article=21&language=en&page=2"))
    assert "25 sessions" in second and "Page 2 of 2" in second
    assert _titles(second) == [f"Session {i:02d}" for i in range(4, -1, -1)]
    assert _link(second, "next") is None
    assert _link(second, "prev") == {"article": "21", "language": "en"}  # page 1 is the archive's own address


def test_unfiltered_archive_is_paginated_too(client, many):
    first = _html(client.get("/webinars/"))
    assert "30 sessions" in first and _titles(first)[:2] == ["Session 29", "Session 28"]
    assert len(_titles(first)) == 20 and _link(first, "next") == {"page": "2"}
    assert len(_titles(_html(client.get("/webinars/?page=2")))) == 10
    french = _html(client.get("/webinars/?language=fr"))
    assert "5 sessions" in french and "Page 1 of" not in french and _link(french, "next") is None


def test_a_page_past_the_end_sends_to_the_last_page(client, many):
    resp = client.get("/webinars/?article=21&language=en&page=9")
    assert resp.status_code == 302
    assert parse_qs(urlsplit(resp.headers["Location"]).query) == {
        "article": ["21"],
        "language": ["en"],
        "page": ["2"],
    }
    resp = client.get("/webinars/?season=no-such-season&page=3")
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).query == "season=no-such-season"
    assert "0 sessions" in _html(client.get("/webinars/?season=no-such-season"))
    assert client.get("/webinars/?page=0").status_code == 404
