"""The issue's "done when" journey, without JavaScript: a learner working in French enrols in a demo
module, studies it (unit 1 in French, the rest shown in English with a notice), passes its quizzes,
receives a certificate that anyone can verify and a signed Open Badges credential."""

from __future__ import annotations

import json

from sqlalchemy import select

from lms.db import db
from tests.courses.conftest import statements
from tests.courses.sheets import correct_form

SLUG = "the-convention-and-you"


def test_a_french_learner_completes_a_module_and_gets_a_verifiable_certificate(app, client, make_user, login):
    from courses.demo.seed import seed
    from courses.models import Certificate, Course, Enrolment, QuizAttempt
    from courses.services.certificates import verify_credential
    from courses.services.publishing import published_view

    seed(app)
    db.session.commit()
    learner = make_user(name="Aminata Diallo", country_code="SN", locale="fr")
    login(learner)
    assert "La Convention de Minamata, le correspondant national" in client.get("/courses/").get_data(
        as_text=True
    )
    assert client.post(f"/courses/{SLUG}/enrol").status_code == 302
    course = db.session.scalar(select(Course).filter_by(slug=SLUG))
    view = published_view(course, "fr")
    for item in view.items:
        if item["kind"] == "lesson":
            html = client.get(f"/courses/{SLUG}/learn/{item['slug']}").get_data(as_text=True)
            french = "fr" in item["texts"]
            assert (view.texts(item["texts"])[0]["title"] in html) and (french or 'lang="en"' in html)
            if item["required"]:
                assert client.post(f"/courses/{SLUG}/learn/{item['slug']}/done").status_code == 302
        else:
            assert client.post(f"/courses/{SLUG}/learn/{item['slug']}/attempts").status_code == 302
            attempt = db.session.scalar(select(QuizAttempt).order_by(QuizAttempt.id.desc()))
            html = client.get(f"/courses/{SLUG}/attempts/{attempt.uuid}").get_data(as_text=True)
            if item["slug"] == "check-unit-1":
                assert "Quand la Convention de Minamata est-elle entrée en vigueur&nbsp;?" in html
            form = correct_form(view, item, attempt)
            resp = client.post(f"/courses/{SLUG}/attempts/{attempt.uuid}", data=form)
            assert resp.status_code == 303
    enrolment = db.session.scalar(select(Enrolment).filter_by(user_id=learner.id))
    assert enrolment.completed_dt is not None
    cert = db.session.scalar(select(Certificate).filter_by(enrolment_id=enrolment.id))
    assert cert.language == "fr" and cert.course_title.startswith("La Convention de Minamata")
    html = client.get(f"/courses/certificates/{cert.uuid}").get_data(as_text=True)
    assert "Aminata Diallo" in html and cert.code in html and "data:image/svg+xml" in html
    badge = json.loads(client.get(f"/courses/certificates/{cert.uuid}/badge.json").data)
    issuer = json.loads(client.get("/courses/badges/issuer.json").data)
    assert verify_credential(badge, issuer["verificationMethod"][0]["publicKeyMultibase"])
    client.post("/account/logout")
    html = client.get(f"/courses/verify/{cert.code}").get_data(as_text=True)
    assert "Aminata Diallo" in html and learner.email not in html
    # The learning record: one registration, French where the content was French.
    regs = {s.registration for s in statements()} - {None}
    assert regs == {enrolment.uuid}
    experienced = {s.language for s in statements("experienced")}
    assert experienced == {"fr", "en"}
    assert statements("passed") and statements("answered")
    assert [s.object_activity_id for s in statements("completed")][-1].endswith(course.uuid)
