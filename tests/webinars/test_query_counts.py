"""The webinar pages that list things send as many SQL statements with 8 rows as with 2: every list is
loaded in a fixed number of queries, not one (or three) more per session or question."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest

from lms.db import db
from tests.webinars.conftest import VTT_EN, VTT_ES, wav_bytes

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


def _question(session, source, **kw):
    from webinars.models import QAItem

    return QAItem(session_id=session.id, source=source, language="en", question="And dental amalgam?", **kw)


def _sessions(make_session, owner=None, publish=True):
    """``add(n)``: n more sessions with an audio recording, English and Spanish captions and a chapter
    on Article 11."""
    from webinars import services

    made = []

    def add(n):
        for _ in range(n):
            i = len(made)
            s = make_session(
                title=f"Session {i} on mercury",
                start=datetime(2024, 1, 1, 13, 0, tzinfo=UTC) + timedelta(days=i),
                owner=owner,
                publish=publish,
            )
            services.save_recording(
                None, s, language="en", kind="audio", stream=io.BytesIO(wav_bytes(0.1)), filename="en.wav"
            )
            services.save_captions(None, s, language="en", data=VTT_EN, filename="en.vtt")
            services.save_captions(None, s, language="es", data=VTT_ES, filename="es.vtt")
            services.save_chapter(None, s, start_s=0, titles={"en": "Waste"}, articles=[11])
            db.session.commit()
            made.append(s)

    return add, made


def test_session_page_signed_in(client, login, make_user, full_session, count_queries):
    login(make_user())
    added = []

    def add(n):
        for _ in range(n):
            added.append(1)
            db.session.add(_question(full_session, "live", status="published", time_s=len(added)))
        db.session.commit()

    small, large = counts(count_queries, client, f"/webinars/s/{full_session.slug}", add)
    assert small == large


@pytest.mark.parametrize("url", ["/webinars/", "/webinars/?article=11&language=es"])
def test_archive(client, make_session, count_queries, url):
    add, _made = _sessions(make_session)
    small, large = counts(count_queries, client, url, add)
    assert small == large


@pytest.mark.parametrize("url", ["/webinars/?page=2", "/webinars/?article=11&language=es&page=2"])
def test_archive_past_its_first_page(client, make_session, count_queries, url):
    """Page 2 of the archive (20 sessions to a page) with 4 sessions and with 10."""
    add, _made = _sessions(make_session)
    add(22)
    small, large = counts(count_queries, client, url, add)
    assert small == large


def test_season_page(client, season, make_session, make_user, login, count_queries):
    owner = make_user(role="trainer")
    published, _made = _sessions(make_session, owner=owner)
    drafts, _drafts = _sessions(make_session, owner=owner, publish=False)
    login(make_user(role="trainer"))  # sees the drafts' titles only when on their team

    def add(n):
        published(n)
        drafts(n)

    small, large = counts(count_queries, client, f"/webinars/seasons/{season.slug}", add)
    assert small == large


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_manage_index(client, make_session, make_user, login, count_queries, role):
    user = make_user(role=role)
    add, _made = _sessions(make_session, owner=user)
    login(user)
    small, large = counts(count_queries, client, "/webinars/manage/", add)
    assert small == large


def test_moderation_queue(client, trainer, make_session, make_user, count_queries):
    learner = make_user()
    add_sessions, made = _sessions(make_session, owner=trainer)

    def add(n):
        add_sessions(n)
        for s in made[-n:]:
            db.session.add(_question(s, "followup", status="pending", user_id=learner.id))
        db.session.commit()

    small, large = counts(count_queries, client, "/webinars/manage/questions", add)
    assert small == large


def test_account_export(client, make_session, make_user, login, count_queries):
    from webinars.models import Attendance, QAItem, Registration, WatchState

    learner = make_user()
    login(learner)
    add_sessions, made = _sessions(make_session)

    def add(n):
        add_sessions(n)
        for s in made[-n:]:
            ids = {"session_id": s.id, "user_id": learner.id}
            db.session.add_all([Registration(**ids), WatchState(**ids), Attendance(**ids, minutes=30)])
            db.session.add(QAItem(source="followup", status="pending", question="And amalgam?", **ids))
        db.session.commit()

    small, large = counts(count_queries, client, "/account/export", add)
    assert small == large


def test_my_learning_lists_sessions_to_come_and_recordings_followed(
    client, make_session, make_user, login, count_queries, future_start
):
    from webinars.models import Registration, WatchState

    learner = make_user()
    login(learner)
    past, made_past = _sessions(make_session)
    coming = []

    def add(n):
        past(n)
        for _i in range(n):
            s = make_session(
                title=f"Upcoming {len(coming)}", start=future_start + timedelta(days=len(coming))
            )
            coming.append(s)
            db.session.add(Registration(session_id=s.id, user_id=learner.id))
        for s in made_past[-n:]:
            db.session.add(WatchState(session_id=s.id, user_id=learner.id))
        db.session.commit()

    small, large = counts(count_queries, client, "/courses/my", add)
    assert small == large
    html = client.get("/courses/my").get_data(as_text=True)
    assert html.count("/webinars/s/") >= 16  # 8 to come and 8 recordings
