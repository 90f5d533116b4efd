"""The home page's "Continue learning": the ``resume_requested`` signal's contract and how the core
gathers, sorts and shows its answers (with stand-in receivers: the plugins' own are tested with them)."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from blinker import ANY

from lms import signals
from lms.views import CONTINUE_LIMIT, continue_learning

BASE = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _item(n: int, owner_id: int, *, hours: int, language: str = "en") -> dict:
    return {
        "title": f"Item {n} of user {owner_id}",
        "language": language,
        "kind": "Module",
        "progress": f"{n} of 9 steps done",
        "url": f"/x/{owner_id}/{n}",
        "last_active": BASE + timedelta(hours=hours),
    }


@pytest.fixture
def stand_in():
    """A receiver answering for every user from ``answers[user.id]``; it records what it was sent."""
    answers: dict[int, list[dict]] = {}
    calls: list[tuple] = []

    def receiver(sender, **kw):
        calls.append((sender, kw))
        return [dict(i) for i in answers.get(sender.id, [])]

    with signals.resume_requested.connected_to(receiver, sender=ANY):
        yield answers, calls


def _section(html: str) -> str | None:
    match = re.search(r'<section aria-labelledby="resume-h">(.*?)</section>', html, re.S)
    return match.group(1) if match else None


def _documentation(name: str) -> str:
    """The string documenting ``name`` in lms/signals.py (the one right after its assignment)."""
    tree = ast.parse(Path(signals.__file__).read_text(encoding="utf-8"))
    body = tree.body
    for node, after in zip(body, body[1:], strict=False):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            assert isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
            return after.value.value
    raise AssertionError(f"{name} is not declared")


def test_the_signal_is_declared_and_documented():
    assert signals.resume_requested.name == "resume-requested"
    doc = _documentation("resume_requested")
    # The documented contract every receiver follows.
    for key in (
        "``title``",
        "``language``",
        "``kind``",
        "``progress``",
        "``url``",
        "``last_active``",
        "``limit``",
    ):
        assert key in doc, key
    assert "Sender: the :class:`lms.models.User`" in doc
    assert CONTINUE_LIMIT == 3


def test_gathering_sends_the_user_and_the_limit_and_sorts_most_recent_first(app, make_user, stand_in):
    answers, calls = stand_in
    user = make_user()
    # Two "plugins" worth of answers in one list, out of order.
    answers[user.id] = [
        _item(1, user.id, hours=1),
        _item(2, user.id, hours=5),
        _item(3, user.id, hours=3),
        _item(4, user.id, hours=4),
    ]
    items = continue_learning(user)
    assert calls and calls[0][0] is user and calls[0][1] == {"limit": 3}
    assert [i["url"] for i in items] == [f"/x/{user.id}/2", f"/x/{user.id}/4", f"/x/{user.id}/3"]
    assert len(continue_learning(user, limit=1)) == 1


def test_a_visitor_gets_nothing_and_no_receiver_is_asked(app, stand_in):
    from flask_login import AnonymousUserMixin

    _answers, calls = stand_in
    assert continue_learning(None) == [] and continue_learning(AnonymousUserMixin()) == []
    assert calls == []


def test_home_page_of_a_visitor_has_no_section(client, stand_in):
    _answers, calls = stand_in
    html = client.get("/").get_data(as_text=True)
    assert client.get("/").status_code == 200
    assert _section(html) is None and "Continue learning" not in html
    assert calls == []


def test_home_page_of_a_learner_with_nothing_in_progress_is_unchanged(client, make_user, login, stand_in):
    login(make_user())
    html = client.get("/").get_data(as_text=True)
    assert _section(html) is None and "Continue learning" not in html
    assert "What is new" in html or "Search modules, webinars and workshop kits" in html


def test_home_page_lists_at_most_three_most_recent_first(client, make_user, login, stand_in):
    answers, _calls = stand_in
    user = make_user()
    answers[user.id] = [_item(n, user.id, hours=n) for n in range(1, 6)]
    login(user)
    section = _section(client.get("/").get_data(as_text=True))
    assert section is not None
    assert '<h2 id="resume-h">Continue learning</h2>' in section
    links = re.findall(r'<li><span class="badge">Module</span> <a href="([^"]+)"', section)
    assert links == [f"/x/{user.id}/5", f"/x/{user.id}/4", f"/x/{user.id}/3"]
    assert "5 of 9 steps done" in section and "2 of 9 steps done" not in section


def test_home_page_shows_only_the_signed_in_users_own_items(client, make_user, login, stand_in):
    answers, calls = stand_in
    me, other = make_user(), make_user()
    answers[me.id] = [_item(1, me.id, hours=1)]
    answers[other.id] = [_item(7, other.id, hours=9)]
    login(me)
    section = _section(client.get("/").get_data(as_text=True))
    assert f"/x/{me.id}/1" in section
    assert f"/x/{other.id}/" not in section and f"user {other.id}" not in section
    assert {sender.id for sender, _kw in calls} == {me.id}


def test_a_title_in_another_language_is_marked_and_arabic_reads_right_to_left(
    client, make_user, login, stand_in
):
    answers, _calls = stand_in
    user = make_user()
    answers[user.id] = [_item(1, user.id, hours=2, language="ar"), _item(2, user.id, hours=1, language="en")]
    login(user)
    section = _section(client.get("/").get_data(as_text=True))
    # The page is English: the Arabic title carries its language and direction, the English one not.
    assert f'<a href="/x/{user.id}/1" lang="ar" dir="rtl">' in section
    assert f'<a href="/x/{user.id}/2">' in section
    client.get("/language/ar")
    html = client.get("/").get_data(as_text=True)
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    section = _section(html)
    assert f'<a href="/x/{user.id}/1">' in section  # same language as the page now
    assert f'<a href="/x/{user.id}/2" lang="en" dir="ltr">' in section
