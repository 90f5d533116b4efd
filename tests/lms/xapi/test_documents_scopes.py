"""Who may touch which documents: scopes (Communication 4.2) and launch credentials bound to a learner."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lrs_testing import basic, make_client  # noqa: E402

from lms.db import db  # noqa: E402
from lms.xapi import actor_for  # noqa: E402

ACTIVITY = "http://lms.test/xapi/activities/course/minamata-basics"
OTHER_ACTIVITY = "http://lms.test/xapi/activities/course/other"
REG = "6f8a2f7e-0d6b-4c9b-9a64-0f4b0c3d1e2a"
OTHER_REG = "0b9c8d7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e"
SOMEONE = {"objectType": "Agent", "mbox": "mailto:someone@example.org"}


def call(client, headers, method, resource, body=b"x", **params):
    query = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
    if method == "PUT":  # a PUT that creates a profile document must say so (Communication 3.1.s3.b1)
        headers = {**headers, "If-None-Match": "*"}
    return client.open(
        f"/xapi/{resource}",
        method=method,
        query_string=query,
        data=None if method in ("GET", "DELETE") else body,
        content_type=None if method in ("GET", "DELETE") else "text/plain",
        headers=headers,
    )


def test_credentials_are_required(client, app):
    resp = call(
        client,
        {"X-Experience-API-Version": "1.0.3"},
        "GET",
        "activities/state",
        activityId=ACTIVITY,
        agent=SOMEONE,
    )
    assert resp.status_code == 401 and "WWW-Authenticate" in resp.headers
    resp = call(
        client,
        {"X-Experience-API-Version": "1.0.3", "Authorization": basic("nobody", "wrong")},
        "GET",
        "agents/profile",
        agent=SOMEONE,
    )
    assert resp.status_code == 401


@pytest.mark.parametrize(
    ("scopes", "expected"),
    [
        (["state"], {"state_get": 200, "state_put": 204, "profile_get": 403, "profile_put": 403}),
        (["profile"], {"state_get": 403, "state_put": 403, "profile_get": 200, "profile_put": 204}),
        (["all/read"], {"state_get": 200, "state_put": 403, "profile_get": 200, "profile_put": 403}),
        (["all"], {"state_get": 200, "state_put": 204, "profile_get": 200, "profile_put": 204}),
        (
            ["statements/write", "statements/read"],
            {"state_get": 403, "state_put": 403, "profile_get": 403, "profile_put": 403},
        ),
    ],
)
def test_scopes(client, app, scopes, expected):
    headers = make_client(scopes)
    got = {
        "state_get": call(
            client, headers, "GET", "activities/state", activityId=ACTIVITY, agent=SOMEONE
        ).status_code,
        "state_put": call(
            client, headers, "PUT", "activities/state", activityId=ACTIVITY, agent=SOMEONE, stateId="s"
        ).status_code,
        "profile_get": call(client, headers, "GET", "agents/profile", agent=SOMEONE).status_code,
        "profile_put": call(
            client, headers, "PUT", "activities/profile", activityId=ACTIVITY, profileId="p"
        ).status_code,
    }
    assert got == expected


def test_launch_credentials_only_reach_their_learners_state(client, app, make_user):
    from lms.xapi.auth import issue_launch_credentials

    learner, other = make_user(), make_user()
    key, secret = issue_launch_credentials(learner, registration=REG, activity_id=ACTIVITY, minutes=30)
    db.session.commit()
    headers = {"Authorization": basic(key, secret), "X-Experience-API-Version": "1.0.3"}
    me, them = actor_for(learner), actor_for(other)
    ok = call(
        client,
        headers,
        "PUT",
        "activities/state",
        b"bookmark",
        activityId=ACTIVITY,
        agent=me,
        registration=REG,
        stateId="resume",
    )
    assert ok.status_code == 204, ok.get_data(as_text=True)
    assert (
        call(
            client,
            headers,
            "GET",
            "activities/state",
            activityId=ACTIVITY,
            agent=me,
            registration=REG,
            stateId="resume",
        ).data
        == b"bookmark"
    )
    assert (
        call(
            client,
            headers,
            "PUT",
            "activities/state",
            activityId=ACTIVITY,
            agent=them,
            registration=REG,
            stateId="resume",
        ).status_code
        == 403
    )
    assert (
        call(client, headers, "GET", "activities/state", activityId=ACTIVITY, agent=them).status_code == 403
    )
    assert (
        call(
            client,
            headers,
            "PUT",
            "activities/state",
            activityId=ACTIVITY,
            agent=me,
            registration=OTHER_REG,
            stateId="resume",
        ).status_code
        == 403
    )
    assert (
        call(client, headers, "DELETE", "activities/state", activityId=ACTIVITY, agent=them).status_code
        == 403
    )


def test_bound_profile_credentials_stay_with_their_learner_and_activity(client, app, make_user):
    from lms.xapi.auth import create_client

    learner, other = make_user(), make_user()
    _c, key, secret = create_client(
        "launch", ["profile"], user=learner, registration=REG, activity_id=ACTIVITY
    )
    db.session.commit()
    headers = {"Authorization": basic(key, secret), "X-Experience-API-Version": "1.0.3"}
    assert (
        call(
            client,
            headers,
            "PUT",
            "agents/profile",
            agent=actor_for(learner),
            profileId="cmi5LearnerPreferences",
        ).status_code
        == 204
    )
    assert call(client, headers, "GET", "agents/profile", agent=actor_for(other)).status_code == 403
    assert (
        call(client, headers, "PUT", "activities/profile", activityId=ACTIVITY, profileId="p").status_code
        == 204
    )
    assert (
        call(
            client, headers, "PUT", "activities/profile", activityId=OTHER_ACTIVITY, profileId="p"
        ).status_code
        == 403
    )
    assert call(client, headers, "GET", "activities/profile", activityId=OTHER_ACTIVITY).status_code == 200
