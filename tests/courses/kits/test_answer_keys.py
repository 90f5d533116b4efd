"""Who reads a kit's test answers: admins, the kit's team and the facilitators of its workshops, on the
facilitator guide, the kit page's link and the offline bundle; never a participant of one of its
workshops that has not ended, whatever their role; no other trainer, learner or visitor."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest

from lms.db import db
from tests.courses.kits.conftest import build_kit, build_workshop

# What the answer key shows of the kit's three questions (and nothing else on these pages does).
KEY_HEADING = "Test questions and answers (facilitators only)"
KEY_QUESTION = "Which article covers mercury trade?"


@pytest.fixture
def people(trainer, make_user):
    """The kit "trade" (owned by ``trainer``), a workshop of it run by another trainer, and one user of
    each kind."""
    from courses.services import teams
    from courses.services import workshops_registration as registration
    from courses.services.workshops import today

    kit = build_kit(trainer)
    facilitator = make_user(role="trainer", name="Fatou Facilitator")
    workshop = build_workshop(facilitator, kit)
    co_author = make_user(role="trainer", name="Carla Coauthor")
    teams.add_member(trainer, kit, email=co_author.email)
    participant_trainer = make_user(role="trainer", name="Pedro Participant")
    registration.self_register(participant_trainer, workshop)
    participant_admin = make_user(role="admin", name="Ana Admin-participant")
    registration.self_register(participant_admin, workshop)
    # A participant of a workshop of the kit that is over, who facilitates another one: may.
    alumnus = make_user(role="trainer", name="Omar Oldhand")
    past = build_workshop(facilitator, kit)
    registration.self_register(alumnus, past)
    past.start_date = today() - timedelta(days=30)
    past.end_date = today() - timedelta(days=29)
    teams.add_member(facilitator, build_workshop(facilitator, kit, title="Another"), email=alumnus.email)
    # The kit's owner registered for a workshop of their own kit: they are taking the test, so no.
    owner_participant = make_user(role="trainer", name="Olga Owner")
    teams.add_member(trainer, kit, email=owner_participant.email, role="owner")
    registration.self_register(owner_participant, workshop)
    db.session.commit()
    return {
        "visitor": None,
        "learner": make_user(role="learner"),
        "other trainer": make_user(role="trainer"),
        "admin": make_user(role="admin"),
        "kit owner": trainer,
        "kit co-author": co_author,
        "facilitator": facilitator,
        "past participant who facilitates": alumnus,
        "participant (trainer)": participant_trainer,
        "participant (admin)": participant_admin,
        "participant (kit owner)": owner_participant,
    }


MAY = {"admin", "kit owner", "kit co-author", "facilitator", "past participant who facilitates"}
OUTCOME = "A complete form."  # the expected outcome of the kit's exercise: facilitators' material too


def _bundle(client) -> dict[str, str]:
    resp = client.get("/courses/kits/trade/offline/en.zip?answers=1")
    assert resp.status_code == 200
    with zipfile.ZipFile(io.BytesIO(resp.data)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_each_kind_of_user_sees_the_answers_or_not(app, people, as_user):
    from courses.models_kits import Kit
    from courses.permissions import may_see_answer_keys

    kit = db.session.query(Kit).filter_by(slug="trade").one()
    for who, user in people.items():
        client = as_user(user)
        allowed = who in MAY
        guide = client.get("/courses/kits/trade/guide").get_data(as_text=True)
        assert "Case study work" in guide, who  # the guide itself is shown to everyone
        assert (OUTCOME in guide) is allowed, who
        assert (KEY_HEADING in guide) is allowed, who
        assert ("Answer:" in guide) is allowed, who
        assert (KEY_QUESTION in guide) is allowed, who
        page = client.get("/courses/kits/trade").get_data(as_text=True)
        assert ("Facilitator bundle with the answer key" in page) is allowed, who
        assert (KEY_QUESTION in page) is False, who
        assert OUTCOME not in page, who
        files = _bundle(client)
        # The test sheet, the key and the outcomes are in the facilitators' bundle only; the key is its
        # own page there: the guide and the sheet never carry it.
        assert ("answer-key.html" in files) is ("test-sheet.html" in files) is allowed, who
        assert (OUTCOME in files["facilitator-guide.html"]) is allowed, who
        assert "Answer:" not in files["facilitator-guide.html"] + files.get("test-sheet.html", ""), who
        if allowed:
            key = files["answer-key.html"]
            assert KEY_QUESTION in key and "Article 3" in key and "mercury" in key, who
        assert may_see_answer_keys(user, kit) is allowed, who


def test_a_participant_reads_the_answers_once_the_workshop_is_over(app, trainer, make_user, as_user):
    from courses.services import workshops_registration as registration
    from courses.services.workshops import today

    kit = build_kit(trainer)
    workshop = build_workshop(trainer, kit)
    registration.self_register(trainer, workshop)  # the kit's owner, registered as a participant
    db.session.commit()
    client = as_user(trainer)
    assert KEY_HEADING not in client.get("/courses/kits/trade/guide").get_data(as_text=True)
    assert "answer-key.html" not in _bundle(client)
    # A cancelled workshop still counts: it may be reinstated.
    workshop.is_cancelled = True
    db.session.commit()
    assert KEY_HEADING not in client.get("/courses/kits/trade/guide").get_data(as_text=True)
    workshop.is_cancelled = False
    workshop.start_date = today() - timedelta(days=4)
    workshop.end_date = today() - timedelta(days=2)  # the day after its last day is over too
    db.session.commit()
    assert KEY_HEADING in client.get("/courses/kits/trade/guide").get_data(as_text=True)
    assert "answer-key.html" in _bundle(client)


def test_a_workshop_on_the_last_day_has_not_ended(app, trainer, make_user, as_user):
    from courses.services import workshops_registration as registration
    from courses.services.workshops import today

    kit = build_kit(trainer)
    workshop = build_workshop(trainer, kit, start=today(), days=1)
    registration.self_register(trainer, workshop)
    db.session.commit()
    assert "answer-key.html" not in _bundle(as_user(trainer))


def test_a_workshop_of_another_kit_changes_nothing(app, trainer, make_user, as_user):
    from courses.services import workshops_registration as registration

    build_kit(trainer)
    other = build_kit(trainer, slug="other")
    registration.self_register(trainer, build_workshop(trainer, other))
    facilitator = make_user(role="trainer")
    build_workshop(facilitator, other)
    db.session.commit()
    assert KEY_HEADING in as_user(trainer).get("/courses/kits/trade/guide").get_data(as_text=True)
    assert KEY_HEADING not in as_user(facilitator).get("/courses/kits/trade/guide").get_data(as_text=True)


def _copy(client, slug):
    data = {"slug": slug, "title": "Trade", "region": "SIDS"}
    return client.post("/courses/kits/manage/trade/copy", data=data)


def test_a_copy_carries_the_test_only_for_those_who_may_read_its_answers(app, people, as_user):
    """The copy's questions carry their answers: a trainer who may not read the key copies the kit
    without its test, and is told so before copying."""
    from courses.services.kits import kit_by_slug
    from courses.services.kits_texts import source_fields

    cases = {
        "other trainer": False,
        "participant (trainer)": False,
        "participant (kit owner)": False,  # copies the draft, still without the test
        "facilitator": True,
        "kit co-author": True,
    }
    for n, (who, with_test) in enumerate(cases.items()):
        client = as_user(people[who])
        page = client.get("/courses/kits/manage/trade/copy").get_data(as_text=True)
        assert ("but without its test or the exercises' expected outcomes" in page) is not with_test, who
        assert _copy(client, f"trade-copy-{n}").status_code == 302, who
        copy = kit_by_slug(f"trade-copy-{n}")
        assert len(copy.parts_of("question")) == (3 if with_test else 0), who
        assert copy.parts_of("case_study"), who
        # Nor the exercises' expected outcomes (the exercises themselves are copied).
        (exercise,) = copy.parts_of("exercise")
        outcome = source_fields(copy, exercise.uuid).get("expected_outcome", "")
        assert (outcome == OUTCOME) is with_test, who


def test_a_participant_of_the_kit_s_team_does_not_open_an_exercise_s_editor(app, people, as_user):
    """Its expected outcome is facilitators' material: closed as the test's questions are."""
    from courses.services.kits import kit_by_slug

    (exercise,) = kit_by_slug("trade").parts_of("exercise")
    for who, allowed in (("participant (kit owner)", False), ("kit co-author", True)):
        client = as_user(people[who])
        for url in (
            f"/courses/kits/manage/trade/parts/{exercise.uuid}",
            f"/courses/kits/manage/trade/translations/fr/{exercise.uuid}",
        ):
            resp = client.get(url)
            assert (resp.status_code == 200) is allowed, (who, url, resp.status_code)
            if not allowed:
                assert resp.status_code == 302 and resp.headers["Location"].startswith(
                    "/courses/kits/manage/trade"
                )
