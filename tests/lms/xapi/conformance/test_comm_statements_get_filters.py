"""xAPI Communication 2.1.3 GET Statements: the query filters (agent, verb, activity, registration,
related_activities, related_agents, since, until) and the StatementRef filter rule (2.1.3.s3)."""

from __future__ import annotations

import time

import pytest
from xapi_helpers import (
    activity,
    activity_id,
    agent_account,
    agent_mbox,
    agent_openid,
    agent_sha1,
    group_anonymous,
    group_identified,
    statement,
    statement_ref,
    substatement,
    uid,
)


def found(lrs, params) -> set[str]:
    return {s["id"] for s in lrs.fetch_all(params)}


def test_agent_filter_matches_actor_and_object(lrs):
    # Communication 2.1.3 table, agent: Statements for which the Agent is the Actor or Object.
    ada = agent_mbox("Ada")
    as_actor = lrs.store(statement(actor=ada))
    as_object = lrs.store(statement(object=dict(ada, name="Ada as object")))
    lrs.store(statement())
    assert found(lrs, {"agent": {"mbox": ada["mbox"]}}) == {as_actor, as_object}


def test_agent_filter_compares_ifi_only(lrs):
    # Communication 2.1.3 table: Agents are equal when the same IFI has equal values (name is ignored).
    ada = agent_account("Ada")
    stmt_id = lrs.store(statement(actor=ada))
    assert found(
        lrs, {"agent": {"objectType": "Agent", "name": "Another name", "account": ada["account"]}}
    ) == {stmt_id}
    other = {"homePage": ada["account"]["homePage"], "name": ada["account"]["name"] + "x"}
    assert found(lrs, {"agent": {"account": other}}) == set()


def test_agent_filter_matches_groups_containing_agent(lrs):
    # Communication 2.1.3 table: Groups that have members matching the Agent are considered a match.
    ada = agent_mbox("Ada")
    in_group = lrs.store(statement(actor=group_anonymous(ada, agent_mbox("Bob"))))
    lrs.store(statement(actor=group_anonymous(agent_mbox("Carl"))))
    assert found(lrs, {"agent": {"mbox": ada["mbox"]}}) == {in_group}


def test_agent_filter_with_identified_group(lrs):
    # Communication 2.1.3 table: agent may be an Agent or Identified Group Object.
    team = group_identified(agent_mbox("Member"))
    stmt_id = lrs.store(statement(actor=team))
    assert found(lrs, {"agent": {"objectType": "Group", "mbox": team["mbox"]}}) == {stmt_id}


def test_agent_filter_ignores_context_agents_unless_related(lrs):
    # Communication 2.1.3 table, related_agents: apply the Agent filter broadly to Actor, Object,
    # Authority, Instructor, Team and those in a contained SubStatement (default false).
    ada = agent_mbox("Ada")
    as_instructor = lrs.store(statement(context={"instructor": ada}))
    in_team = lrs.store(statement(context={"team": group_anonymous(ada, agent_mbox("Bob"))}))
    in_sub_actor = lrs.store(statement(object=substatement(actor=ada)))
    in_sub_object = lrs.store(statement(object=substatement(object=dict(ada, objectType="Agent"))))
    in_sub_instructor = lrs.store(statement(object=substatement(context={"instructor": ada})))
    as_actor = lrs.store(statement(actor=ada))
    lrs.store(statement())
    assert found(lrs, {"agent": {"mbox": ada["mbox"]}}) == {as_actor}
    assert found(lrs, {"agent": {"mbox": ada["mbox"]}, "related_agents": "false"}) == {as_actor}
    assert found(lrs, {"agent": {"mbox": ada["mbox"]}, "related_agents": "true"}) == {
        as_instructor,
        in_team,
        in_sub_actor,
        in_sub_object,
        in_sub_instructor,
        as_actor,
    }


def test_related_agents_matches_authority(lrs):
    # Communication 2.1.3 table, related_agents includes the Authority.
    stmt_id = lrs.store(statement())
    authority = lrs.fetch(stmt_id)["authority"]
    assert stmt_id in found(lrs, {"agent": authority, "related_agents": "true"})


def test_verb_filter(lrs):
    # Communication 2.1.3 table, verb: only Statements matching the Verb id.
    verb_id = f"http://lms.example.org/verbs/{uid()}"
    wanted = {lrs.store(statement(verb={"id": verb_id})), lrs.store(statement(verb={"id": verb_id}))}
    lrs.store(statement())
    assert found(lrs, {"verb": verb_id}) == wanted


def test_activity_filter_and_related_activities(lrs):
    # Communication 2.1.3 table, activity: the Object is an Activity with that id; related_activities:
    # also any context Activity, or those in a contained SubStatement.
    act = activity_id()
    as_object = lrs.store(statement(object=activity(act)))
    ctx = {}
    for key in ("parent", "grouping", "category", "other"):
        ctx[key] = lrs.store(statement(context={"contextActivities": {key: [{"id": act}]}}))
    in_sub = lrs.store(statement(object=substatement(object={"id": act})))
    in_sub_ctx = lrs.store(
        statement(object=substatement(context={"contextActivities": {"parent": [{"id": act}]}}))
    )
    lrs.store(statement())
    assert found(lrs, {"activity": act}) == {as_object}
    assert found(lrs, {"activity": act, "related_activities": "true"}) == {
        as_object,
        in_sub,
        in_sub_ctx,
        *ctx.values(),
    }


def test_registration_filter(lrs):
    # Communication 2.1.3 table, registration: only Statements matching the registration id.
    reg = uid()
    wanted = {
        lrs.store(statement(context={"registration": reg})),
        lrs.store(statement(object=agent_mbox(), context={"registration": reg})),
    }
    lrs.store(statement(context={"registration": uid()}))
    lrs.store(statement())
    assert found(lrs, {"registration": reg}) == wanted


def test_filters_combine(lrs):
    # Communication 2.1.3: the filters all apply together.
    ada, act, verb_id, reg = agent_mbox("Ada"), activity_id(), f"http://lms.example.org/verbs/{uid()}", uid()
    wanted = lrs.store(
        statement(actor=ada, verb={"id": verb_id}, object={"id": act}, context={"registration": reg})
    )
    lrs.store(statement(actor=ada, verb={"id": verb_id}, object={"id": act}))
    lrs.store(
        statement(
            actor=ada, verb={"id": verb_id}, object={"id": activity_id()}, context={"registration": reg}
        )
    )
    lrs.store(statement(verb={"id": verb_id}, object={"id": act}, context={"registration": reg}))
    params = {"agent": {"mbox": ada["mbox"]}, "verb": verb_id, "activity": act, "registration": reg}
    assert found(lrs, params) == {wanted}


def test_since_exclusive_until_inclusive(lrs):
    # Communication 2.1.3 table: since = stored since the Timestamp (exclusive); until = stored at or
    # before the Timestamp.
    ids = []
    for _ in range(3):
        ids.append(lrs.store(statement()))
        time.sleep(0.02)
    stored = [lrs.fetch(i)["stored"] for i in ids]
    assert found(lrs, {"since": stored[0]}) == {ids[1], ids[2]}
    assert found(lrs, {"until": stored[1]}) == {ids[0], ids[1]}
    assert found(lrs, {"since": stored[0], "until": stored[1]}) == {ids[1]}
    assert found(lrs, {"since": stored[2]}) == set()


def test_statement_ref_targeting_matches_filters(lrs):
    # Communication 2.1.3.s3: a Statement whose Object is a StatementRef meets non-time filters if the
    # targeted Statement meets them; recursively (a -> b -> c).
    ben, act = agent_mbox("Ben"), activity_id()
    passed = lrs.store(statement(actor=ben, object={"id": act}))
    confirmed = lrs.store(statement(actor=agent_mbox("Andrew"), object=statement_ref(passed)))
    commented = lrs.store(statement(actor=agent_mbox("Carla"), object=statement_ref(confirmed)))
    lrs.store(statement())
    expected = {passed, confirmed, commented}
    assert found(lrs, {"agent": {"mbox": ben["mbox"]}}) == expected
    assert found(lrs, {"activity": act}) == expected


def test_statement_ref_time_filters_apply_to_targeting_statement(lrs):
    # Communication 2.1.3.s3: time and sequence parameters MUST still be applied to the Statement making
    # the StatementRef.
    ben = agent_mbox("Ben")
    passed = lrs.store(statement(actor=ben))
    time.sleep(0.02)
    confirmed = lrs.store(statement(object=statement_ref(passed)))
    since = lrs.fetch(passed)["stored"]
    assert found(lrs, {"agent": {"mbox": ben["mbox"]}, "since": since}) == {confirmed}
    until = since
    assert found(lrs, {"agent": {"mbox": ben["mbox"]}, "until": until}) == {passed}


def test_context_statement_ref_does_not_affect_filters(lrs):
    # Communication 2.1.3.s3 note: StatementRefs in context "statement" do not affect filtering.
    ben = agent_mbox("Ben")
    target = lrs.store(statement(actor=ben))
    lrs.store(statement(context={"statement": statement_ref(target)}))
    assert found(lrs, {"agent": {"mbox": ben["mbox"]}}) == {target}


@pytest.mark.parametrize("kind", ["mbox_sha1sum", "openid"])
def test_agent_filter_other_ifis(lrs, kind):
    # Communication 2.1.3 table: equality on any IFI.
    agent = agent_sha1() if kind == "mbox_sha1sum" else agent_openid()
    stmt_id = lrs.store(statement(actor=agent))
    lrs.store(statement())
    assert found(lrs, {"agent": {kind: agent[kind]}}) == {stmt_id}


def test_since_and_until_compare_points_in_time(lrs):
    # Communication 2.1.3 table: since / until are Timestamps (Data 4.5): the same instant written in
    # another timezone selects the same Statements.
    from datetime import timedelta, timezone

    from xapi_helpers import parse_ts

    first = lrs.store(statement())
    time.sleep(0.02)
    second = lrs.store(statement())
    stored = parse_ts(lrs.fetch(first)["stored"])
    shifted = stored.astimezone(timezone(timedelta(hours=5, minutes=30))).isoformat(timespec="microseconds")
    assert found(lrs, {"since": shifted}) == {second}
    assert found(lrs, {"until": shifted}) == {first}
