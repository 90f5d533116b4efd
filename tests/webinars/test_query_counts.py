"""The webinar pages that list things send as many SQL statements with 8 rows as with 2: every list is
loaded in a fixed number of queries, not one (or three) more per session or question."""

from __future__ import annotations

import pytest

from lms.db import db

pytestmark = pytest.mark.usefixtures("app")


def counts(count_queries, client, url, add) -> tuple[int, int]:
    """The statements the page at ``url`` sends after ``add(2)`` and after ``add(6)`` more rows."""

    def get():
        db.session.expire_all()  # as in a new request: nothing already loaded by an earlier one
        resp = client.get(url)
        assert resp.status_code == 200, resp.data[:300]

    add(2)
    get()  # what the first request of a process does once (translations, zones…) is not counted
    small = count_queries(get)
    add(6)
    return small, count_queries(get)


def test_session_page_signed_in(client, login, make_user, full_session, count_queries):
    from webinars.models import QAItem

    login(make_user())
    added = []

    def add(n):
        for _ in range(n):
            added.append(1)
            db.session.add(
                QAItem(
                    session_id=full_session.id,
                    source="live",
                    status="published",
                    language="en",
                    question=f"Question number {len(added)} about mercury?",
                    time_s=len(added),
                )
            )
        db.session.commit()

    small, large = counts(count_queries, client, f"/webinars/s/{full_session.slug}", add)
    assert small == large
