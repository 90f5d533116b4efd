"""The audit trails of a kit and a workshop: every change by whom, in the reader's language, with the
participant or team member it concerned named."""

from __future__ import annotations

from courses.services import kits as authoring
from courses.services import teams
from courses.services import workshops as ws
from courses.services import workshops_attendance as attendance
from courses.services import workshops_registration as registration
from lms.db import db
from tests.courses.kits.conftest import build_kit, build_workshop


def test_a_kits_audit_trail_names_each_change_in_the_readers_language(client, login, trainer):
    kit = build_kit(trainer)
    part = kit.parts_of("case_study")[0]
    authoring.move_part(trainer, part, "down")
    db.session.commit()
    login(trainer)
    client.get("/language/fr")
    html = client.get(f"/courses/kits/manage/{kit.slug}/audit").get_data(as_text=True)
    assert "Kit créé" in html
    assert "Version publiée" in html and "Version 1" in html
    assert "Étude de cas" in html  # the kind of part added
    assert "Partie déplacée" in html and "Vers le bas" in html
    assert "courses.kit_" not in html  # no stored code shown
    assert trainer.name in html
    assert f'href="/courses/kits/manage/{kit.slug}/audit"' in client.get(
        f"/courses/kits/manage/{kit.slug}"
    ).get_data(as_text=True)


def test_a_workshops_audit_trail_names_the_participants_and_what_was_done(client, login, make_user, trainer):
    kit = build_kit(trainer)
    workshop = build_workshop(trainer, kit, start=ws.today())
    participant, _ = registration.self_register(make_user(name="Amina Diallo"), workshop)
    ws.set_flags(trainer, workshop, is_registration_open=False)
    attendance.mark_attended(trainer, participant, "manual")
    colleague = make_user(name="Rui Costa", role="trainer")
    teams.add_member(trainer, workshop, email=colleague.email, role="author")
    db.session.commit()

    login(trainer)
    html = client.get(f"/courses/workshops/{workshop.uuid}/audit").get_data(as_text=True)
    assert "Workshop created" in html
    assert "Registration closed" in html
    assert "Participant checked in" in html and "Amina Diallo, by hand" in html
    assert "Team member added" in html and "Rui Costa, Co-author" in html
    assert "courses.workshop_" not in html
    manage = client.get(f"/courses/workshops/{workshop.uuid}/manage").get_data(as_text=True)
    assert f'href="/courses/workshops/{workshop.uuid}/audit"' in manage


def test_a_workshops_audit_trail_is_its_own(client, login, trainer):
    kit = build_kit(trainer)
    first = build_workshop(trainer, kit, start=ws.today())
    second = build_workshop(trainer, kit, start=ws.today())
    ws.set_flags(trainer, second, is_cancelled=True)
    db.session.commit()
    login(trainer)
    assert "Workshop cancelled" not in client.get(f"/courses/workshops/{first.uuid}/audit").get_data(
        as_text=True
    )
    assert "Workshop cancelled" in client.get(f"/courses/workshops/{second.uuid}/audit").get_data(
        as_text=True
    )
