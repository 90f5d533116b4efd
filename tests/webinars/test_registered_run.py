"""The session page words a registrant's run by when it is: to come ("You are registered for the run
starting …"), under way ("… the run that started …") or over while the session's other run is still
to come ("You were registered for the run of …")."""

from datetime import UTC, datetime, timedelta

import pytest

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
