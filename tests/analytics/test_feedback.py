"""The feedback loop: "Was this useful?", "Report a problem", the evaluation, triage with mail, signals."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from analytics.models_feedback import Certificate, Evaluation, Feedback, ProblemReport, Referral
from lms.db import db
from lms.models import AuditEntry, OutboxMessage


@pytest.fixture
def course(publish):
    return publish("course", "c1", titles={"en": "Article 3: supply and trade", "es": "Artículo 3"})


def count(model):
    return db.session.scalar(select(func.count(model.id)))


def test_anonymous_feedback_is_recorded_and_goes_back_to_a_safe_page(client, course):
    resp = client.post(
        "/analytics/feedback",
        data={
            "resource": "course:c1",
            "part": "lesson/abc",
            "useful": "no",
            "comment": "The trade rules need an example.",
            "next": "/courses/c1/lesson/abc",
        },
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/courses/c1/lesson/abc")
    row = db.session.scalar(select(Feedback))
    assert (row.kind, row.key, row.part, row.is_useful, row.user_id) == (
        "course",
        "c1",
        "lesson/abc",
        False,
        None,
    )
    assert row.comment == "The trade rules need an example." and row.language == "en"
    # an outside "next" is not followed
    resp = client.post(
        "/analytics/feedback",
        data={"resource": "course:c1", "useful": "yes", "next": "https://evil.example/"},
    )
    assert resp.headers["Location"].endswith("/courses/c1")


def test_signed_in_feedback_is_tied_to_the_user(client, as_role, course):
    user = as_role("learner")
    client.post("/analytics/feedback", data={"resource": "course:c1", "useful": "yes"})
    assert db.session.scalar(select(Feedback.user_id)) == user.id


@pytest.mark.parametrize(
    "data, reason",
    [
        ({"resource": "course:nope", "useful": "yes"}, b"does not exist"),
        ({"resource": "planet:earth", "useful": "yes"}, b"Unknown kind"),
        ({"resource": "no colon", "useful": "yes"}, b"malformed"),
        ({"resource": "course:c1", "part": "../../etc", "useful": "yes"}, b"malformed"),
        ({"resource": "course:c1"}, b"Choose yes or no"),
        ({"resource": "course:c1", "useful": "maybe"}, b"Not a valid choice"),
        ({"resource": "course:c1", "useful": "yes", "comment": "x" * 2001}, b"2000"),
    ],
)
def test_bad_feedback_is_refused_whole_with_the_reason(client, course, data, reason):
    resp = client.post("/analytics/feedback", data=data)
    assert resp.status_code == 400 and reason in resp.data
    assert count(Feedback) == 0


def test_the_feedback_form_works_as_a_page_without_javascript(client, course):
    html = client.get("/analytics/feedback?resource=course:c1&part=lesson/abc&next=/courses/c1").get_data(
        as_text=True
    )
    assert "Article 3: supply and trade" in html and 'name="useful"' in html and "<fieldset" in html
    assert 'value="lesson/abc"' in html and 'type="submit"' in html
    assert client.get("/analytics/feedback?resource=course:zzz").status_code == 400


def test_a_problem_report_is_queued_for_triage(client, course):
    resp = client.post(
        "/analytics/report",
        data={
            "resource": "course:c1",
            "category": "translation_error",
            "email": "fp@example.org",
            "description": "La pregunta 4 dice «agua» en vez de «atmósfera».",
            "next": "/courses/c1",
        },
    )
    assert resp.status_code == 302
    report = db.session.scalar(select(ProblemReport))
    assert report.category == "translation_error" and report.status == "new"
    assert report.reporter_email == "fp@example.org"


@pytest.mark.parametrize(
    "data, reason",
    [
        ({"resource": "course:c1", "category": "gossip", "description": "x"}, b"Not a valid choice"),
        ({"resource": "course:c1", "description": "x"}, b"Choose what kind of problem"),
        ({"resource": "course:c1", "category": "other", "description": ""}, b"required"),
        (
            {"resource": "course:c1", "category": "other", "description": "x", "email": "not-an-address"},
            b"mail",
        ),
        ({"resource": "course:missing", "category": "other", "description": "x"}, b"does not exist"),
    ],
)
def test_bad_problem_reports_are_refused_whole(client, course, data, reason):
    resp = client.post("/analytics/report", data=data)
    assert resp.status_code == 400 and reason in resp.data
    assert count(ProblemReport) == 0


@pytest.mark.parametrize(
    "app_config",
    [
        {
            "ANALYTICS_SETTLE_SECONDS": 0,
            "RATELIMIT_ENABLED": True,
            "ANALYTICS_FEEDBACK_RATELIMIT": "3 per minute",
        }
    ],
)
def test_anonymous_posting_is_rate_limited(client, course):
    codes = [
        client.post("/analytics/feedback", data={"resource": "course:c1", "useful": "yes"}).status_code
        for _ in range(5)
    ]
    assert codes == [302, 302, 302, 429, 429]
    assert count(Feedback) == 3
    assert client.get("/analytics/feedback?resource=course:c1").status_code == 200  # reading is not limited


def test_triage_fixed_mails_the_reporter_once_and_is_audited(client, as_owner, course):
    report = ProblemReport(
        kind="course",
        key="c1",
        category="wrong_fact",
        description="Wrong year",
        reporter_email="reporter@example.org",
        language="fr",
    )
    db.session.add(report)
    db.session.commit()
    trainer = as_owner()
    page = client.get("/analytics/triage").get_data(as_text=True)
    assert "Article 3: supply and trade" in page and f"/analytics/triage/{report.uuid}" in page
    resp = client.post(f"/analytics/triage/{report.uuid}", data={"status": "in_progress", "note": ""})
    assert resp.status_code == 302 and count(OutboxMessage) == 0
    client.post(f"/analytics/triage/{report.uuid}", data={"status": "fixed", "note": "L'année est corrigée."})
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.recipient == "reporter@example.org"
    assert "corrigé" in mail.subject or "fixed" in mail.subject  # in the reporter's language when translated
    assert "L'année est corrigée." in mail.body and "http://lms.test/courses/c1" in mail.body
    client.post(f"/analytics/triage/{report.uuid}", data={"status": "fixed", "note": "again"})
    assert count(OutboxMessage) == 1  # told once
    db.session.expire_all()
    assert report.status == "fixed" and report.handled_by_id == trainer.id and report.notified_dt is not None
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions.count("analytics.report_status") == 3
    bad = client.post(f"/analytics/triage/{report.uuid}", data={"status": "deleted"})
    assert bad.status_code == 400
    assert client.get("/analytics/triage/not-a-report").status_code == 404
    assert client.get("/analytics/triage?status=bogus").status_code == 400


def test_a_signed_in_reporter_is_mailed_at_their_account_address(client, as_role, make_user, course):
    reporter = make_user(role="learner", email="member@example.org")
    db.session.add(
        ProblemReport(kind="course", key="c1", category="other", description="x", user_id=reporter.id)
    )
    db.session.commit()
    as_role("admin")
    uuid = db.session.scalar(select(ProblemReport.uuid))
    client.post(f"/analytics/triage/{uuid}", data={"status": "fixed"})
    assert db.session.scalar(select(OutboxMessage.recipient)) == "member@example.org"


def test_the_end_of_course_evaluation_is_saved_once_per_learner(client, as_role, course):
    user = as_role("learner")
    page = client.get("/analytics/evaluation/course/c1?next=/courses/c1").get_data(as_text=True)
    assert "Article 3: supply and trade" in page and 'name="relevance"' in page
    data = {
        "relevance": "5",
        "clarity": "4",
        "language_quality": "3",
        "suggestions": "More on Article 8",
        "next": "/courses/c1",
    }
    assert client.post("/analytics/evaluation/course/c1", data=data).status_code == 302
    client.post("/analytics/evaluation/course/c1", data={**data, "clarity": "2"})
    rows = db.session.scalars(select(Evaluation)).all()
    assert len(rows) == 1 and rows[0].clarity == 2 and rows[0].user_id == user.id
    assert "You answered before" in client.get("/analytics/evaluation/course/c1").get_data(as_text=True)
    for bad in ({**data, "relevance": "9"}, {k: v for k, v in data.items() if k != "clarity"}):
        assert client.post("/analytics/evaluation/course/c1", data=bad).status_code == 400
    db.session.expire_all()
    assert db.session.scalar(select(Evaluation.clarity)) == 2
    assert client.get("/analytics/evaluation/course/none").status_code == 404


def test_feedback_aggregates_per_resource_and_language(client, as_owner, course):
    for useful, lang in ((True, "en"), (True, "es"), (False, "es")):
        db.session.add(Feedback(kind="course", key="c1", language=lang, is_useful=useful))
    db.session.add(ProblemReport(kind="course", key="c1", category="translation_error", language="es"))
    db.session.commit()
    as_owner()
    html = client.get("/analytics/feedback-summary?language=es").get_data(as_text=True)
    assert "Article 3: supply and trade" in html
    csv = client.get("/analytics/export/feedback/by_resource_language.csv?language=es").get_data(as_text=True)
    assert csv.splitlines()[1].startswith("course:c1,Article 3: supply and trade,es,1,1,0.5,0,1,1,0")
    # trainers read the comments (anonymous), newest first; a new answer shows at once
    client.post(
        "/analytics/feedback", data={"resource": "course:c1", "useful": "no", "comment": "=1+1 wrong year"}
    )
    html = client.get("/analytics/feedback-summary").get_data(as_text=True)
    assert "=1+1 wrong year" in html and "Recent comments" in html
    exported = client.get("/analytics/export/feedback/recent_comments.csv").get_data(as_text=True)
    assert "'=1+1 wrong year" in exported


def test_signals_of_other_plugins_feed_certificates_referrals_and_deletion(app, make_user, course):
    from lms import signals

    user = make_user(role="learner", country_code="SN")
    signals.certificate_issued.send("courses", user=user, resource=course, verification_code="ABC-123")
    signals.certificate_issued.send("courses", user=user, resource=course, verification_code="ABC-123")
    signals.enrolment_requested.send(course, user=user, source="readiness")
    signals.enrolment_requested.send(course, user=user, source="readiness")
    db.session.add(Feedback(kind="course", key="c1", is_useful=True, comment="mine", user_id=user.id))
    db.session.add(
        ProblemReport(
            kind="course", key="c1", category="other", user_id=user.id, reporter_email="x@example.org"
        )
    )
    db.session.commit()
    cert = db.session.scalar(select(Certificate))
    assert count(Certificate) == 1 and cert.region == "africa" and cert.country_code == "SN"
    assert count(Referral) == 1
    signals.user_deleted.send(user, pseudonym="0000-pseudo")
    db.session.commit()
    fb = db.session.scalar(select(Feedback))
    assert fb.user_id is None and fb.comment == ""
    rep = db.session.scalar(select(ProblemReport))
    assert rep.user_id is None and rep.reporter_email is None
    assert db.session.scalar(select(Certificate.user_id)) is None


def test_means_without_evaluations_are_a_dash_not_zero(client, as_owner, course):
    db.session.add(Feedback(kind="course", key="c1", language="en", is_useful=True))
    db.session.commit()
    as_owner()
    tables = client.get("/analytics/api/v1/dashboards/feedback").get_json()["tables"]
    row = dict(
        zip(tables["by_resource_language"]["columns"], tables["by_resource_language"]["rows"][0], strict=True)
    )
    assert row["evaluations"] == 0
    assert row["mean_relevance"] is row["mean_clarity"] is row["mean_language_quality"] is None
    html = client.get("/analytics/feedback-summary").get_data(as_text=True)
    first = html.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert first.count('<span aria-hidden="true">—</span><span class="visually-hidden">no data</span>') == 3
    assert "<td>0</td><td>0</td><td>0</td></tr>" not in html


def test_what_learners_wrote_is_marked_with_its_language(client, as_owner, course):
    """A comment or problem report keeps its own language and direction inside a page in another one."""
    db.session.add(
        Feedback(kind="course", key="c1", language="ar", is_useful=False, comment="الدرس غير واضح")
    )
    db.session.add(Feedback(kind="course", key="c1", language="und", is_useful=True, comment="ok"))
    report = ProblemReport(
        kind="course", key="c1", category="wrong_fact", description="La fecha es incorrecta", language="es"
    )
    db.session.add(report)
    db.session.commit()
    as_owner()
    html = client.get("/analytics/feedback-summary").get_data(as_text=True)
    assert '<td lang="ar" dir="rtl">الدرس غير واضح</td>' in html
    assert "<td>ok</td>" in html  # an unknown language: no attribute rather than a wrong one
    page = client.get(f"/analytics/triage/{report.uuid}").get_data(as_text=True)
    assert '<p lang="es" dir="ltr">La fecha es incorrecta</p>' in page


def test_comment_dates_are_written_the_readers_way(client, as_owner, course):
    """The recent comments table keeps ISO dates in its data (JSON API, CSV) and shows them the way the
    reader writes dates."""
    from datetime import UTC, datetime

    db.session.add(
        Feedback(
            kind="course",
            key="c1",
            language="en",
            is_useful=True,
            comment="Clear",
            created_dt=datetime(2026, 3, 9, 10, tzinfo=UTC),
        )
    )
    db.session.commit()
    as_owner()
    client.get("/language/fr")
    html = client.get("/analytics/feedback-summary").get_data(as_text=True)
    assert '<th scope="row">9 mars 2026</th>' in html and "2026-03-09" not in html
    data = client.get("/analytics/api/v1/dashboards/feedback").get_json()
    assert data["tables"]["recent_comments"]["rows"][0][0] == "2026-03-09"


def test_a_question_label_loses_its_question_mark_before_the_reason(client, course):
    # The error summary reads "What is wrong: Choose …", not "What is wrong?: Choose …".
    resp = client.post("/analytics/report", data={"resource": "course:c1", "description": "x"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "What is wrong</a>: Choose what kind of problem it is." in page
    assert "?</a>:" not in page
    # Spanish opens the question too, French puts a no-break space before "?" (and before ":").
    for lang, label in (("es", "Qué está mal"), ("fr", "Quel est le problème")):
        client.get(f"/language/{lang}")
        page = client.post("/analytics/report", data={"resource": "course:c1", "description": "x"}).get_data(
            as_text=True
        )
        assert f">{label}</a>" in page, lang
