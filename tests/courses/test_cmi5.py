"""cmi5 course structures with several AUs and blocks: import, launch of each AU, moveOn rules,
satisfied blocks and course, completion of the package step. Driven over HTTP as an AU would."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.db import db
from tests.courses.cmi5_au import AU, CMI5, PUB, make_course, node, package_zip
from tests.courses.conftest import statements


def _enrolled(client, learner, login, trainer, **moves):
    course, item = make_course(trainer, package_zip(**moves))
    login(learner)
    assert client.post("/courses/c5/enrol").status_code in (302, 303)
    return course, item


def _state(suffix):
    from courses.models import Enrolment
    from courses.models_packages import PackageNodeState

    enrolment = db.session.scalar(select(Enrolment))
    return db.session.scalar(
        select(PackageNodeState).filter_by(enrolment_id=enrolment.id, node_id=node(suffix).id)
    )


def _satisfied(suffix) -> bool:
    db.session.expire_all()
    row = _state(suffix)
    return bool(row and row.is_satisfied)


def _completed() -> bool:
    from courses.models import Enrolment

    db.session.expire_all()
    return db.session.scalar(select(Enrolment)).completed_dt is not None


def test_every_block_and_au_is_imported_in_order_with_its_metadata(client, trainer, learner, login):
    from courses.models_packages import Package
    from courses.services.cmi5 import title_in

    _enrolled(client, learner, login, trainer)
    package = db.session.scalar(select(Package))
    nodes = package.nodes
    assert [(n.kind, n.publisher_id.rsplit("/", 1)[-1]) for n in nodes] == [
        ("course", "course"),
        ("block", "block-1"),
        ("au", "au-1"),
        ("au", "au-2"),
        ("au", "au-3"),
    ]
    course_node, block, au1, au2, au3 = nodes
    assert block.parent_id == course_node.id and au1.parent_id == au2.parent_id == block.id
    assert au3.parent_id == course_node.id
    assert course_node.titles == {"en-US": "Mercury basics", "fr-FR": "Le mercure"}  # whitespace trimmed
    assert title_in(au1, "fr") == "Extraction" and title_in(au2, "fr") == "Trade"
    assert (au1.move_on, au1.mastery_score, au1.launch_method) == ("Passed", 0.8, "OwnWindow")
    assert (au1.launch_parameters, au1.entitlement_key, au1.url) == (
        "quiz=on",
        "key-123",
        "au1/index.html?lesson=1",
    )
    assert (
        au2.activity_type == "http://adlnet.gov/expapi/activities/media" and au2.launch_method == "AnyWindow"
    )
    assert (au3.move_on, au3.mastery_score) == ("CompletedAndPassed", 0.5)
    # The LMS generates the activity ids; none equals a publisher id (cmi5 8.1, 9.3.9).
    generated = {n.activity_id for n in nodes}
    assert len(generated) == 5 and not generated & {n.publisher_id for n in nodes}
    assert package.activity_id == course_node.activity_id
    # The step shows every AU, each with its own launch button; the block's title.
    html = client.get("/courses/c5/learn/pkg").get_data(as_text=True)
    assert html.count('name="au"') == 3 and "Sources" in html
    for au in (au1, au2, au3):
        assert f'value="{au.uuid}"' in html


def test_each_au_launches_with_its_own_launch_data_and_launched_statement(client, trainer, learner, login):
    _enrolled(client, learner, login, trainer)
    au = AU(client, "au-1")
    assert au.url.path.endswith("/au1/index.html") and "lesson=1" in au.url.query
    assert au.params["activityId"] == node("au-1").activity_id
    data = au.launch_data
    assert data["contextTemplate"]["contextActivities"]["grouping"] == [
        {"objectType": "Activity", "id": f"{PUB}/au-1"}
    ]
    assert (data["moveOn"], data["masteryScore"], data["launchMode"]) == ("Passed", 0.8, "Normal")
    assert data["launchParameters"] == "quiz=on" and data["entitlementKey"] == {"courseStructure": "key-123"}
    assert data["returnURL"].endswith("/courses/c5/learn/pkg")
    launched = statements("launched")[-1].data
    ctx = launched["context"]
    assert launched["object"]["id"] == au.params["activityId"]
    assert [c["id"] for c in ctx["contextActivities"]["category"]] == [CMI5 + "categories/cmi5"]
    assert ctx["contextActivities"]["grouping"][0]["id"] == f"{PUB}/au-1"
    ext = ctx["extensions"]
    assert ext[CMI5 + "extensions/sessionid"] == au.session
    assert ext[CMI5 + "extensions/launchurl"].endswith("/au1/index.html?lesson=1")  # no cmi5 parameters
    assert ext[CMI5 + "extensions/moveon"] == "Passed" and ext[CMI5 + "extensions/masteryscore"] == 0.8
    assert ext[CMI5 + "extensions/launchparameters"] == "quiz=on"
    # A second AU launches on its own: another activity id, session and credentials.
    other = AU(client, "au-2")
    assert other.params["activityId"] != au.params["activityId"] and other.session != au.session
    assert other.launch_data["moveOn"] == "Completed" and "masteryScore" not in other.launch_data
    # An AU that is not in the package is refused (the learner is sent back to the step).
    assert client.post("/courses/c5/learn/pkg/launch", data={"au": "nope"}).status_code == 302


# moveOn rule -> (a statement that does not satisfy it, the statement that does); None: nothing needed.
RULES = {
    "Passed": ("completed", "passed"),
    "Completed": ("passed", "completed"),
    "CompletedAndPassed": ("completed", "passed"),
    "CompletedOrPassed": (None, "passed"),
    "NotApplicable": (None, None),
}


def _send(au, verb):
    if verb == "passed":
        au.passed(0.9)
    elif verb == "completed":
        au.completed()


@pytest.mark.parametrize("rule", list(RULES))
def test_move_on_rules_satisfy_aus_blocks_and_the_course(client, trainer, learner, login, rule):
    _enrolled(client, learner, login, trainer, m1=rule, m2=rule, m3=rule)
    not_enough, enough = RULES[rule]
    # NotApplicable AUs (and the block and course they make up) are satisfied at enrolment, before any
    # launch; the others wait for the AU's statements.
    assert _satisfied("au-1") is (rule == "NotApplicable") and _completed() is (rule == "NotApplicable")
    for suffix in ("au-1", "au-2", "au-3"):
        if rule == "NotApplicable":
            assert _satisfied(suffix)
            continue
        au = AU(client, suffix)
        assert not _satisfied(suffix)
        au.ok("initialized")
        if not_enough:
            _send(au, not_enough)
            assert not _satisfied(suffix), (rule, not_enough)
        _send(au, enough)
        assert _satisfied(suffix)
        au.ok("terminated")
        if suffix == "au-1":
            assert not _satisfied("block-1") and not statements("satisfied")
    assert _satisfied("block-1") and _satisfied("course") and _completed()
    satisfied = statements("satisfied")
    objects = [s.data["object"] for s in satisfied]
    assert [o["id"] for o in objects] == [node("block-1").activity_id, node("course").activity_id]
    assert [o["definition"]["type"] for o in objects] == [
        "https://w3id.org/xapi/cmi5/activitytype/block",
        "https://w3id.org/xapi/cmi5/activitytype/course",
    ]
    for s, pub in zip(satisfied, ("block-1", "course"), strict=True):
        ctx = s.data["context"]
        assert ctx["contextActivities"]["category"][0]["id"] == CMI5 + "categories/cmi5"
        assert ctx["contextActivities"]["grouping"][0]["id"] == f"{PUB}/{pub}"
        assert ctx["extensions"][CMI5 + "extensions/sessionid"]
    # The package step and the course are complete.
    from courses.models import Course, ItemProgress

    course = db.session.scalar(select(Course))
    assert any(s.object_activity_id.endswith("/course/" + course.uuid) for s in statements("completed"))
    assert db.session.scalar(select(ItemProgress)).done_dt is not None


def test_block_is_satisfied_only_when_all_its_aus_are(client, trainer, learner, login):
    _enrolled(client, learner, login, trainer)
    au2 = AU(client, "au-2")
    au2.ok("initialized")
    au2.completed()
    assert _satisfied("au-2") and not _satisfied("block-1")
    au1 = AU(client, "au-1")
    au1.ok("initialized")
    au1.passed(0.8)  # exactly the masteryScore passes
    assert _satisfied("block-1") and not _satisfied("course") and not _completed()
    assert len(statements("satisfied")) == 1
    block_statement = statements("satisfied")[0].data
    assert block_statement["context"]["extensions"][CMI5 + "extensions/sessionid"] == au1.session


def test_a_not_applicable_au_is_satisfied_at_enrolment_and_the_rest_waits(client, trainer, learner, login):
    _enrolled(client, learner, login, trainer, m1="NotApplicable", m2="Passed", m3="Passed")
    assert _satisfied("au-1") and not _satisfied("au-2") and not _satisfied("block-1")
    assert not statements("satisfied") and not _completed()
    au2 = AU(client, "au-2")
    au2.ok("initialized")
    au2.passed(0.9)
    assert _satisfied("block-1") and not _satisfied("course")
