"""The core registry of learning resources: publishing, withdrawing and ownership."""

from lms import registry
from lms.db import db


def _publish(key="c1", **kw):
    return registry.publish_resource(
        kind="course",
        key=key,
        plugin="courses",
        titles={"en": "Art. 3", "fr": "Art. 3 (fr)"},
        url=f"/courses/{key}",
        languages=["fr", "en"],
        articles=[3],
        **kw,
    )


def test_publish_withdraw_and_find(app):
    res = _publish()
    assert res.title("fr") == "Art. 3 (fr)" and res.title("zh") == "Art. 3"
    assert res.languages == ["en", "fr"]
    assert [r.key for r in registry.find_resources(articles=[3])] == ["c1"]
    assert registry.find_resources(articles=[8]) == []
    registry.withdraw_resource("course", "c1")
    assert registry.find_resources() == []
    assert [r.key for r in registry.find_resources(published_only=False)] == ["c1"]


def test_unknown_kind_is_refused(app):
    try:
        registry.publish_resource(kind="podcast", key="x", plugin="p", titles={}, url="/", languages=[])
    except ValueError as exc:
        assert "podcast" in str(exc)
    else:
        raise AssertionError("an unknown kind was accepted")


def test_owners_are_set_replaced_and_kept(app, make_user):
    alice, bob = make_user(role="trainer"), make_user(role="trainer")
    _publish(owners=[alice.id])
    _publish(key="c2", owners=[alice.id, bob.id])
    assert registry.resource_owners("course", "c1") == [alice.id]
    assert [r.key for r in registry.resources_owned_by(bob.id)] == ["c2"]
    # Re-publishing without owners keeps them; with owners replaces them.
    _publish()
    assert registry.resource_owners("course", "c1") == [alice.id]
    _publish(owners=[bob.id])
    assert registry.resource_owners("course", "c1") == [bob.id]
    assert registry.set_resource_owners("course", "c2", []) is True
    assert registry.resource_owners("course", "c2") == []
    assert registry.set_resource_owners("course", "missing", [alice.id]) is False
    # Withdrawn resources stay owned (their dashboards remain visible to their trainers).
    registry.withdraw_resource("course", "c1")
    assert [r.key for r in registry.resources_owned_by(bob.id, kinds=["course"])] == ["c1"]
    assert registry.resources_owned_by(bob.id, kinds=["webinar"]) == []


def test_deleting_a_user_drops_their_ownership(app, make_user):
    alice = make_user(role="trainer")
    _publish(owners=[alice.id])
    db.session.delete(alice)
    db.session.flush()
    assert registry.resource_owners("course", "c1") == []
