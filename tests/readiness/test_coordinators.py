"""A national focal point whose country has no coordinator on the platform: told how to get there,
listed on the secretariat's page, appointed in one step (told by mail); never someone else."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.db import db
from lms.models import AuditEntry, OutboxMessage, User
from readiness import coordinators
from readiness.base import ReadinessError


@pytest.fixture
def focal(make_user):
    return make_user(
        role="learner", country_code="KE", name="Wanjiru Focal", is_focal_point=True, locale="fr"
    )


def test_a_focal_point_without_a_coordinator_is_told_the_secretariat_sees_them(client_for, focal, make_user):
    html = client_for(focal).get("/readiness/").get_data(as_text=True)  # in the account's language
    assert "Votre pays n’a pas encore de coordonnateur sur la plateforme" in html
    assert "Vous avez indiqué être le correspondant national de votre pays" in html
    other = make_user(role="learner", country_code="KE", locale="en")
    html = client_for(other).get("/readiness/").get_data(as_text=True)
    assert "say so on your profile" in html and 'href="/account/profile#is_focal_point"' in html
    assert "You said you are your country" not in html
    assert "Your country has no coordinator on the platform yet" in html


def test_the_secretariat_lists_only_focal_points_it_may_appoint(app, focal, make_user, coordinator):
    make_user(role="learner", country_code="KE", name="Not Focal")
    make_user(role="learner", country_code=coordinator.country_code, name="Covered", is_focal_point=True)
    make_user(role="trainer", country_code="SN", name="Trainer Focal", is_focal_point=True)
    make_user(role="learner", country_code="SN", name="Unconfirmed", is_focal_point=True, confirmed=False)
    make_user(role="learner", country_code="SN", name="Closed", is_focal_point=True, is_active_account=False)
    assert [u.name for u in coordinators.focal_points_without_coordinator()] == ["Wanjiru Focal"]


def test_appointing_makes_them_coordinator_audits_and_mails_them(app, client_for, focal, make_user):
    admin = make_user(role="admin", country_code="CH")
    page = client_for(admin).get("/readiness/secretariat").get_data(as_text=True)
    assert "Appoint Wanjiru Focal coordinator of Kenya" in page
    resp = client_for(admin).post(f"/readiness/secretariat/coordinators/{focal.uuid}", follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Wanjiru Focal is now the coordinator of Kenya" in page
    assert "Appoint Wanjiru Focal" not in page and "No one to appoint." in page
    db.session.expire_all()
    assert db.session.get(User, focal.id).role == "coordinator"
    entry = db.session.scalar(select(AuditEntry).filter_by(action="user.role", target_id=focal.uuid))
    assert entry is not None and entry.details == {"old": "learner", "new": "coordinator"}
    mail = db.session.scalar(select(OutboxMessage).filter_by(recipient=focal.email))
    assert mail.subject == "Vous coordonnez désormais l’évaluation de la préparation numérique\u00a0: Kenya"
    assert "/readiness/" in mail.body
    # They can start the assessment now.
    html = client_for(focal).get("/readiness/").get_data(as_text=True)
    assert 'action="/readiness/start"' in html


def test_an_appointment_is_refused_whole_once_the_country_has_a_coordinator(app, focal, make_user):
    admin = make_user(role="admin", country_code="CH")
    # Appointed meanwhile, by another admin: the refusal names her.
    make_user(role="coordinator", country_code="KE", name="Achieng Otieno", email="achieng@example.org")
    with pytest.raises(ReadinessError) as refused:
        coordinators.appoint(admin, focal)
    assert _plain(str(refused.value)).startswith(
        "Kenya already has an active country coordinator, Achieng Otieno (achieng@example.org)."
    )
    db.session.rollback()
    assert db.session.get(User, focal.id).role == "learner"
    assert db.session.scalar(select(OutboxMessage).filter_by(recipient=focal.email)) is None
    assert db.session.scalar(select(AuditEntry).filter_by(action="user.role")) is None


def _plain(text: str) -> str:
    """A message without the directional isolates around the names it quotes."""
    return text.replace("\u2068", "").replace("\u2069", "")


def _flash(resp) -> str:
    import html
    import re

    found = re.search(r'<p class="flash flash-error">(.*?)</p>', resp.get_data(as_text=True), re.S)
    assert found, resp.get_data(as_text=True)[:2000]
    return _plain(html.unescape(found.group(1)))


def test_the_secretariat_is_told_who_coordinates_the_country_already(app, client_for, focal, make_user):
    """The page listed the focal point, then another administrator appointed someone else: the click is
    refused, on the secretariat's page, naming that coordinator."""
    admin = make_user(role="admin", country_code="CH")
    other = make_user(role="learner", country_code="KE", name="Other Focal", is_focal_point=True)
    coordinators.appoint(admin, other)
    db.session.commit()
    secretariat = client_for(admin)
    resp = secretariat.post(f"/readiness/secretariat/coordinators/{focal.uuid}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(
        "/readiness/secretariat#coordinators"
    )
    page = secretariat.get("/readiness/secretariat")
    assert "Kenya already has an active country coordinator, Other Focal" in _flash(page)
    db.session.expire_all()
    assert db.session.get(User, focal.id).role == "learner"
    assert db.session.scalar(select(OutboxMessage).filter_by(recipient=focal.email)) is None


def test_a_deactivated_coordinator_frees_the_country_but_cannot_come_back_beside_the_new_one(
    app, client_for, focal, make_user
):
    """Deactivate the coordinator, appoint a focal point, reactivate the first: refused, naming the
    coordinator the country has now; nothing changes."""
    from lms.admin import services as admin_services
    from lms.admin.coordinators import CoordinatorTaken

    admin = make_user(role="admin", country_code="CH")
    first = make_user(role="coordinator", country_code="KE", name="First Coordinator")
    admin_services.set_active(admin, first, False)
    db.session.commit()
    assert [u.name for u in coordinators.focal_points_without_coordinator()] == ["Wanjiru Focal"]
    coordinators.appoint(admin, focal)
    db.session.commit()
    with pytest.raises(CoordinatorTaken) as refused:
        admin_services.set_active(admin, first, True)
    assert "Kenya already has an active country coordinator, Wanjiru Focal" in _plain(str(refused.value))
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(User, first.id).is_active_account is False
    assert db.session.get(User, focal.id).role == "coordinator"
    # Through the administration's page, the same refusal is shown to the administrator.
    resp = client_for(admin).post(f"/admin/users/{first.uuid}/reactivate")
    assert resp.status_code == 400 and "Kenya already has an active country coordinator" in _flash(resp)


def test_two_appointments_at_the_same_moment_give_the_country_one_coordinator(
    app, focal, make_user, monkeypatch
):
    """Both administrators' pages listed a focal point of Kenya; the one whose change reaches the
    database second is refused, naming the first one's appointee (the database holds the rule)."""
    from lms.admin import coordinators as one_coordinator

    admin = make_user(role="admin", country_code="CH")
    other = make_user(role="learner", country_code="KE", name="Other Focal", is_focal_point=True)
    coordinators.appoint(admin, other)
    db.session.commit()
    # The second request's checks ran before the first one's commit: they saw no coordinator.
    monkeypatch.setattr(one_coordinator, "check", lambda *args, **kwargs: None)
    uncovered = select(User).where(User.is_focal_point.is_(True), User.role == "learner")
    monkeypatch.setattr(coordinators, "_candidates", lambda: uncovered)
    with pytest.raises(ReadinessError) as refused:
        coordinators.appoint(admin, focal)
    assert "Kenya already has an active country coordinator, Other Focal" in _plain(str(refused.value))
    db.session.rollback()
    assert db.session.get(User, focal.id).role == "learner"
    assert db.session.scalar(select(OutboxMessage).filter_by(recipient=focal.email)) is None


def test_only_the_secretariat_appoints(app, focal, make_user):
    with pytest.raises(ReadinessError):
        coordinators.appoint(make_user(role="coordinator", country_code="FR"), focal)


def test_a_trainer_is_not_told_the_secretariat_will_list_them(client_for, make_user):
    # Only learners are listed for appointment; a trainer's role is changed on their user page.
    trainer = make_user(role="trainer", country_code="KE", is_focal_point=True, locale="en")
    html = client_for(trainer).get("/readiness/").get_data(as_text=True)
    assert "Your country has no coordinator on the platform yet" in html
    assert "You said you are" not in html and "say so on your profile" not in html
