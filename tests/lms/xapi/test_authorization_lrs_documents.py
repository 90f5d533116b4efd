"""The document, Activities and Agents resources of the LRS authenticate LRS clients (HTTP Basic), never
the site's session: whatever a visitor's role, without LRS credentials the answer is 401; with
credentials holding the scope it is 200/204 (the scope rules are tested in test_documents_scopes.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lrs_testing import make_client  # noqa: E402

ENDPOINTS_COVERED = {
    "xapi.state_get",
    "xapi.state_write",
    "xapi.activity_profile_get",
    "xapi.activity_profile_write",
    "xapi.agent_profile_get",
    "xapi.agent_profile_write",
    "xapi.activities",
    "xapi.agents",
}
ROLES = ("anonymous", "learner", "trainer", "coordinator", "admin")
ACTIVITY = "http://lms.test/xapi/activities/course/c1"
AGENT = json.dumps({"mbox": "mailto:fp@example.org"})

# (method, path, params, body, status with credentials)
CASES = [
    ("GET", "/xapi/activities/state", {"activityId": ACTIVITY, "agent": AGENT}, None, 200),
    ("PUT", "/xapi/activities/state", {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s"}, b'"x"', 204),
    ("POST", "/xapi/activities/state", {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s"}, b"{}", 204),
    ("DELETE", "/xapi/activities/state", {"activityId": ACTIVITY, "agent": AGENT}, None, 204),
    ("GET", "/xapi/activities/profile", {"activityId": ACTIVITY}, None, 200),
    ("PUT", "/xapi/activities/profile", {"activityId": ACTIVITY, "profileId": "p"}, b'"x"', 204),
    ("DELETE", "/xapi/activities/profile", {"activityId": ACTIVITY, "profileId": "p"}, None, 204),
    ("GET", "/xapi/agents/profile", {"agent": AGENT}, None, 200),
    ("POST", "/xapi/agents/profile", {"agent": AGENT, "profileId": "p"}, b"{}", 204),
    ("DELETE", "/xapi/agents/profile", {"agent": AGENT, "profileId": "p"}, None, 204),
    ("GET", "/xapi/activities", {"activityId": ACTIVITY}, None, 200),
    ("GET", "/xapi/agents", {"agent": AGENT}, None, 200),
]


def _send(client, method, path, params, body, headers):
    if method == "PUT":  # a PUT that creates a profile document must say so (Communication 3.1.s3.b1)
        headers = {**headers, "If-None-Match": "*"}
    return client.open(
        path,
        method=method,
        query_string=params,
        data=body,
        content_type="application/json" if body is not None else None,
        headers=headers,
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "params", "body", "ok"), CASES)
def test_lrs_resources_need_lrs_credentials_whatever_the_role(
    client, make_user, login, role, method, path, params, body, ok
):
    if role != "anonymous":
        login(make_user(role=role))
    resp = _send(client, method, path, params, body, {"X-Experience-API-Version": "1.0.3"})
    assert resp.status_code == 401, (role, method, path, resp.get_data(as_text=True)[:200])
    resp = _send(client, method, path, params, body, make_client(["all"]))
    assert resp.status_code == ok, (role, method, path, resp.get_data(as_text=True)[:200])
