"""Session ownership: the creator owns a session (and a season); the owner adds and removes co-hosts
on the Team page; only the team and admins manage a session; the registry knows the team."""

import pytest
from sqlalchemy import select

from lms.db import db
from lms.models import AuditEntry
from lms.registry import resource_owners, resources_owned_by
from webinars import qa, registrations, team
from webinars.errors import WebinarError
from webinars.models import Season, WebinarSession


@pytest.fixture
def alice(make_user):
    return make_user(role="trainer", name="Alice Owner")


@pytest.fixture
def bob(make_user):
    return make_user(role="trainer", name="Bob Other")


@pytest.fixture
def alices(make_session, alice):
    """A published session with a chapter, created (so owned) by Alice."""
    from webinars import services

    s = make_session(owner=alice)
    services.save_chapter(alice, s, start_s=0, titles={"en": "Welcome"}, articles=[4])
    db.session.commit()
    return s


@pytest.fixture
def as_user(client, login):
    """Sign the test client in as a user, signing out whoever was signed in."""

    def _as(user):
        client.post("/account/logout")
        login(user)

    return _as


def _audit(action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_the_creator_owns_what_they_create_and_the_registry_knows(client, as_user, alice):
    as_user(alice)
    client.post(
        "/webinars/manage/seasons/new", data={"number": "7", "source_language": "en", "title": "Season 7"}
    )
    season = db.session.scalar(select(Season))
    assert season.owner_id == alice.id
    resp = client.post(
        "/webinars/manage/sessions/new",
        data={
            "season": str(season.id),
            "source_language": "en",
            "title": "Mercury waste (Article 11)",
            "start": "2024-11-20T13:00",
            "duration_min": "90",
            "chapter": "",
        },
    )
    assert resp.status_code == 303
    s = db.session.scalar(select(WebinarSession))
    assert s.owner_id == alice.id
    client.post(
        f"/webinars/manage/s/{s.slug}/chapters", data={"chap-start": "0:10", "chap-title_en": "Start"}
    )
    client.post(f"/webinars/manage/s/{s.slug}/publish", data={"publish": "1"})
    assert resource_owners("webinar", s.uuid) == [alice.id]
    assert resource_owners("webinar_chapter", s.chapters[0].uuid) == [alice.id]
    assert {r.kind for r in resources_owned_by(alice.id)} == {"webinar", "webinar_chapter"}


def test_another_trainer_is_refused_until_added_then_removed(client, as_user, alice, bob, alices, make_user):
    manage = f"/webinars/manage/s/{alices.slug}"
    as_user(bob)
    assert client.get(manage).status_code == 403
    assert (
        client.post(f"{manage}/text", data={"text-language": "fr", "text-title": "Déchets"}).status_code
        == 403
    )
    assert client.get(f"{manage}/team").status_code == 403
    assert alices.slug not in client.get("/webinars/manage/").get_data(as_text=True)
    assert resources_owned_by(bob.id) == []

    as_user(alice)
    resp = client.post(f"{manage}/team", data={"email": bob.email.upper()})
    assert resp.status_code == 303
    assert "Bob Other" in client.get(f"{manage}/team").get_data(as_text=True)
    assert resource_owners("webinar", alices.uuid) == sorted([alice.id, bob.id])
    assert resource_owners("webinar_chapter", alices.chapters[0].uuid) == sorted([alice.id, bob.id])
    [entry] = _audit("webinars.team.add")
    assert (
        entry.actor_id == alice.id and entry.target_id == alices.uuid and entry.details == {"user": bob.uuid}
    )

    as_user(bob)
    assert client.get(manage).status_code == 200
    assert alices.slug in client.get("/webinars/manage/").get_data(as_text=True)
    resp = client.post(f"{manage}/text", data={"text-language": "fr", "text-title": "Produits"})
    assert resp.status_code == 303
    # A co-host manages the session but does not change the team.
    assert client.post(f"{manage}/team", data={"email": alice.email}).status_code == 403
    assert client.post(f"{manage}/team/{bob.uuid}/remove").status_code == 403

    as_user(alice)
    assert client.post(f"{manage}/team/{bob.uuid}/remove").status_code == 303
    assert resource_owners("webinar", alices.uuid) == [alice.id]
    assert len(_audit("webinars.team.remove")) == 1
    as_user(bob)
    assert client.get(manage).status_code == 403

    admin = make_user(role="admin")
    as_user(admin)
    assert client.get(manage).status_code == 200
    assert client.post(f"{manage}/team", data={"email": bob.email}).status_code == 303
    assert resource_owners("webinar", alices.uuid) == sorted([alice.id, bob.id])


@pytest.mark.parametrize(
    "who, reason",
    [
        ("nobody@example.org", "No trainer has the address"),
        ("learner", "No trainer has the address"),
        ("alice", "owns this session already"),
        ("bob-twice", "co-host already"),
    ],
)
def test_refused_additions_say_why_and_change_nothing(
    client, as_user, alice, bob, alices, make_user, who, reason
):
    if who == "bob-twice":
        team.add_cohost(alice, alices, bob.email)
        db.session.commit()
    email = {"learner": make_user().email, "alice": alice.email, "bob-twice": bob.email}.get(who, who)
    before = alices.team_ids()
    audits = len(_audit("webinars.team.add"))
    as_user(alice)
    resp = client.post(f"/webinars/manage/s/{alices.slug}/team", data={"email": email})
    assert resp.status_code == 400
    assert reason in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(WebinarSession, alices.id).team_ids() == before
    assert len(_audit("webinars.team.add")) == audits


def test_removing_someone_not_on_the_team_is_404(client, as_user, alice, bob, alices):
    as_user(alice)
    assert client.post(f"/webinars/manage/s/{alices.slug}/team/{bob.uuid}/remove").status_code == 404


def test_moderation_and_registrations_are_scoped_to_the_team(
    client, as_user, alice, bob, alices, make_session, make_user, future_start
):
    bobs = make_session(title="Bob's session on Article 8", owner=bob)
    asker = make_user()
    mine = qa.ask_question(asker, alices, "A question for Alice's session?", "en")
    theirs = qa.ask_question(asker, bobs, "A question for Bob's session?", "en")
    upcoming = make_session(title="Alice's upcoming session", owner=alice, start=future_start)
    registrations.register(make_user(name="Rita Registered"), upcoming)
    db.session.commit()
    assert qa.moderation_queue(alice) == [mine] and qa.moderation_queue(bob) == [theirs]
    assert team.pending_questions(alice) == 1
    as_user(alice)
    page = client.get("/webinars/manage/questions").get_data(as_text=True)
    assert "Alice&#39;s session" in page and "Bob&#39;s session" not in page
    assert (
        client.post(
            f"/webinars/manage/questions/{theirs.uuid}", data={f"{theirs.uuid[:8]}-action": "reject"}
        ).status_code
        == 403
    )
    assert db.session.get(type(theirs), theirs.id).status == "pending"
    page = client.get(f"/webinars/manage/s/{upcoming.slug}").get_data(as_text=True)
    assert "Rita Registered" in page and "1 person registered" in page
    as_user(bob)
    assert client.get(f"/webinars/manage/s/{upcoming.slug}").status_code == 403


def test_a_draft_is_previewed_by_its_team_only(client, as_user, alice, bob, make_session):
    draft = make_session(title="Draft", publish=False, owner=alice)
    as_user(bob)
    assert client.get(f"/webinars/s/{draft.slug}").status_code == 404
    team.add_cohost(alice, draft, bob.email)
    db.session.commit()
    assert client.get(f"/webinars/s/{draft.slug}").status_code == 200


def test_only_the_season_owner_edits_it(client, as_user, alice, bob, season):
    season.owner_id = alice.id
    db.session.commit()
    as_user(bob)
    assert client.get(f"/webinars/manage/seasons/{season.slug}/edit").status_code == 403
    as_user(alice)
    assert client.get(f"/webinars/manage/seasons/{season.slug}/edit").status_code == 200


def test_service_refuses_an_inactive_account(alice, alices, make_user):
    gone = make_user(role="trainer", is_active_account=False)
    with pytest.raises(WebinarError):
        team.add_cohost(alice, alices, gone.email)


def test_owners_of_the_demo_are_the_demo_trainer(app, make_user):
    from webinars.plugin import plugin

    trainer = make_user(role="trainer", email="trainer@example.org")
    plugin.run_demo_content(app)
    db.session.commit()
    sessions = db.session.scalars(select(WebinarSession)).all()
    assert sessions and all(s.owner_id == trainer.id for s in sessions)
    assert all(s.season.owner_id == trainer.id for s in sessions)
    published = [s for s in sessions if s.is_published]
    assert all(resource_owners("webinar", s.uuid) == [trainer.id] for s in published)
