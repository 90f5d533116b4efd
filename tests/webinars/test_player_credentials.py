"""The player's LRS credential: reused while still valid for the same learner and session, issued
anew otherwise, never for anonymous visitors; expired ones are deleted by the core's scheduled job."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from lms.db import db, utcnow
from lms.xapi.auth import LRSClient, create_client, issue_launch_credentials
from webinars import player_credentials, tasks


def _clients(user=None) -> int:
    stmt = select(func.count(LRSClient.id))
    if user is not None:
        stmt = stmt.where(LRSClient.user_id == user.id)
    return db.session.scalar(stmt)


def _auth(page: str) -> str:
    return re.search(r'data-lrs-auth="([^"]+)"', page).group(1)


def test_page_views_reuse_one_credential_that_works(client, full_session, make_user, login):
    learner = make_user()
    login(learner)
    first = client.get(f"/webinars/s/{full_session.slug}").get_data(as_text=True)
    second = client.get(f"/webinars/s/{full_session.slug}?lang=fr").get_data(as_text=True)
    assert _clients(learner) == 1
    assert _auth(first) == _auth(second)
    resp = client.get(
        "/xapi/statements",
        headers={"Authorization": _auth(second), "X-Experience-API-Version": "1.0.3"},
    )
    assert resp.status_code == 200, resp.data


def test_the_player_posts_to_the_lrs_of_its_own_site(app, client, full_session, make_user, login):
    """The page's Content-Security-Policy allows ``connect-src 'self'`` only: when the site is reached at
    another address than ``BASE_URL`` (``PORT=8000 make run``, a second host name), an absolute
    endpoint built from ``BASE_URL`` is blocked and every Video Profile statement is lost."""
    app.config["BASE_URL"] = "http://127.0.0.1:5000"
    login(make_user())
    page = client.get(f"/webinars/s/{full_session.slug}").get_data(as_text=True)
    assert re.search(r'data-lrs-endpoint="([^"]+)"', page).group(1) == "/xapi/"


def test_the_title_the_player_sends_is_tagged_with_its_own_language(client, full_session, make_user, login):
    # A Spanish recording watched with the pages in English: the statement's activity name is the
    # title shown (English), tagged "en"; the recording's language stays the context's language.
    import io

    from tests.webinars.conftest import wav_bytes
    from webinars import services

    services.save_recording(
        None, full_session, language="es", kind="audio", stream=io.BytesIO(wav_bytes()), filename="es.wav"
    )
    db.session.commit()
    login(make_user(locale="en"))
    page = client.get(f"/webinars/s/{full_session.slug}?lang=es&mode=audio").get_data(as_text=True)
    player = re.search(r'<div class="wb-player[^>]*>', page).group(0)
    assert 'data-lang="es"' in player and 'data-title-lang="en"' in player
    assert f'data-title="{full_session.titles["en"]}"' in player


def test_anonymous_views_issue_nothing(client, full_session):
    before = _clients()
    assert client.get(f"/webinars/s/{full_session.slug}").status_code == 200
    assert _clients() == before


def test_credentials_are_per_learner_and_session(full_session, make_session, make_user):
    alice, bob = make_user(), make_user()
    other = make_session(title="Mercury waste (Article 11)")
    a1 = player_credentials.player_client(alice, full_session)
    assert player_credentials.player_client(alice, full_session) == a1
    assert player_credentials.player_client(bob, full_session) != a1
    assert player_credentials.player_client(alice, other) != a1
    assert _clients(alice) == 2 and _clients(bob) == 1


def test_a_credential_about_to_expire_or_deactivated_is_replaced(full_session, make_user):
    user = make_user()
    key, _secret = player_credentials.player_client(user, full_session)
    row = db.session.scalar(select(LRSClient).where(LRSClient.key == key))
    # Too little time left to watch the session (90 minutes): a new one is issued.
    row.expires_dt = utcnow() + timedelta(minutes=30)
    key2, _secret2 = player_credentials.player_client(user, full_session)
    assert key2 != key
    row2 = db.session.scalar(select(LRSClient).where(LRSClient.key == key2))
    row2.is_active = False
    key3, _secret3 = player_credentials.player_client(user, full_session)
    assert key3 not in (key, key2)


def test_a_launch_credential_issued_elsewhere_is_not_handed_out(full_session, make_user):
    """Another path's credential for the same activity has a secret the player cannot know."""
    user = make_user()
    key, _secret = issue_launch_credentials(
        user, registration=None, activity_id=player_credentials.video_activity_id(full_session), minutes=600
    )
    assert player_credentials.player_client(user, full_session)[0] != key


def test_the_core_job_deletes_expired_player_credentials(app, full_session, make_user):
    """The webinars plugin has no clean-up job of its own: the core's expired launch credentials job
    deletes the player's expired credentials and keeps the valid one."""
    from lms.scheduler import all_jobs, run_job

    user = make_user()
    expired_key, _s = player_credentials.player_client(user, full_session)
    db.session.scalar(select(LRSClient).where(LRSClient.key == expired_key)).expires_dt = (
        utcnow() - timedelta(minutes=1)
    )
    valid_key, _s = player_credentials.player_client(user, full_session)
    app_client, _k, _s = create_client(
        "reporting tool", ["all/read"], expires_dt=utcnow() - timedelta(days=1)
    )
    db.session.commit()
    assert [job.id for job in tasks.JOBS] == ["webinars.reminders"]
    job = next(j for j in all_jobs(app) if j.id == "lms.xapi.expired_launch_credentials")
    assert run_job(app, job) == 1
    keys = set(db.session.scalars(select(LRSClient.key)))
    assert expired_key not in keys
    assert {valid_key, app_client.key} <= keys
    assert run_job(app, job) == 0  # idempotent
