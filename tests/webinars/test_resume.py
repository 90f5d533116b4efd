"""Recordings in "Continue learning" on the home page: the webinars receiver of ``resume_requested``
(watched partly and not completed, the user's own, most recent first, a link at the position)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from lms import signals
from lms.db import db
from tests.webinars.conftest import wav_bytes
from webinars import registrations, services, tracking
from webinars.models import WatchState
from webinars.resume import on_resume_requested

BASE = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def ctx(app):
    with app.test_request_context("/"):
        yield


def _recorded(session):
    """``session``, given an (audio) recording."""
    services.save_recording(
        None, session, language="en", kind="audio", stream=io.BytesIO(wav_bytes(0.1)), filename="en.wav"
    )
    db.session.commit()
    return session


def _watch(user, session, position, *, length=5400, hours=0):
    state = tracking.update_watch(
        user, session, {"position": position, "length": length, "segments": [[0, position]]}
    )
    state.updated_dt = BASE + timedelta(hours=hours)
    db.session.commit()
    return state


def test_a_recording_watched_partly_is_listed_at_its_position(ctx, full_session, make_user):
    user = make_user()
    _watch(user, full_session, 754.6, hours=1)
    [item] = on_resume_requested(user, limit=3)
    assert item["title"] == "Mercury-added products (Article 4)" and item["language"] == "en"
    assert item["kind"] == "Webinar"
    assert item["progress"] == "stopped at 12:34"
    # The session page starts the player there (?t= for the server, #t= media fragment for the browser).
    assert item["url"] == f"/webinars/s/{full_session.slug}?t=754#t=754"
    assert item["last_active"] == BASE + timedelta(hours=1) and item["last_active"].tzinfo is not None


def test_the_session_page_starts_at_the_position_of_the_link(ctx, client, full_session, make_user, login):
    user = make_user()
    _watch(user, full_session, 65)
    [item] = on_resume_requested(user, limit=3)
    login(user)
    html = client.get(item["url"]).get_data(as_text=True)
    assert "#t=65" in html  # the media's source carries the start time


def test_a_completed_recording_is_not_listed(ctx, full_session, make_user):
    user = make_user()
    state = _watch(user, full_session, 5400)
    assert state.is_completed
    assert on_resume_requested(user, limit=3) == []


def test_a_recording_not_started_is_not_listed(ctx, full_session, make_user, future_start, make_session):
    user = make_user()
    # Put on the list (e.g. by a learning path) without playing it: a watch state at 0.
    db.session.add(WatchState(session_id=full_session.id, user_id=user.id, segments=[]))
    # Registered for a live session to come: the agenda's business, not "Continue learning".
    registrations.register(user, make_session(title="Gender action plan", start=future_start))
    db.session.commit()
    assert on_resume_requested(user, limit=3) == []


def test_another_users_position_is_never_listed(ctx, full_session, make_user):
    me, other = make_user(), make_user()
    _watch(other, full_session, 300)
    assert on_resume_requested(me, limit=3) == []
    assert len(on_resume_requested(other, limit=3)) == 1


def test_an_unpublished_session_is_not_listed(ctx, full_session, make_user):
    user = make_user()
    _watch(user, full_session, 300)
    full_session.is_published = False
    db.session.commit()
    assert on_resume_requested(user, limit=3) == []


def test_most_recent_first_and_limited_in_the_query(ctx, make_session, make_user):
    user = make_user()
    sessions = [make_session(title=f"Session {n}", start=BASE - timedelta(days=30 + n)) for n in range(4)]
    for session, hours in zip(sessions, [3, 1, 4, 2], strict=True):
        _watch(user, session, 100, hours=hours)
    assert [i["title"] for i in on_resume_requested(user, limit=3)] == ["Session 2", "Session 0", "Session 3"]
    assert on_resume_requested(user, limit=0) == []


def test_the_receiver_is_connected(ctx, full_session, make_user):
    user = make_user()
    _watch(user, full_session, 30)
    urls = [i["url"] for _f, reply in signals.resume_requested.send(user, limit=3) for i in reply or []]
    assert urls == [f"/webinars/s/{full_session.slug}?t=30#t=30"]


# --- the home page ------------------------------------------------------------------------------------


def _section(html: str) -> str | None:
    match = re.search(r'<section aria-labelledby="resume-h">(.*?)</section>', html, re.S)
    return match.group(1) if match else None


def test_home_page_shows_the_recording_to_its_viewer_only(client, full_session, make_user, login):
    viewer, other = make_user(), make_user()
    _watch(viewer, full_session, 754)
    html = client.get("/").get_data(as_text=True)
    assert _section(html) is None  # a visitor
    login(other)
    assert _section(client.get("/").get_data(as_text=True)) is None  # nothing of the viewer's
    client.post("/account/logout")
    login(viewer)
    section = _section(client.get("/").get_data(as_text=True))
    assert section is not None
    assert f'href="/webinars/s/{full_session.slug}?t=754#t=754"' in section
    assert "stopped at 12:34" in section


def test_my_learning_gets_every_recording_followed_not_started_started_or_watched(
    ctx, full_session, make_session, make_user
):
    from webinars.resume import on_followed_requested

    user, other = make_user(), make_user()
    started = _recorded(make_session(title="Gender action plan", start=BASE - timedelta(days=30)))
    listed = _recorded(make_session(title="Article 8 emissions", start=BASE - timedelta(days=60)))
    # Put on the list by a learning path, not played: a watch state at 0.
    db.session.add(WatchState(session_id=listed.id, user_id=user.id, segments=[], updated_dt=BASE))
    _watch(user, started, 61, hours=2)
    done = _watch(user, full_session, 5400, hours=1)
    done.is_completed, done.updated_dt = True, BASE + timedelta(hours=1)
    db.session.commit()
    _watch(other, listed, 300)
    items = on_followed_requested(user, limit=10)
    assert [(i["title"], i["progress"]) for i in items] == [
        ("Gender action plan", "stopped at 1:01"),
        ("Mercury-added products (Article 4)", "watched"),
        ("Article 8 emissions", "not started"),
    ]
    assert items[2]["url"] == f"/webinars/s/{listed.slug}"
    assert [i["title"] for i in on_followed_requested(user, limit=1)] == ["Gender action plan"]
    # Connected to the core's signal.
    replies = [r for _recv, r in signals.followed_requested.send(user, limit=10)]
    assert items in replies


def test_a_recording_a_learning_path_put_on_the_list_is_on_my_learning(
    client, full_session, make_user, login
):
    from lms.registry import get_resource

    user = make_user()
    # What a readiness learning path does for a recorded session: ask its plugin to enrol the user.
    replies = signals.enrolment_requested.send(
        get_resource("webinar", full_session.uuid), user=user, source="x"
    )
    assert any(reply is True for _recv, reply in replies)
    db.session.commit()
    login(user)
    html = client.get("/courses/my").get_data(as_text=True)
    assert f'<a href="/webinars/s/{full_session.slug}">Mercury-added products (Article 4)</a>' in html
    assert "not started" in html


def test_a_past_session_a_learning_path_put_on_the_list_waits_for_its_recording(
    client, make_session, make_user, login
):
    """Without a recording, a past session is not listed among the recordings; it is once one is
    published (the list kept it)."""
    from lms.registry import get_resource

    user = make_user()
    past = make_session(title="Article 8 emissions", start=BASE - timedelta(days=60))
    signals.enrolment_requested.send(get_resource("webinar", past.uuid), user=user, source="x")
    db.session.commit()
    login(user)
    html = client.get("/courses/my").get_data(as_text=True)
    assert f'href="/webinars/s/{past.slug}"' not in html and "not started" not in html
    _recorded(past)
    html = client.get("/courses/my").get_data(as_text=True)
    assert f'<a href="/webinars/s/{past.slug}">Article 8 emissions</a> — not started' in html


def test_a_session_to_come_a_learning_path_put_on_the_list_is_among_the_sessions_to_come(
    client, make_session, make_user, login, future_start
):
    from lms.registry import get_resource

    user = make_user()
    coming = make_session(title="Gender action plan", start=future_start)
    signals.enrolment_requested.send(get_resource("webinar", coming.uuid), user=user, source="x")
    db.session.commit()
    login(user)
    html = client.get("/courses/my").get_data(as_text=True)
    assert f'href="/webinars/s/{coming.slug}"' in html[html.index("<h2>Upcoming</h2>") :]
    assert "<h2>Recordings</h2>" not in html and "not started" not in html
