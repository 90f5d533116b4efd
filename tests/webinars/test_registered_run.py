"""The session page words a registrant's run by when it is: to come ("You are registered for the run
starting …"), under way ("… the run that started …") or over ("You were registered for the run of …").
Until the run has ended the registrant may join it and cancel their registration; afterwards neither."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from lms.db import db
from webinars.models import Registration

pytestmark = pytest.mark.usefixtures("app")

TO_COME = "You are registered for the run starting"
UNDER_WAY = "You are registered for the run that started"
OVER = "You were registered for the run of"


@pytest.mark.parametrize(
    ("first_run_ago", "run", "said"),
    [
        (timedelta(days=1), 1, OVER),  # 90 minutes long: over
        (timedelta(minutes=30), 1, UNDER_WAY),
        (timedelta(days=1), 2, TO_COME),
    ],
)
def test_the_registered_run_is_worded_by_when_it_is(
    client, make_session, make_user, login, first_run_ago, run, said
):
    now = datetime.now(UTC).replace(microsecond=0)
    s = make_session(
        title="Vulnerable populations", start=now - first_run_ago, second_start_dt=now + timedelta(days=2)
    )
    user = make_user()
    db.session.add(Registration(session_id=s.id, user_id=user.id, run=run))
    db.session.commit()
    login(user)
    resp = client.get(f"/webinars/s/{s.slug}")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert [text for text in (TO_COME, UNDER_WAY, OVER) if text in page] == [said]


JOIN = "https://meet.example.org/minamata-online-5"


def _register(make_session, make_user, start, run=1, **kw):
    s = make_session(title="Vulnerable populations", start=start, **kw)
    s.join_url = JOIN
    user = make_user()
    db.session.add(Registration(session_id=s.id, user_id=user.id, run=run))
    db.session.commit()
    return s, user


@pytest.mark.parametrize("second_run_to_come", [True, False])
def test_once_the_run_has_ended_the_page_neither_offers_to_join_nor_to_cancel(
    client, make_session, make_user, login, second_run_to_come
):
    """Over, the registered run is only recalled, whether the session's other run is still to come or
    the session is over altogether; My learning no longer lists it among the sessions to come."""
    now = datetime.now(UTC).replace(microsecond=0)
    second = now + timedelta(days=2) if second_run_to_come else None
    s, user = _register(make_session, make_user, now - timedelta(days=1), second_start_dt=second)
    login(user)
    page = client.get(f"/webinars/s/{s.slug}").get_data(as_text=True)
    assert OVER in page
    assert "Join the live session" not in page and JOIN not in page
    assert "Cancel my registration" not in page and f"/webinars/s/{s.slug}/unregister" not in page
    assert f'href="/webinars/s/{s.slug}"' not in client.get("/courses/my").get_data(as_text=True)


def test_while_the_run_is_under_way_the_registrant_may_still_join(client, make_session, make_user, login):
    now = datetime.now(UTC).replace(microsecond=0)
    s, user = _register(make_session, make_user, now - timedelta(minutes=30))  # its only run, 90 minutes
    login(user)
    page = client.get(f"/webinars/s/{s.slug}").get_data(as_text=True)
    assert UNDER_WAY in page and f'href="{JOIN}"' in page and "Cancel my registration" in page


def test_the_registration_of_a_run_that_has_ended_cannot_be_cancelled(client, make_session, make_user, login):
    now = datetime.now(UTC).replace(microsecond=0)
    s, user = _register(
        make_session, make_user, now - timedelta(days=1), second_start_dt=now + timedelta(days=2)
    )
    login(user)
    resp = client.post(f"/webinars/s/{s.slug}/unregister")
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/webinars/s/{s.slug}#register")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Your run of this session has ended: its registration can no longer be cancelled." in page
    assert "Your registration was cancelled." not in page
    assert db.session.scalar(select(Registration).filter_by(session_id=s.id, user_id=user.id)) is not None
