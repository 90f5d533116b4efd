"""Modules in "Continue learning" on the home page: the courses receiver of ``resume_requested``
(started and not completed, the learner's own, most recent first, a link to the next step)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from courses.services import learning
from courses.services.publishing import published_view
from courses.services.receivers import on_resume_requested
from lms import signals
from lms.db import db, utcnow
from tests.courses.conftest import build_course

BASE = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _start(user, course, *, opened=(), done=(), hours=0):
    """Enrol ``user``, open the steps ``opened`` and mark the lessons ``done``, last active at
    ``BASE + hours``."""
    view = published_view(course, "en")
    enrolment, _created = learning.enrol(user, course, view)
    for slug in opened:
        learning.open_item(user, enrolment, view, view.item(slug), "en")
    for slug in done:
        learning.mark_done(user, enrolment, view, view.item(slug))
    enrolment.last_activity_dt = BASE + timedelta(hours=hours)
    db.session.commit()
    return enrolment


@pytest.fixture
def ctx(app):
    with app.test_request_context("/"):
        yield


def test_a_started_module_is_listed_with_its_progress_and_next_step(ctx, course, learner):
    _start(learner, course, opened=["history"], done=["history"], hours=2)
    [item] = on_resume_requested(learner, limit=3)
    assert item["title"] == "The Convention in brief" and item["language"] == "en"
    assert item["kind"] == "Module"
    assert item["progress"] == "1 of 3 steps done"
    # "History" is done: the next step is "National reporting".
    assert item["url"] == "/courses/basics/learn/reporting"
    assert item["last_active"] == BASE + timedelta(hours=2) and item["last_active"].tzinfo is not None


def test_the_step_last_opened_and_not_done_is_where_to_go_back(ctx, course, learner):
    _start(learner, course, opened=["history", "reporting"], done=["history"])
    [item] = on_resume_requested(learner, limit=3)
    assert item["url"] == "/courses/basics/learn/reporting" and item["progress"] == "1 of 3 steps done"
    # Went back to read "History" again after "National reporting": still "National reporting" next.
    enrolment = _start(learner, course, opened=["history"])
    assert enrolment.last_item_uuid is not None
    [item] = on_resume_requested(learner, limit=3)
    assert item["url"] == "/courses/basics/learn/reporting"


def test_enrolled_but_not_started_is_not_listed(ctx, course, learner):
    _start(learner, course)
    assert on_resume_requested(learner, limit=3) == []


def test_a_completed_module_is_not_listed(ctx, course, learner):
    enrolment = _start(learner, course, opened=["history"], done=["history"])
    enrolment.completed_dt = utcnow()
    db.session.commit()
    assert on_resume_requested(learner, limit=3) == []


def test_another_users_progress_is_never_listed(ctx, course, learner, make_user):
    other = make_user()
    _start(other, course, opened=["history"], done=["history", "reporting"])
    assert on_resume_requested(learner, limit=3) == []
    [item] = on_resume_requested(other, limit=3)
    assert item["progress"] == "2 of 3 steps done" and item["url"] == "/courses/basics/learn/check"


def test_most_recent_first_and_limited_in_the_query(ctx, trainer, learner):
    for n, hours in enumerate([3, 1, 4, 2]):
        _start(learner, build_course(trainer, slug=f"m{n}"), opened=["history"], hours=hours)
    items = on_resume_requested(learner, limit=3)
    assert [i["url"].split("/")[2] for i in items] == ["m2", "m0", "m3"]
    assert on_resume_requested(learner, limit=0) == []


def test_the_receiver_is_connected(ctx, course, learner):
    _start(learner, course, opened=["history"])
    replies = [r for _f, r in signals.resume_requested.send(learner, limit=3) if r]
    assert [i["url"] for reply in replies for i in reply] == ["/courses/basics/learn/history"]


def test_title_in_the_readers_language_or_the_source_language(app, course, learner):
    _start(learner, course, opened=["history"])
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        [item] = on_resume_requested(learner, limit=3)
        # No French text: the English title, marked as English, the rest in French.
        assert item["title"] == "The Convention in brief" and item["language"] == "en"


# --- the home page ------------------------------------------------------------------------------------


def _section(html: str) -> str | None:
    match = re.search(r'<section aria-labelledby="resume-h">(.*?)</section>', html, re.S)
    return match.group(1) if match else None


def test_home_page_of_a_visitor_has_no_section(client, course, learner):
    _start(learner, course, opened=["history"])
    html = client.get("/").get_data(as_text=True)
    assert _section(html) is None and "Continue learning" not in html


def test_home_page_lists_three_modules_most_recent_first_with_links_to_the_next_step(
    client, trainer, learner, login
):
    for n, hours in enumerate([3, 1, 4, 2]):
        done = ["history"] if n == 2 else []
        _start(learner, build_course(trainer, slug=f"m{n}"), opened=["history"], done=done, hours=hours)
    login(learner)
    section = _section(client.get("/").get_data(as_text=True))
    assert section is not None and "Continue learning" in section
    assert re.findall(r'href="(/courses/[^"]+)"', section) == [
        "/courses/m2/learn/reporting",  # History done: the next lesson
        "/courses/m0/learn/history",
        "/courses/m3/learn/history",
        "/courses/my",
    ]
    assert section.count("<li>") == 3
    assert "1 of 3 steps done" in section and "0 of 3 steps done" in section
    # The link leads to that lesson.
    page = client.get("/courses/m2/learn/reporting")
    assert page.status_code == 200 and "Article 21 asks Parties" in page.get_data(as_text=True)


def test_home_page_shows_only_the_signed_in_learners_own_modules(client, trainer, learner, make_user, login):
    mine, theirs = build_course(trainer, slug="mine"), build_course(trainer, slug="theirs")
    other = make_user()
    _start(learner, mine, opened=["history"])
    _start(other, theirs, opened=["history"], hours=5)
    login(learner)
    section = _section(client.get("/").get_data(as_text=True))
    assert "/courses/mine/learn/history" in section and "/courses/theirs" not in section


def test_home_page_in_arabic(client, course, learner, login):
    _start(learner, course, opened=["history"])
    login(learner)
    client.get("/language/ar")
    html = client.get("/").get_data(as_text=True)
    assert 'dir="rtl"' in html
    section = _section(html)
    # The English title keeps its own language and direction inside the Arabic page.
    assert (
        '<a href="/courses/basics/learn/history" lang="en" dir="ltr">The Convention in brief</a>' in section
    )
