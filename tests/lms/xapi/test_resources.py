"""Activities resource (canonical definitions from statements allowed to define) and Agents resource
(Person objects)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lrs_testing import error_message, make_client, statement  # noqa: E402

from lms.db import db  # noqa: E402
from lms.xapi import actor_for, record_statement  # noqa: E402
from lms.xapi.models import ActivityDefinition  # noqa: E402

ACTIVITY = "http://lms.test/xapi/activities/module/art-7"
VIDEO = "https://w3id.org/xapi/video/activity-type/video"


def get(client, headers, resource, **params):
    query = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
    return client.get(f"/xapi/{resource}", query_string=query, headers=headers)


def post_statements(client, headers, stmts):
    resp = client.post(
        "/xapi/statements", data=json.dumps(stmts), content_type="application/json", headers=headers
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


def test_an_unknown_activity_is_still_an_activity_object(client, app):
    headers = make_client(["statements/read"])
    resp = get(client, headers, "activities", activityId=ACTIVITY)
    assert resp.status_code == 200
    assert resp.get_json() == {"objectType": "Activity", "id": ACTIVITY}
    assert resp.headers["X-Experience-API-Version"] == "1.0.3"


def test_definitions_from_clients_allowed_to_define_are_merged(client, app):
    definer = make_client(["statements/write", "define"], name="definer")
    post_statements(
        client,
        definer,
        [statement(activity=ACTIVITY, activity_type=VIDEO, name={"en": "Artisanal gold mining"})],
    )
    post_statements(
        client, definer, [statement(activity=ACTIVITY, name={"fr": "Extraction minière artisanale"})]
    )
    resp = get(client, definer, "activities", activityId=ACTIVITY)
    assert resp.get_json() == {
        "objectType": "Activity",
        "id": ACTIVITY,
        "definition": {
            "type": VIDEO,
            "name": {"en": "Artisanal gold mining", "fr": "Extraction minière artisanale"},
        },
    }


def test_clients_without_define_do_not_change_the_canonical_definition(client, app):
    definer = make_client(["statements/write", "define"], name="definer")
    writer = make_client(["statements/write", "statements/read"], name="writer")
    post_statements(client, definer, [statement(activity=ACTIVITY, name={"en": "Article 7"})])
    post_statements(
        client, writer, [statement(activity=ACTIVITY, name={"en": "Hijacked"}, activity_type=VIDEO)]
    )
    post_statements(client, writer, [statement(activity=ACTIVITY + "/new", name={"en": "New"})])
    assert get(client, writer, "activities", activityId=ACTIVITY).get_json()["definition"] == {
        "name": {"en": "Article 7"}
    }
    assert get(client, writer, "activities", activityId=ACTIVITY + "/new").get_json() == {
        "objectType": "Activity",
        "id": ACTIVITY + "/new",
    }


def test_context_activities_and_the_platform_define_too(client, app, make_user):
    user = make_user()
    record_statement(
        user=user,
        verb="completed",
        activity_id=ACTIVITY,
        activity_type="module",
        activity_name={"en": "Article 7", "es": "Artículo 7"},
    )
    db.session.commit()
    headers = make_client(["all"])
    stmt = statement(activity=ACTIVITY + "/lesson-1")
    stmt["context"] = {
        "contextActivities": {
            "parent": [
                {
                    "id": ACTIVITY,
                    "definition": {"description": {"en": "Artisanal and small-scale gold mining"}},
                }
            ]
        }
    }
    post_statements(client, headers, [stmt])
    definition = get(client, headers, "activities", activityId=ACTIVITY).get_json()["definition"]
    assert definition == {
        "type": "http://adlnet.gov/expapi/activities/module",
        "name": {"en": "Article 7", "es": "Artículo 7"},
        "description": {"en": "Artisanal and small-scale gold mining"},
    }
    assert db.session.scalar(select(func.count()).select_from(ActivityDefinition)) == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "activityId"),
        ({"activityId": "article seven"}, "activityId"),
        ({"activityId": ACTIVITY, "agent": "{}"}, "agent"),
        ({"activityid": ACTIVITY}, "activityid"),
    ],
)
def test_activities_bad_parameters(client, app, params, message):
    resp = get(client, make_client(["all"]), "activities", **params)
    assert resp.status_code == 400 and message in error_message(resp)


def test_agents_returns_a_person_even_for_an_unknown_agent(client, app):
    agent = {"objectType": "Agent", "name": "Awa", "mbox": "mailto:awa@example.org"}
    resp = get(client, make_client(["statements/read"]), "agents", agent=agent)
    assert resp.status_code == 200
    assert resp.get_json() == {"objectType": "Person", "name": ["Awa"], "mbox": ["mailto:awa@example.org"]}


def test_agents_combines_what_is_known_only_for_privileged_credentials(client, app, make_user):
    user = make_user()
    record_statement(user=user, verb="completed", activity_id=ACTIVITY)
    db.session.commit()
    writer = make_client(["statements/write"], name="tool")
    stmt = statement(user, activity=ACTIVITY)
    stmt["actor"]["name"] = "Focal point of Senegal"
    post_statements(client, writer, [stmt])
    account = actor_for(user)
    plain = {"objectType": "Agent", "account": account["account"]}
    privileged = get(client, make_client(["all/read"]), "agents", agent=plain).get_json()
    assert privileged == {
        "objectType": "Person",
        "name": ["Focal point of Senegal"],
        "account": [account["account"]],
    }
    limited = get(client, make_client(["statements/read"]), "agents", agent=plain).get_json()
    assert limited == {"objectType": "Person", "account": [account["account"]]}


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 400),
        ({"agent": "{not json"}, 400),
        ({"agent": {"objectType": "Group", "member": [{"mbox": "mailto:a@example.org"}]}}, 400),
        ({"agent": {"account": {"homePage": "https://example.org"}}}, 400),
        ({"agent": {"mbox": "mailto:a@example.org"}, "profileId": "x"}, 400),
    ],
)
def test_agents_bad_parameters(client, app, params, status):
    assert get(client, make_client(["all"]), "agents", **params).status_code == status


def test_activities_and_agents_need_credentials(client, app):
    headers = {"X-Experience-API-Version": "1.0.3"}
    assert get(client, headers, "activities", activityId=ACTIVITY).status_code == 401
    assert get(client, headers, "agents", agent={"mbox": "mailto:a@example.org"}).status_code == 401


def test_a_definition_inserted_concurrently_is_merged_not_lost(app, monkeypatch):
    """Two requests defining a new activity at once: the loser's insert hits the unique constraint inside
    a savepoint and becomes an update, so neither the statement nor the other definition is lost."""
    from sqlalchemy import insert

    from lms.xapi import resources

    with db.engine.begin() as conn:  # the other request, already committed
        conn.execute(
            insert(ActivityDefinition).values(
                activity_id=ACTIVITY, definition={"name": {"en": "A"}}, updated_dt=resources.utcnow()
            )
        )
    real_scalar = db.session.scalar
    calls = []

    def stale_first_lookup(*args, **kwargs):
        calls.append(1)
        return None if len(calls) == 1 else real_scalar(*args, **kwargs)

    monkeypatch.setattr(db.session, "scalar", stale_first_lookup)
    row = resources.upsert_definition(ACTIVITY, {"name": {"fr": "B"}})
    monkeypatch.undo()
    db.session.commit()
    assert row.definition == {"name": {"en": "A", "fr": "B"}}
    assert db.session.scalar(select(func.count()).select_from(ActivityDefinition)) == 1
