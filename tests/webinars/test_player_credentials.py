"""The player's LRS credential: reused while still valid for the same learner and session, issued
anew otherwise, never for anonymous visitors; expired ones are deleted by the scheduled job."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from lms.db import db, utcnow
from lms.xapi.auth import LRSClient, create_client, issue_launch_credentials
from webinars import tasks, tracking


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


def test_anonymous_views_issue_nothing(client, full_session):
    before = _clients()
    assert client.get(f"/webinars/s/{full_session.slug}").status_code == 200
    assert _clients() == before


def test_credentials_are_per_learner_and_session(full_session, make_session, make_user):
    alice, bob = make_user(), make_user()
    other = make_session(title="Mercury waste (Article 11)")
    a1 = tracking.player_client(alice, full_session)
    assert tracking.player_client(alice, full_session) == a1
    assert tracking.player_client(bob, full_session) != a1
    assert tracking.player_client(alice, other) != a1
    assert _clients(alice) == 2 and _clients(bob) == 1


def test_a_credential_about_to_expire_or_deactivated_is_replaced(full_session, make_user):
    user = make_user()
    key, _secret = tracking.player_client(user, full_session)
    row = db.session.scalar(select(LRSClient).where(LRSClient.key == key))
    # Too little time left to watch the session (90 minutes): a new one is issued.
    row.expires_dt = utcnow() + timedelta(minutes=30)
    key2, _secret2 = tracking.player_client(user, full_session)
    assert key2 != key
    row2 = db.session.scalar(select(LRSClient).where(LRSClient.key == key2))
    row2.is_active = False
    key3, _secret3 = tracking.player_client(user, full_session)
    assert key3 not in (key, key2)


def test_a_launch_credential_issued_elsewhere_is_not_handed_out(full_session, make_user):
    """Another path's credential for the same activity has a secret the player cannot know."""
    user = make_user()
    key, _secret = issue_launch_credentials(
        user, registration=None, activity_id=tracking.video_activity_id(full_session), minutes=600
    )
    assert tracking.player_client(user, full_session)[0] != key


def test_the_job_deletes_expired_player_credentials_only(app, full_session, make_user):
    user = make_user()
    expired_key, _s = tracking.player_client(user, full_session)
    db.session.scalar(select(LRSClient).where(LRSClient.key == expired_key)).expires_dt = (
        utcnow() - timedelta(minutes=1)
    )
    valid_key, _s = tracking.player_client(user, full_session)
    # Not the job's business: an expired course launch credential and an expired application client.
    course_key, _s = issue_launch_credentials(
        user, registration=None, activity_id="http://lms.test/xapi/activities/course/x", minutes=1
    )
    app_client, _k, _s = create_client(
        "reporting tool", ["all/read"], expires_dt=utcnow() - timedelta(days=1)
    )
    db.session.scalar(select(LRSClient).where(LRSClient.key == course_key)).expires_dt = utcnow() - timedelta(
        minutes=1
    )
    db.session.commit()
    assert any(job.func is tasks.delete_expired_player_credentials for job in tasks.JOBS)
    assert tasks.delete_expired_player_credentials() == 1
    keys = set(db.session.scalars(select(LRSClient.key)))
    assert expired_key not in keys
    assert {valid_key, course_key, app_client.key} <= keys
    assert tasks.delete_expired_player_credentials() == 0  # idempotent
