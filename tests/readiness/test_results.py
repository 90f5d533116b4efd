"""Results: stored results and re-scoring, trend, result pages and exports, the learning path and
advisory requests."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from lms.db import db
from lms.registry import get_resource, publish_resource, withdraw_resource
from lms.timezones import moment
from readiness import results, services
from readiness.models import AdvisoryRequest, Result
from tests.readiness.conftest import full_answers, submit


@pytest.fixture
def resources(app):
    """Registry content the rules can point to, as the other plugins would publish it."""
    publish_resource(
        kind="course",
        key="national-reporting",
        plugin="courses",
        titles={"en": "National reporting under Article 21", "fr": "Les rapports nationaux"},
        url="/courses/national-reporting",
        languages=["en", "fr"],
        articles=[21],
    )
    publish_resource(
        kind="webinar_chapter",
        key="s3-e2-ch1",
        plugin="webinars",
        titles={"en": "Using the online reporting tool"},
        url="/webinars/s3-e2#ch1",
        languages=["en"],
        articles=[21],
    )
    db.session.commit()


def test_result_is_stored_with_its_versions_and_rescoring_adds_rows(
    assessment, coordinator, questionnaire, monkeypatch
):
    result = submit(assessment, coordinator, full_answers(questionnaire, 2))
    before = dict(result.profile)
    assert results.rescore(assessment) is None  # same versions: nothing new
    monkeypatch.setattr(results, "SCORING_VERSION", "9.9")
    new = results.rescore(assessment)
    db.session.commit()
    assert (
        new is not None and new.id != result.id and new.scoring_version == "9.9" and new.trigger == "rescored"
    )
    db.session.refresh(result)
    assert result.profile == before and result.scoring_version != "9.9"
    assert results.latest_result(assessment).id == new.id
    assert db.session.scalar(select(func.count(Result.id))) == 2


def test_recommendations_resolve_registry_resources_and_flag_languages(
    assessment, coordinator, questionnaire, resources
):
    answers = full_answers(questionnaire, 4) | {"2.3": "no"}
    result = submit(assessment, coordinator, answers)
    recs = result.recommendations
    course = next(r for r in recs if r.get("key") == "national-reporting")
    chapter = next(r for r in recs if r.get("key") == "s3-e2-ch1")
    assert course["in_team_language"] is True and chapter["in_team_language"] is False  # team works in French
    assert any(r.get("id") == "reporting-review" for r in recs)
    assert results.learning_path(result) == [r for r in recs if r["type"] == "resource"]


def test_result_page_shows_levels_reasons_and_flags(
    client_for, assessment, coordinator, questionnaire, resources
):
    submit(assessment, coordinator, full_answers(questionnaire, 4) | {"2.3": "no", "2.1": 1})
    c = client_for(coordinator)
    c.get("/language/en")
    page = c.get(f"/readiness/a/{assessment.uuid}/result").get_data(as_text=True)
    assert "Radar chart of the scores per dimension" in page and "<table>" in page
    assert "Capped at level 2 by a key question (2.1 and 2.3)." in page
    assert "was answered “No”" in page and "Review of the national reporting workflow" in page
    assert "not available in French" in page  # the English-only webinar chapter
    assert "Enrol me in the whole learning path" in page
    c.get("/language/fr")
    page = c.get(f"/readiness/a/{assessment.uuid}/result").get_data(as_text=True)
    assert "Examen du processus d’établissement du rapport national" in page  # the service, in French
    assert (
        "(« Toutes les personnes qui doivent saisir" in page
        or "Toutes les personnes qui doivent saisir" in page
    )


def test_provisional_result_for_a_draft(client_for, assessment, editor, questionnaire):
    from tests.readiness.conftest import answer_all

    answer_all(assessment, editor, {"2.1": 4, "2.2": "yes", "2.3": "yes", "2.5": ["report"]})
    page = client_for(editor).get(f"/readiness/a/{assessment.uuid}/result").get_data(as_text=True)
    assert "Provisional result" in page
    assert client_for(editor).get(f"/readiness/a/{assessment.uuid}/result.csv").status_code == 404


def test_csv_export_is_safe_against_formula_injection(client_for, assessment, coordinator, questionnaire):
    from tests.readiness.conftest import answer_all

    answer_all(assessment, coordinator, full_answers(questionnaire, 3))
    v = {k: r.version for k, r in services.answers_of(assessment).items()}
    services.save_section(
        assessment,
        coordinator,
        "governance",
        [
            services.ItemInput("1.1", 3, comment='=HYPERLINK("http://evil")', version=v["1.1"]),
            services.ItemInput("1.2", "yes", comment="+1", version=v["1.2"]),
            services.ItemInput("1.3", "no", comment="@SUM(A1)", version=v["1.3"]),
            services.ItemInput("1.4", ["health"], comment="-2", version=v["1.4"]),
            services.ItemInput("1.5", "6+", comment="\tx", version=v["1.5"]),
        ],
    )
    services.send_to_review(assessment, coordinator)
    services.submit(assessment, coordinator)
    db.session.commit()
    resp = client_for(coordinator).get(f"/readiness/a/{assessment.uuid}/result.csv")
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="readiness-FR-2026.csv"' in resp.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True))))
    comments = {r[3]: r[rows[0].index("comment")] for r in rows if r[0] == "item"}
    assert comments["1.1"] == '\'=HYPERLINK("http://evil")' and comments["1.2"] == "'+1"
    assert (
        comments["1.3"] == "'@SUM(A1)" and comments["1.4"] == "'-2" and comments["1.5"] == "x"
    )  # stripped on save
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    dims = [r for r in rows if r[0] == "dimension"]
    assert len(dims) == 8


def test_csv_export_is_in_the_readers_language_with_the_codes_beside(
    client_for, assessment, coordinator, questionnaire
):
    submit(assessment, coordinator, full_answers(questionnaire, 1) | {"1.3": "partly", "3.1": "dk"})
    c = client_for(coordinator)
    c.get("/language/fr")
    rows = list(
        csv.DictReader(
            io.StringIO(c.get(f"/readiness/a/{assessment.uuid}/result.csv").get_data(as_text=True))
        )
    )
    items = {r["item_id"]: r for r in rows if r["record"] == "item"}
    assert (items["1.3"]["answer_code"], items["1.3"]["answer"]) == ("partly", "En partie")
    assert (items["2.2"]["answer_code"], items["2.2"]["answer"]) == ("no", "Non")
    assert (
        items["2.4"]["answer_code"] == "skipped"
        and items["2.4"]["answer"] == "non posée\u00a0: exclue par une réponse précédente"
    )
    assert items["3.1"]["answer_code"] == "dk" and items["3.1"]["answer"] == "Je ne sais pas"
    reporting = next(r for r in rows if r["record"] == "dimension" and r["dimension_id"] == "reporting")
    assert reporting["answer_code"] == "4/4" and reporting["answer"] == "4 sur 4"
    (assessment_row,) = [r for r in rows if r["record"] == "assessment"]
    assert assessment_row["answer_code"] == "submitted" and assessment_row["answer"] == "Soumise"
    english = {"yes", "no", "partly", "(skipped)", "submitted", "don't know", "not applicable"}
    assert not english & {r["answer"] for r in rows}
    assert not any("answered" in r["answer"] for r in rows)


def test_questions_ruled_out_and_not_asked_yet_are_told_apart(
    client_for, assessment, coordinator, questionnaire
):
    """2.4 is asked only when 2.2 is "partly" or "yes": with 2.2 "no" it is ruled out (it counts as 0),
    with 2.2 unanswered it is not asked yet (not counted); the review page and the CSV say which."""
    from tests.readiness.conftest import answer_all

    answers = full_answers(questionnaire, 1)
    c = client_for(coordinator)
    answer_all(assessment, coordinator, {k: v for k, v in answers.items() if k not in ("2.2", "2.4")})

    def row_of_2_4() -> str:
        page = c.get(f"/readiness/a/{assessment.uuid}/review").get_data(as_text=True)
        return page.split('<th scope="row">2.4 ', 1)[1].split("</tr>", 1)[0]

    assert "not asked yet: depends on a question not answered yet" in row_of_2_4()
    answer_all(assessment, coordinator, {"2.2": "no"})
    assert "not asked: ruled out by an earlier answer" in row_of_2_4()
    submit(assessment, coordinator, {})
    rows = csv.DictReader(
        io.StringIO(c.get(f"/readiness/a/{assessment.uuid}/result.csv").get_data(as_text=True))
    )
    (item,) = [r for r in rows if r["record"] == "item" and r["item_id"] == "2.4"]
    assert (item["answer_code"], item["answer"]) == ("skipped", "not asked: ruled out by an earlier answer")


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (None, ""),
        (3, "3"),
    ],
)
def test_safe_cell(value, cell):
    from readiness.exports import safe_cell

    assert safe_cell(value) == cell


def test_json_export(client_for, assessment, coordinator, questionnaire):
    result = submit(assessment, coordinator, full_answers(questionnaire, 3))
    resp = client_for(coordinator).get(f"/readiness/a/{assessment.uuid}/result.json")
    data = json.loads(resp.get_data(as_text=True))
    assert data["assessment"]["country"] == "FR" and data["result"]["id"] == result.uuid
    assert (
        data["profile"]["dimensions"]["reporting"]["level"]
        == result.profile["dimensions"]["reporting"]["level"]
    )
    assert set(data["answers"]) == set(questionnaire.items)


def test_print_view(client_for, assessment, coordinator, questionnaire):
    result = submit(assessment, coordinator, full_answers(questionnaire, 3))
    page = client_for(coordinator).get(f"/readiness/a/{assessment.uuid}/result/print").get_data(as_text=True)
    assert "save it as PDF" in page and "Answers" in page and "1.1" in page
    # The printed report has no footer: its time names the reader's zone itself (France's, to the minute).
    assert f"Result of {moment(result.computed_dt, 'Europe/Paris', 'en')} —" in page
    assert "Central European" in page


def test_trend_against_the_previous_cycle(coordinator, questionnaire, secretariat):
    earlier = services.start_assessment(coordinator, cycle="2024", language="fr")
    submit(earlier, coordinator, full_answers(questionnaire, 1))
    services.acknowledge(earlier, secretariat)
    current = services.start_assessment(coordinator, cycle="2026", language="fr")
    result = submit(current, coordinator, full_answers(questionnaire, 3))
    trend = results.trend(current, result.profile)
    assert trend["cycle"] == "2024"
    rep = trend["dimensions"]["reporting"]
    assert rep["previous_score"] < rep["score"] and rep["delta"] == pytest.approx(
        rep["score"] - rep["previous_score"], abs=1e-4
    )
    assert results.trend(earlier, results.latest_result(earlier).profile) is None


def test_trend_maps_dimensions_across_questionnaire_versions(coordinator, questionnaire):
    import dataclasses

    earlier = services.start_assessment(coordinator, cycle="2024", language="fr")
    submit(earlier, coordinator, full_answers(questionnaire, 1))
    current = services.start_assessment(coordinator, cycle="2026", language="fr")
    result = submit(current, coordinator, full_answers(questionnaire, 3))
    result.questionnaire_version = "2025.1"
    old = results.latest_result(earlier)
    old.questionnaire_version = "2023.1"
    old.profile = {"dimensions": {"reporting_old": old.profile["dimensions"]["reporting"]}}
    renamed = dataclasses.replace(
        questionnaire,
        previous={"version": "2023.1", "dimensions": {"reporting": "reporting_old"}, "items": {"2.5": None}},
    )
    db.session.flush()
    from unittest import mock

    from readiness import trend as trend_mod

    with mock.patch.object(trend_mod, "questionnaire_for", return_value=renamed):
        trend = results.trend(current, result.profile)
    assert trend["dimensions"]["reporting"]["previous_score"] is not None
    assert trend["dimensions"]["governance"]["previous_score"] is None
    assert trend["new_items"] == ["2.5"]


def test_each_team_member_enrols_in_the_path_in_one_step(
    client_for, assessment, coordinator, editor, questionnaire, resources, make_user
):
    from lms.signals import enrolment_requested

    submit(assessment, coordinator, full_answers(questionnaire, 4) | {"2.3": "no"})
    calls = []

    def courses_receiver(sender, **kw):  # stands in for the plugin that owns courses
        calls.append((sender.kind, sender.key, kw["user"].id, kw["source"]))
        return sender.kind == "course" or None

    enrolment_requested.connect(courses_receiver)
    try:
        resp = client_for(editor).post(f"/readiness/a/{assessment.uuid}/path/enrol", follow_redirects=True)
        outsider = make_user(role="learner", country_code="FR")
        assert client_for(outsider).post(f"/readiness/a/{assessment.uuid}/path/enrol").status_code == 403
    finally:
        enrolment_requested.disconnect(courses_receiver)
    assert ("course", "national-reporting", editor.id, "readiness") in calls
    assert all(c[2] == editor.id for c in calls)
    assert "You are enrolled in 1 of the 2 resources" in resp.get_data(as_text=True)


def test_the_path_s_enrol_button_goes_once_every_resource_is_enrolled_in(
    client_for, assessment, coordinator, questionnaire, resources
):
    from lms.signals import progress_requested

    submit(assessment, coordinator, full_answers(questionnaire, 4) | {"2.3": "no"})
    button = "Enrol me in the whole learning path"
    enrolled: set[int] = set()

    def plugins_receiver(sender, resources=(), **kw):  # stands in for the plugins that own the resources
        return {r.id: "enrolled" for r in resources if r.id in enrolled}

    progress_requested.connect(plugins_receiver)
    try:
        page = client_for(coordinator).get(f"/readiness/a/{assessment.uuid}/result").get_data(as_text=True)
        assert button in page
        path = results.learning_path(db.session.scalars(select(Result)).first())
        found = [get_resource(r["kind"], r["key"]) for r in path]
        enrolled.update(r.id for r in found[:-1])
        page = client_for(coordinator).get(f"/readiness/a/{assessment.uuid}/result").get_data(as_text=True)
        assert button in page  # one left
        # The last one withdrawn since: nothing is left to enrol in (pressing would enrol in none).
        withdraw_resource(found[-1].kind, found[-1].key)
        db.session.commit()
        page = client_for(coordinator).get(f"/readiness/a/{assessment.uuid}/result").get_data(as_text=True)
        assert button not in page
    finally:
        progress_requested.disconnect(plugins_receiver)


def test_advisory_requests_reach_the_secretariat_queue(
    client_for, assessment, coordinator, editor, secretariat, questionnaire
):
    submit(assessment, coordinator, full_answers(questionnaire, 1))
    url = f"/readiness/a/{assessment.uuid}/advice"
    assert client_for(editor).post(url, data={"service": "data-clinic"}).status_code == 403
    c = client_for(coordinator)
    resp = c.post(url, data={"service": "reporting-review", "message": "Before the next report, please."})
    assert resp.status_code == 302
    resp = c.post(url, data={"service": "reporting-review"})
    assert resp.status_code == 400 and "already been requested" in resp.get_data(as_text=True)
    resp = c.post(url, data={"service": "no-such-service"})
    assert resp.status_code == 400 and 'aria-invalid="true"' in resp.get_data(as_text=True)
    (req,) = db.session.scalars(select(AdvisoryRequest)).all()
    assert req.status == "requested" and req.requested_by_id == coordinator.id
    from lms.models import OutboxMessage

    to_secretariat = [
        m for m in db.session.scalars(select(OutboxMessage)) if m.recipient == secretariat.email
    ]
    assert (
        len(to_secretariat) == 1 and "Review of the national reporting workflow" in to_secretariat[0].subject
    )
    admin = client_for(secretariat)
    page = admin.get("/readiness/secretariat").get_data(as_text=True)
    assert "Review of the national reporting workflow" in page and "Before the next report" in page
    prefix = "r" + req.uuid.replace("-", "")[:12]
    resp = admin.post(
        f"/readiness/secretariat/advice/{req.uuid}",
        data={f"{prefix}-status": "accepted", f"{prefix}-response": "We will call you."},
    )
    assert resp.status_code == 302
    db.session.refresh(req)
    assert (
        req.status == "accepted"
        and req.response == "We will call you."
        and req.handled_by_id == secretariat.id
    )
    resp = admin.post(f"/readiness/secretariat/advice/{req.uuid}", data={f"{prefix}-status": "lost"})
    db.session.refresh(req)
    assert req.status == "accepted"
    from lms.models import OutboxMessage

    assert any("We will call you." in m.body for m in db.session.scalars(select(OutboxMessage)))


def test_a_refused_advisory_request_keeps_the_message(client_for, assessment, coordinator, questionnaire):
    import html
    import re

    submit(assessment, coordinator, full_answers(questionnaire, 1))
    message = "Please help us <with> the reporting tool. " * 60  # over 2000 characters
    resp = client_for(coordinator).post(
        f"/readiness/a/{assessment.uuid}/advice", data={"service": "data-clinic", "message": message}
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    textarea = re.search(r'<textarea[^>]*name="message"[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea and html.unescape(textarea.group(1)).strip() == message.strip()
    assert 'aria-invalid="true"' in page.split('name="message"')[0].rsplit("<textarea", 1)[1]
    assert re.search(
        r'<option[^>]*selected[^>]*value="data-clinic"|<option[^>]*value="data-clinic"[^>]*selected', page
    )
    assert db.session.scalar(select(func.count()).select_from(AdvisoryRequest)) == 0


def _row(page: str, title: str) -> str:
    """The table row whose header is ``title``."""
    start = page.index(title)
    return page[page.rindex("<tr", 0, start) : page.index("</tr>", start)]


def test_an_unanswered_section_has_no_score_nor_change_in_the_provisional_result(
    client_for, coordinator, questionnaire
):
    from tests.readiness.conftest import answer_all

    earlier = services.start_assessment(coordinator, cycle="2024", language="fr")
    submit(earlier, coordinator, full_answers(questionnaire, 3))
    current = services.start_assessment(coordinator, cycle="2026", language="fr")
    answer_all(current, coordinator, {"1.1": 3, "1.2": "yes", "7.1": 2})
    page = client_for(coordinator).get(f"/readiness/a/{current.uuid}/result").get_data(as_text=True)
    assert "Provisional result" in page
    for dim_id in ("reporting", "data"):
        dim = questionnaire.dimension(dim_id)
        row = _row(page, dim.title["en"])
        assert f"0 of {len(dim.items) - 1}" in row, row  # the hidden follow-up is not counted
        assert "%" not in row.replace("70 %", "") and "points" not in row and "unchanged" not in row, row
    assert "2 of " in _row(page, questionnaire.dimension("governance").title["en"])


def test_overview_and_result_count_the_same_answered_questions(
    client_for, assessment, coordinator, questionnaire
):
    submit(assessment, coordinator, full_answers(questionnaire, 1))  # 2.2 "no": 2.4 is not asked
    c = client_for(coordinator)
    title = questionnaire.dimension("reporting").title["en"]
    overview = _row(c.get(f"/readiness/a/{assessment.uuid}").get_data(as_text=True), title)
    result = _row(c.get(f"/readiness/a/{assessment.uuid}/result").get_data(as_text=True), title)
    assert "4 of 4" in overview and "4 of 4" in result, (overview, result)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_charts_are_drawn_left_to_right_in_every_language(
    client_for, assessment, coordinator, questionnaire, lang
):
    import re

    submit(assessment, coordinator, full_answers(questionnaire, 2))
    c = client_for(coordinator)
    c.get(f"/language/{lang}")
    for url in ("/result", "/result/print"):
        page = c.get(f"/readiness/a/{assessment.uuid}{url}").get_data(as_text=True)
        svgs = re.findall(r"<svg\b[^>]*>.*?</svg>", page, re.S)
        assert len(svgs) == 2, url  # radar and bars
        for svg in svgs:
            assert 'direction="ltr"' in svg.split(">", 1)[0], url
            texts = re.findall(r"<text\b[^>]*>", svg)
            assert texts and all("text-anchor=" in t for t in texts), url


def test_reasons_read_as_one_sentence_in_every_language(app, questionnaire):
    from readiness import presenters

    rec = {"reasons": [{"facts": [{"call": "answer", "subject": "2.3", "actual": "no"}]}]}
    (reason,) = presenters.reasons(rec, questionnaire, "en")
    # The fact is a clause of its own after a colon, not the object of "because".
    assert reason.startswith("Because: question 2.3 (“") and reason.endswith("was answered “No”.")


@pytest.mark.parametrize("status", ["accepted", "declined", "in_progress", "done"])
def test_the_mail_subject_is_a_whole_sentence_per_status(assessment, coordinator, secretariat, status):
    from lms.models import OutboxMessage

    req = AdvisoryRequest(
        assessment_id=assessment.id, service_id="data-clinic", requested_by_id=coordinator.id
    )
    db.session.add(req)
    db.session.flush()
    results.update_advice(req, secretariat, status, "")
    subjects = [
        m.subject for m in db.session.scalars(select(OutboxMessage)) if m.recipient == coordinator.email
    ]
    assert subjects == [results.status_subject(status)]
    assert ":" not in subjects[0]  # no label dropped after a colon, which could not agree


def test_learning_path_status_is_one_translatable_phrase(
    app, client_for, assessment, coordinator, questionnaire, resources, monkeypatch
):
    """In Arabic the kind and the status are joined as the translation says (an Arabic comma), not with a
    Latin comma put between two separately translated words."""
    from flask_babel import force_locale, get_translations

    result = submit(assessment, coordinator, full_answers(questionnaire, 4) | {"2.3": "no"})
    path = results.learning_path(result)
    monkeypatch.setattr(
        results, "path_progress", lambda user, stored: {(r["kind"], r["key"]): "enrolled" for r in path}
    )
    with app.test_request_context(), force_locale("ar"):
        catalog = get_translations()._catalog
    monkeypatch.setitem(catalog, "%(kind)s, enrolled", "%(kind)s، مسجَّل")
    c = client_for(coordinator)
    c.get("/language/ar")
    page = c.get(f"/readiness/a/{assessment.uuid}/result").get_data(as_text=True)
    assert "(الوحدة، مسجَّل)" in page and "الوحدة, " not in page


def test_lists_are_joined_in_the_readers_language(app):
    from flask_babel import force_locale

    from lms.i18n import list_text

    with app.test_request_context():
        with force_locale("ar"):
            assert list_text(["2.1", "2.3"]) == "2.1 و2.3"
        with force_locale("fr"):
            assert list_text(["2.1", "2.3", "2.4"]) == "2.1, 2.3 et 2.4"


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        ((1, 1), "You are enrolled in the resource of the learning path."),
        ((3, 3), "You are enrolled in the 3 resources of the learning path."),
    ],
)
def test_the_enrolment_message_counts_resources_in_the_readers_grammar(
    client_for, assessment, coordinator, questionnaire, monkeypatch, outcome, message
):
    submit(assessment, coordinator, full_answers(questionnaire, 2))
    monkeypatch.setattr(results, "enrol_in_path", lambda *args: outcome)
    resp = client_for(coordinator).post(f"/readiness/a/{assessment.uuid}/path/enrol", follow_redirects=True)
    assert message in resp.get_data(as_text=True)


def test_a_refused_answer_to_an_advisory_request_keeps_the_message(
    client_for, assessment, coordinator, secretariat, questionnaire
):
    """The secretariat's message to the country comes back in that request's form with the reason at its
    field (status 400), not as a message at the top of a page where it is gone."""
    submit(assessment, coordinator, full_answers(questionnaire, 1))
    client_for(coordinator).post(
        f"/readiness/a/{assessment.uuid}/advice", data={"service": "reporting-review"}
    )
    (req,) = db.session.scalars(select(AdvisoryRequest)).all()
    prefix = "r" + req.uuid.replace("-", "")[:12]
    message = "Nous vous appellerons la semaine prochaine. " * 50
    resp = client_for(secretariat).post(
        f"/readiness/secretariat/advice/{req.uuid}",
        data={f"{prefix}-status": "accepted", f"{prefix}-response": message},
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert message.strip() in page
    assert (
        f'<p class="error" id="{prefix}-response-error">The message is longer than 2000 characters.</p>'
        in page
    )
    assert f'href="#{prefix}-response"' in page
    db.session.refresh(req)
    assert req.status == "requested" and not req.response


def test_a_previous_cycle_without_a_level_says_why_beside_its_change(
    client_for, coordinator, questionnaire, secretariat
):
    """Exchange was scored in 2024 with too few answers for a level: the comparison column says so rather
    than a bare dash next to "up N points"."""
    earlier = services.start_assessment(coordinator, cycle="2024", language="fr")
    sparse = {k: v for k, v in full_answers(questionnaire, 1).items() if not k.startswith("3.")} | {"3.1": 1}
    submit(earlier, coordinator, sparse)
    services.acknowledge(earlier, secretariat)
    current = services.start_assessment(coordinator, cycle="2026", language="fr")
    submit(current, coordinator, full_answers(questionnaire, 3))
    db.session.commit()
    page = client_for(coordinator).get(f"/readiness/a/{current.uuid}/result").get_data(as_text=True)
    row = next(tr for tr in page.split("<tr>") if "Information exchange" in tr and "points" in tr)
    previous = row.split("<td>")[-1]
    assert "No level (fewer than 70 % of the questions answered)" in previous and "up " in previous


@pytest.mark.parametrize(
    ("delta", "locale", "text"),
    [
        (0.01, "en", "up 1 point"),
        (0.11, "en", "up 11 points"),
        (-0.03, "en", "down 3 points"),
        (0.004, "en", "unchanged"),
        (-0.005, "en", "unchanged"),  # rounds to no point: not "down 0 points"
    ],
)
def test_a_change_of_score_is_counted_in_whole_points_with_the_plural_form(app, delta, locale, text):
    from flask_babel import force_locale

    from readiness.presenters import score_change
    from readiness.report_build import _trend_line

    with app.test_request_context(), force_locale(locale):
        assert score_change(delta) == text
        assert score_change(None) == ""
        # The PDF's line says the same.
        assert _trend_line({"previous_level": 2, "delta": delta}, "2024").endswith(f", {text}")


def test_the_pdf_s_lines_take_the_chinese_punctuation(app):
    from flask_babel import force_locale

    from readiness.report_build import _labelled, _trend_line

    with app.test_request_context(), force_locale("zh"):
        line = _trend_line({"previous_level": 4, "delta": -0.2}, "2026")
        assert ":" not in line and ";" not in line and "：" in line and "，" in line
        assert _labelled("开放数据", "级别 4") == "开放数据：级别 4"


def test_the_result_page_says_one_point_in_the_singular(
    client_for, coordinator, questionnaire, secretariat, monkeypatch
):
    earlier = services.start_assessment(coordinator, cycle="2024", language="en")
    submit(earlier, coordinator, full_answers(questionnaire, 2))
    services.acknowledge(earlier, secretariat)
    current = services.start_assessment(coordinator, cycle="2026", language="en")
    submit(current, coordinator, full_answers(questionnaire, 3))
    db.session.commit()
    real_trend = results.trend

    def one_point_up(assessment, profile):
        trend = real_trend(assessment, profile)
        for dim in trend["dimensions"].values():
            dim["delta"] = 0.01
        return trend

    monkeypatch.setattr(results, "trend", one_point_up)
    page = client_for(coordinator).get(f"/readiness/a/{current.uuid}/result").get_data(as_text=True)
    assert "up 1 point<" in page and "up 1 points" not in page


def _selected_service(page: str) -> str | None:
    import re

    select_html = re.search(r'<select[^>]*name="service".*?</select>', page, re.S).group(0)
    found = re.search(r'<option(?=[^>]*\bselected\b)[^>]*value="([^"]+)"', select_html)
    return found.group(1) if found else None


def test_an_open_request_is_not_preselected_and_asking_again_shows_the_result(
    client_for, assessment, coordinator, questionnaire
):
    submit(assessment, coordinator, full_answers(questionnaire, 1))
    c = client_for(coordinator)
    result_url = f"/readiness/a/{assessment.uuid}/result"
    first = _selected_service(c.get(result_url).get_data(as_text=True))
    assert first is not None
    assert c.post(f"/readiness/a/{assessment.uuid}/advice", data={"service": first}).status_code == 302
    page = c.get(result_url).get_data(as_text=True)
    assert _selected_service(page) not in (None, first)
    # Sent again anyway (an older page): the result page again, the reason at the service field.
    resp = c.post(f"/readiness/a/{assessment.uuid}/advice", data={"service": first})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert 'id="advice-section"' in page and "This service has already been requested and is open." in page
    assert 'aria-invalid="true"' in page.split('name="service"')[0].rsplit("<select", 1)[1]
    assert _selected_service(page) == first  # as it was sent


def test_the_services_page_links_the_coordinator_to_where_a_service_is_requested(
    client, client_for, coordinator, editor, make_user, questionnaire
):
    page = client_for(coordinator).get("/readiness/services").get_data(as_text=True)
    assert 'href="/readiness/#start-h"' in page and "Start an assessment to request a service" in page
    # Only a draft: it is where the request will come from, once submitted.
    first_draft = services.start_assessment(coordinator, cycle="2024", language="fr")
    db.session.commit()
    page = client_for(coordinator).get("/readiness/services").get_data(as_text=True)
    assert f'href="/readiness/a/{first_draft.uuid}"' in page and "#start-h" not in page
    assert "Finish and submit your assessment 2024 to request a service" in page
    db.session.delete(first_draft)
    db.session.commit()
    a = services.start_assessment(coordinator, cycle="2025", language="fr")
    submit(a, coordinator, full_answers(questionnaire, 2))
    draft = services.start_assessment(coordinator, cycle="2026", language="fr")
    db.session.commit()
    page = client_for(coordinator).get("/readiness/services").get_data(as_text=True)
    # The latest submitted assessment: a draft's result page offers no request.
    assert f'href="/readiness/a/{a.uuid}/result#advice"' in page and f"/readiness/a/{draft.uuid}/" not in page
    assert "Request a service from the result of your assessment 2025" in page
    other = make_user(role="coordinator", country_code="DE")
    page = client_for(other).get("/readiness/services").get_data(as_text=True)
    assert f"/readiness/a/{a.uuid}/" not in page and 'href="/readiness/#start-h"' in page
    for page in (
        client.get("/readiness/services").get_data(as_text=True),
        client_for(editor).get("/readiness/services").get_data(as_text=True),
    ):
        assert "/result#advice" not in page and "#start-h" not in page
