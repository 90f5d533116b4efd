"""Signed-in attendees: follow-up questions, upvotes, registration, following a season ("recording
available" mail), resume position; the player gets LRS credentials only when signed in."""

import io
import json

from sqlalchemy import func, select

from lms.db import db
from lms.models import OutboxMessage
from tests.conftest import TEST_PASSWORD
from webinars import services
from webinars.models import QAItem, Registration, WatchState

from .conftest import wav_bytes


def test_ask_a_question_goes_to_moderation(client, full_session, make_user, login):
    user = make_user()
    login(user)
    resp = client.post(
        f"/webinars/s/{full_session.slug}/questions", data={"question": "What about skin-lightening creams?"}
    )
    assert resp.status_code == 303
    item = db.session.scalar(select(QAItem).where(QAItem.source == "followup"))
    assert item.status == "pending" and item.user_id == user.id
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Your question will appear once a moderator has published it" in page
    assert "What about skin-lightening creams?" not in page


def test_the_asker_is_told_next_to_the_form_that_their_question_waits(
    app, client, full_session, make_user, login
):
    """The page opens at the form (#ask), far below the flashed thanks: the form says it was received."""
    user = make_user()
    login(user)
    page = client.get(f"/webinars/s/{full_session.slug}").get_data(as_text=True)
    assert "waiting for a moderator" not in page
    resp = client.post(
        f"/webinars/s/{full_session.slug}/questions", data={"question": "What about skin-lightening creams?"}
    )
    assert resp.headers["Location"].endswith("#ask")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    ask = page[page.index('id="ask"') :]
    assert "You have 1 question waiting for a moderator." in ask
    other = app.test_client()
    other.post(
        "/account/login",
        data={"email": make_user(email="someone-else@example.org").email, "password": TEST_PASSWORD},
    )
    page = other.get(f"/webinars/s/{full_session.slug}").get_data(as_text=True)
    assert "Sign out" in page and "waiting for a moderator" not in page


def test_bad_questions_are_refused(client, full_session, make_user, login):
    login(make_user())
    resp = client.post(f"/webinars/s/{full_session.slug}/questions", data={"question": "Why?"})
    assert resp.status_code == 400 and "10 to 2000 characters" in resp.get_data(as_text=True)
    resp = client.post(f"/webinars/s/{full_session.slug}/questions", data={"question": "x" * 2001})
    assert resp.status_code == 400
    assert db.session.scalar(select(func.count(QAItem.id)).where(QAItem.source == "followup")) == 0


def test_rate_limit_is_explained(app, client, full_session, make_user, login):
    app.config["WEBINARS_QUESTION_RATE"] = [1, 3600]
    login(make_user())
    assert (
        client.post(
            f"/webinars/s/{full_session.slug}/questions", data={"question": "First long question?"}
        ).status_code
        == 303
    )
    resp = client.post(
        f"/webinars/s/{full_session.slug}/questions", data={"question": "Second long question?"}
    )
    assert resp.status_code == 400 and "please wait" in resp.get_data(as_text=True)


def test_upvote_through_the_page(client, full_session, make_user, login):
    from webinars import qa

    item = qa.ask_question(make_user(), full_session, "Can we get the slides in French?", "en")
    qa.moderate(make_user(role="trainer"), item, action="publish")
    db.session.commit()
    login(make_user())
    page = client.get(f"/webinars/s/{full_session.slug}").get_data(as_text=True)
    assert "Upvote this question" in page and "0 upvotes" in page
    assert client.post(f"/webinars/questions/{item.uuid}/upvote").status_code == 303
    page = client.get(f"/webinars/s/{full_session.slug}").get_data(as_text=True)
    assert "1 upvote" in page and "Remove my upvote" in page


def test_register_for_an_upcoming_run(client, make_session, make_user, login, future_start):
    from datetime import timedelta

    s = make_session(
        title="Vulnerable populations", start=future_start, second_start_dt=future_start + timedelta(hours=10)
    )
    login(make_user())
    page = client.get(f"/webinars/s/{s.slug}").get_data(as_text=True)
    assert '<label for="run">Which run?</label>' in page
    assert client.post(f"/webinars/s/{s.slug}/register", data={"run": "3"}).status_code == 400
    assert client.post(f"/webinars/s/{s.slug}/register", data={"run": "2"}).status_code == 303
    assert db.session.scalar(select(Registration.run)) == 2
    assert "You are registered for the run starting" in client.get(f"/webinars/s/{s.slug}").get_data(
        as_text=True
    )
    assert client.post(f"/webinars/s/{s.slug}/unregister").status_code == 303
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_my_learning_lists_the_live_sessions_one_registered_for(
    client, make_session, make_user, login, future_start
):
    """The learner finds the sessions they registered for under My learning, with the time of their run;
    once a session is cancelled from their list (unregistered), it is gone."""
    from datetime import timedelta

    later = make_session(title="Vulnerable populations", start=future_start + timedelta(days=1))
    sooner = make_session(
        title="Artisanal gold mining", start=future_start, second_start_dt=future_start + timedelta(hours=10)
    )
    login(make_user())
    assert "Upcoming" not in client.get("/courses/my").get_data(as_text=True)
    client.post(f"/webinars/s/{later.slug}/register", data={"run": "1"})
    client.post(f"/webinars/s/{sooner.slug}/register", data={"run": "2"})
    page = client.get("/courses/my").get_data(as_text=True)
    upcoming = page[page.index("<h2>Upcoming</h2>") :]
    assert upcoming.index("Artisanal gold mining") < upcoming.index("Vulnerable populations")
    assert f'href="/webinars/s/{sooner.slug}"' in upcoming
    from lms.timezones import moment

    # In the learner's zone (France's), named.
    assert moment(future_start + timedelta(hours=10), "Europe/Paris") in upcoming.split("Vulnerable")[0]
    client.post(f"/webinars/s/{sooner.slug}/unregister")
    assert "Artisanal gold mining" not in client.get("/courses/my").get_data(as_text=True)


def test_followers_are_told_when_a_recording_is_published(client, make_session, make_user, login, season):
    follower = make_user(locale="es")
    login(follower)
    assert client.post(f"/webinars/seasons/{season.slug}/follow", data={"follow": "1"}).status_code == 303
    s = make_session(publish=False)
    services.publish_session(None, s)  # no recording yet: nothing to announce
    db.session.commit()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    services.save_recording(
        None, s, language="en", kind="audio", stream=io.BytesIO(wav_bytes()), filename="a.wav"
    )
    services.save_recording(
        None, s, language="fr", kind="audio", stream=io.BytesIO(wav_bytes()), filename="b.wav"
    )
    db.session.commit()
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert len(mails) == 1 and mails[0].recipient == follower.email
    assert mails[0].subject.startswith("Recording available") or "Grabación" in mails[0].subject
    assert f"/webinars/s/{s.slug}" in mails[0].body


def test_signed_in_player_gets_credentials_and_resume_position(client, full_session, make_user, login):
    user = make_user()
    login(user)
    resp = client.post(
        f"/webinars/s/{full_session.slug}/position",
        json={"position": 42.5, "length": 100, "segments": [[0, 42.5]], "language": "es"},
    )
    assert resp.status_code == 200 and resp.json["progress"] == 0.425
    page_resp = client.get(f"/webinars/s/{full_session.slug}")
    page = page_resp.get_data(as_text=True)
    assert page_resp.headers["Cache-Control"] == "private, no-store"
    assert 'data-resume="42.5"' in page and 'data-lrs-auth="Basic ' in page
    actor = json.loads(page.split('data-actor="')[1].split('"')[0].replace("&#34;", '"'))
    assert actor["account"]["name"] == user.uuid
    assert client.get(f"/webinars/s/{full_session.slug}/position").json["position"] == 42.5


def test_bad_position_bodies_are_refused(client, full_session, make_user, login):
    login(make_user())
    for body in ('{"position": "soon"}', "[1, 2]", "not json", '{"position": 5, "segments": [[9, 1]]}'):
        resp = client.post(
            f"/webinars/s/{full_session.slug}/position", data=body, content_type="application/json"
        )
        assert resp.status_code == 400 and resp.json["error"]
    assert db.session.scalar(select(func.count(WatchState.id))) == 0
