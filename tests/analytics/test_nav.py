"""The site header leads trainers and administrators to their dashboards; nobody else sees the link."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("role", "shown"), [("trainer", True), ("admin", True), ("learner", False), ("coordinator", False)]
)
def test_the_header_links_analytics_for_trainers_only(client, make_user, login, role, shown):
    login(make_user(role=role, country_code="FR"))
    header = client.get("/").get_data(as_text=True).split("</header>", 1)[0]
    assert ('<a href="/analytics/">Analytics</a>' in header) is shown
    if shown:
        page = client.get("/analytics/").get_data(as_text=True).split("</header>", 1)[0]
        assert '<a href="/analytics/" aria-current="page">Analytics</a>' in page


def test_visitors_see_no_analytics_link(client):
    header = client.get("/").get_data(as_text=True).split("</header>", 1)[0]
    assert 'href="/analytics/"' not in header and 'href="/analytics/open-data"' in header
