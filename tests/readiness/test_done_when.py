"""The issue's acceptance scenario, through the pages, in French: a coordinator and two colleagues
complete and submit an assessment, see scores, reasons and recommendations, enrol in the path and
request advice; the secretariat acknowledges it; a re-assessment shows the trend."""

from __future__ import annotations

from sqlalchemy import select

from lms.db import db
from lms.registry import publish_resource
from lms.signals import enrolment_requested
from readiness import results, services
from readiness.models import AdvisoryRequest, Assessment
from tests.readiness.conftest import full_answers, section_form, statements


def _save(client, a, q, dim_id, answers):
    rows = services.answers_of(a)
    versions = {k: r.version for k, r in rows.items()}
    resp = client.post(
        f"/readiness/a/{a.uuid}/section/{dim_id}", data=section_form(q, dim_id, answers, versions)
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]


def test_a_french_team_goes_from_start_to_trend(client_for, make_user, questionnaire, secretariat):
    publish_resource(
        kind="course",
        key="rapports-nationaux",
        plugin="courses",
        titles={"en": "National reporting", "fr": "Les rapports nationaux"},
        url="/courses/rapports-nationaux",
        languages=["en", "fr"],
        articles=[21],
    )
    coordinator = make_user(role="coordinator", country_code="FR", name="Chloé Coordinatrice", locale="fr")
    editor = make_user(role="learner", country_code="FR", name="Camille Rapporteure", locale="fr")
    reviewer = make_user(role="learner", country_code="FR", name="Hugo Relecteur", locale="fr")
    db.session.commit()
    coord, edit, rev = client_for(coordinator), client_for(editor), client_for(reviewer)
    for c in (coord, edit, rev):
        c.get("/language/fr")

    # The coordinator starts the assessment and builds the team.
    assert coord.post("/readiness/start", data={"cycle": "2026", "language": "fr"}).status_code == 302
    a = db.session.scalar(select(Assessment).filter_by(country_code="FR", cycle="2026"))
    team = f"/readiness/a/{a.uuid}/team"
    coord.post(team, data={"user_id": editor.id, "role": "editor", "sections": ["reporting", "data"]})
    coord.post(team, data={"user_id": reviewer.id, "role": "reviewer"})
    coord.post(f"{team}/submitter", data={"user_id": editor.id})
    coord.post(f"{team}/benchmark", data={"opt_in": "y"})
    db.session.expire_all()
    assert len(a.members) == 2 and a.submitter_id == editor.id and a.is_benchmark_opt_in

    # Everyone answers in French: the editor her sections, the coordinator the others.
    page = edit.get(f"/readiness/a/{a.uuid}/section/reporting").get_data(as_text=True)
    assert (
        'lang="fr"' in page
        and "Comment le rapport national au titre de l’article 21 est-il établi\u00a0?" in page
    )
    answers = full_answers(questionnaire, 3) | {"2.3": "no"}
    for dim in questionnaire.dimensions:
        part = {it.id: answers[it.id] for it in dim.items}
        _save(edit if dim.id in ("reporting", "data") else coord, a, questionnaire, dim.id, part)
    overview = coord.get(f"/readiness/a/{a.uuid}").get_data(as_text=True)
    assert overview.count("✓") == 8  # every section complete

    # Review, a note, submission by the named submitter.
    assert coord.post(f"/readiness/a/{a.uuid}/state", data={"action": "review"}).status_code == 302
    assert (
        rev.post(
            f"/readiness/a/{a.uuid}/notes",
            data={"text": "Vérifier 2.3 avec les douanes.", "dimension": "reporting"},
        ).status_code
        == 302
    )
    assert (
        coord.post(f"/readiness/a/{a.uuid}/state", data={"action": "submit", "confirm": "y"}).status_code
        == 403
    )
    assert (
        edit.post(f"/readiness/a/{a.uuid}/state", data={"action": "submit", "confirm": "y"}).status_code
        == 302
    )
    db.session.expire_all()
    assert a.state == "submitted"

    # Scores, reasons and recommendations, in French.
    page = edit.get(f"/readiness/a/{a.uuid}/result").get_data(as_text=True)
    assert 'lang="fr"' in page
    assert "Toutes les personnes qui doivent saisir ou examiner les données du rapport" in page  # the reason
    assert "Examen du processus d’établissement du rapport national" in page  # an advisory service
    assert "Les rapports nationaux" in page  # the course, in French

    # Each colleague enrols in the learning path in one step (the courses plugin's side is stubbed).
    enrolled = []

    def courses(sender, **kw):
        enrolled.append((sender.key, kw["user"].id))
        return True

    enrolment_requested.connect(courses)
    try:
        for c in (edit, rev, coord):
            assert c.post(f"/readiness/a/{a.uuid}/path/enrol").status_code == 302
    finally:
        enrolment_requested.disconnect(courses)
    assert {u for _k, u in enrolled} == {editor.id, reviewer.id, coordinator.id}

    # The coordinator asks for advice; the secretariat sees it and acknowledges the assessment.
    assert (
        coord.post(
            f"/readiness/a/{a.uuid}/advice",
            data={"service": "reporting-review", "message": "Avant le prochain rapport."},
        ).status_code
        == 302
    )
    assert db.session.scalar(select(AdvisoryRequest.status)) == "requested"
    admin = client_for(secretariat)
    assert "Avant le prochain rapport." in admin.get("/readiness/secretariat").get_data(as_text=True)
    assert admin.post(f"/readiness/secretariat/a/{a.uuid}/acknowledge").status_code == 302
    db.session.expire_all()
    assert a.state == "acknowledged"
    assert [s.verb_id.rsplit("/", 1)[-1] for s in statements() if s.registration == a.uuid] == [
        "start",
        "submit",
        "acknowledge",
    ]

    # The next cycle: a re-assessment shows the change.
    assert coord.post("/readiness/start", data={"cycle": "2028", "language": "fr"}).status_code == 302
    again = db.session.scalar(select(Assessment).filter_by(country_code="FR", cycle="2028"))
    better = full_answers(questionnaire, 4)
    for dim in questionnaire.dimensions:
        _save(coord, again, questionnaire, dim.id, {it.id: better[it.id] for it in dim.items})
    coord.post(f"/readiness/a/{again.uuid}/state", data={"action": "review"})
    assert (
        coord.post(f"/readiness/a/{again.uuid}/state", data={"action": "submit", "confirm": "y"}).status_code
        == 302
    )
    trend = results.trend(again, results.latest_result(again).profile)
    assert trend["cycle"] == "2026" and trend["dimensions"]["reporting"]["delta"] > 0
    page = coord.get(f"/readiness/a/{again.uuid}/result").get_data(as_text=True)
    assert 'id="trend-h"' in page and "2026" in page
