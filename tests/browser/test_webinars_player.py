"""webinars: the player script in a real headless Chromium. A signed-in attendee plays, seeks by chapter
and pauses; the built-in LRS stores their xAPI Video Profile statements and the server keeps the resume
position. The transcript page seeks its own player instead of leaving the page. (Kept with the harness to
share its server and browser; the webinars page specs are in ``tests/webinars/browser_pages.py``.)"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from lms.db import db
from lms.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

VIDEO = "https://w3id.org/xapi/video/verbs/"
ADL = "http://adlnet.gov/expapi/verbs/"


def _statements(app, email):
    from lms.models import User
    from lms.xapi.models import Statement

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        rows = db.session.scalars(select(Statement).where(Statement.user_id == user.id)).all()
        return user, [(r.verb_id, r.object_activity_id, r.data) for r in rows]


def _wait_for(predicate, timeout=15.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    return predicate()


def _current_time(page) -> float:
    # page.evaluate (not wait_for_function, which evaluates strings and is refused by the CSP)
    return page.evaluate("document.getElementById('wb-media').currentTime")


def test_player_posts_video_statements_and_saves_position(browser, live_server):
    base, app = live_server["url"], live_server["app"]
    ctx = browser.new_context(locale="en")
    page = ctx.new_page()
    try:
        # A visitor reads UTC, which the script shows in the browser's zone, keeping UTC as a tooltip.
        page.goto(f"{base}/webinars/s/s5-mercury-added-products?lang=en&mode=audio")
        first_time = page.locator("time.wb-utc").first
        assert first_time.get_attribute("title").endswith("UTC")
        assert first_time.inner_text() != first_time.get_attribute("title")
        page.goto(f"{base}/account/login")
        page.fill("input[name=email]", "learner@example.org")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{base}/webinars/s/s5-mercury-added-products?lang=en&mode=audio")
        assert page.locator("label[for=wb-speed]").inner_text() == "Playback speed"
        page.select_option("#wb-speed", "1.5")
        assert page.evaluate("document.getElementById('wb-media').playbackRate") == 1.5
        # The learner (Senegal) reads the server's text in their own zone; the script leaves it alone.
        assert page.locator("time.wb-utc").count() == 0
        assert page.locator("main time").first.inner_text().endswith("Greenwich Mean Time")
        page.click("#wb-chapters li:nth-child(2) a")  # a user gesture: seek to 0:04 and play
        assert page.url.endswith("#t=4")
        assert _wait_for(lambda: _current_time(page) > 5), _current_time(page)
        page.click("#wb-chapters li:nth-child(1) a")  # seek back to the start
        page.wait_for_timeout(800)
        page.evaluate("document.getElementById('wb-media').pause()")
        assert _wait_for(lambda: page.locator("#wb-chapters li.wb-current").count() == 1)

        def verbs():
            _user, rows = _statements(app, "learner@example.org")
            found = {verb for verb, _obj, _data in rows}
            wanted = {ADL + "initialized", VIDEO + "played", VIDEO + "seeked", VIDEO + "paused"}
            return found if wanted <= found else None

        assert verbs() or _wait_for(verbs), _statements(app, "learner@example.org")[1]
        user, rows = _statements(app, "learner@example.org")
        paused = next(data for verb, _o, data in rows if verb == VIDEO + "paused")
        assert paused["object"]["id"].endswith("/recording")
        ext = paused["result"]["extensions"]
        assert "https://w3id.org/xapi/video/extensions/played-segments" in ext
        assert paused["context"]["extensions"]["https://w3id.org/xapi/video/extensions/session-id"]
        seeked = next(data for verb, _o, data in rows if verb == VIDEO + "seeked")
        assert "https://w3id.org/xapi/video/extensions/time-to" in seeked["result"]["extensions"]

        from webinars.models import WatchState

        def saved():
            with app.app_context():
                return db.session.scalar(select(WatchState).where(WatchState.user_id == user.id))

        state = _wait_for(saved)
        assert state is not None and state.progress > 0 and state.segments
    finally:
        ctx.close()


def test_a_visitor_reads_the_archive_and_season_times_in_the_browser_s_zone(browser, live_server):
    base = live_server["url"]
    ctx = browser.new_context(locale="es", timezone_id="America/Bogota")
    page = ctx.new_page()
    try:
        for path in ("/webinars/?lang=es", "/webinars/seasons/season-6?lang=es"):
            page.goto(base + path)
            times = page.locator("main time.wb-utc")
            assert times.count() > 1, path
            for i in range(times.count()):
                # The server's UTC text stays as the title; the text is the same moment in Bogotá.
                assert "UTC" in times.nth(i).get_attribute("title"), path
                assert "GMT-5" in times.nth(i).inner_text(), path
    finally:
        ctx.close()


def test_transcript_click_seeks_on_the_page(browser, live_server):
    base = live_server["url"]
    ctx = browser.new_context(locale="fr")
    page = ctx.new_page()
    try:
        page.goto(f"{base}/webinars/s/s5-mercury-added-products/transcript/fr")
        link = page.locator("#wb-transcript p[data-start='8'] a.wb-seek")
        link.click()
        assert "/transcript/fr" in page.url and page.url.endswith("#t=8")
        assert _wait_for(lambda: _current_time(page) >= 8), _current_time(page)
    finally:
        ctx.close()


def test_leaving_before_the_recording_loads_keeps_the_saved_position(browser, live_server):
    """On a slow line the visitor may leave before the player has even read the recording's length: the
    position it never reached (0:00) must not overwrite where they stopped last time."""
    from lms.models import User
    from webinars.models import WatchState, WebinarSession

    base, app = live_server["url"], live_server["app"]
    slug = "s5-mercury-waste"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "coordinator@example.org"))
        session = db.session.scalar(select(WebinarSession).where(WebinarSession.slug == slug))
        db.session.add(WatchState(session_id=session.id, user_id=user.id, position_s=7.0, segments=[[0, 7]]))
        db.session.commit()
        user_id, session_id = user.id, session.id

    def saved_position():
        with app.app_context():
            state = db.session.scalar(select(WatchState).filter_by(user_id=user_id, session_id=session_id))
            return state.position_s, state.updated_dt

    before = saved_position()
    ctx = browser.new_context(locale="en")
    page = ctx.new_page()
    try:
        page.goto(f"{base}/account/login")
        page.fill("input[name=email]", "coordinator@example.org")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        page.route("**/webinars/media/**", lambda route: route.abort())  # the recording never arrives
        page.goto(f"{base}/webinars/s/{slug}?lang=en&mode=audio")
        assert page.get_attribute("#wb-player", "data-resume") == "7.0"
        page.wait_for_timeout(500)
        page.goto(f"{base}/webinars/")  # pagehide: the player's last save
        page.wait_for_timeout(1500)
        assert saved_position() == before
    finally:
        ctx.close()
