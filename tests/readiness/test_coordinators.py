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
    make_user(role="coordinator", country_code="KE")  # appointed meanwhile, by another admin
    with pytest.raises(ReadinessError, match="cannot be appointed here"):
        coordinators.appoint(admin, focal)
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
