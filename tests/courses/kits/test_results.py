"""Pre-test and post-test (online and paper), the results with the gain per question and overall, their
xAPI statements, attendance certificates (verification, Open Badges) and feedback."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lms.db import db
from tests.courses.kits.conftest import build_workshop, sheet_form, statements


@pytest.fixture
def open_workshop(trainer, kit):
    from courses.services import workshops as ws

    workshop = build_workshop(trainer, kit)
    ws.set_flags(trainer, workshop, is_pre_test_open=True, is_post_test_open=True)
    db.session.commit()
    return workshop


def _take(participant, phase, right):
    from courses.services import workshops_tests as tests

    result = tests.start_test(participant, phase, "en")
    view = tests.kit_view(participant.workshop, "en")
    return tests.submit_test(participant, result, sheet_form(view, result, right=right))


def test_online_test_is_graded_and_recorded_with_the_event_as_grouping(app, open_workshop, learner):
    from courses.services import workshops_registration as registration
    from courses.services import workshops_tests as tests
    from courses.services.workshops import kit_iri, workshop_iri

    participant, _ = registration.self_register(learner, open_workshop)
    result = _take(participant, "pre", right=False)
    db.session.commit()
    assert result.mode == "online" and result.score_scaled == 0.0 and result.is_passed is False
    answered = statements("answered")
    assert len(answered) == 3 and all(s.registration == participant.uuid for s in answered)
    assert {s.object_activity_id.rsplit("/", 1)[0] for s in answered} == {
        tests.test_iri(open_workshop, "pre") + "/question"
    }
    for stmt in answered:
        ctx = stmt.data["context"]["contextActivities"]
        assert [a["id"] for a in ctx["grouping"]] == [workshop_iri(open_workshop), kit_iri(open_workshop.kit)]
        assert [a["id"] for a in ctx["parent"]] == [tests.test_iri(open_workshop, "pre")]
    (failed,) = statements("failed")
    assert (
        failed.object_activity_id == tests.test_iri(open_workshop, "pre")
        and failed.result_score_scaled == 0.0
    )
    post = _take(participant, "post", right=True)
    db.session.commit()
    assert post.score_scaled == 1.0 and post.is_passed
    (passed,) = statements("passed")
    assert passed.object_activity_id.endswith("/post-test") and passed.registration == participant.uuid


def test_the_same_sheet_twice_is_graded_once_and_a_second_attempt_is_refused(app, open_workshop, learner):
    from courses.services import workshops_registration as registration
    from courses.services import workshops_tests as tests
    from courses.services.errors import BadSubmission, CourseError

    participant, _ = registration.self_register(learner, open_workshop)
    result = tests.start_test(participant, "pre", "en")
    view = tests.kit_view(open_workshop, "en")
    form = sheet_form(view, result, right=True)
    tests.submit_test(participant, result, form)
    tests.submit_test(participant, result, form)
    assert len(statements("passed")) == 1 and len(statements("answered")) == 3
    with pytest.raises(BadSubmission):
        tests.submit_test(participant, result, sheet_form(view, result, right=False))
    with pytest.raises(CourseError, match="already taken"):
        tests.start_test(participant, "pre", "en")


def test_tampered_sheet_is_refused_and_records_nothing(app, open_workshop, learner, make_user):
    from courses.services import workshops_registration as registration
    from courses.services import workshops_tests as tests
    from courses.services.errors import BadSubmission

    participant, _ = registration.self_register(learner, open_workshop)
    result = tests.start_test(participant, "pre", "en")
    view = tests.kit_view(open_workshop, "en")
    form = sheet_form(view, result)
    q = next(d for d in result.drawn if d["tokens"])
    bad = dict(form, **{f"q_{q['uuid']}": ["forged-token"]})
    with pytest.raises(BadSubmission):
        tests.submit_test(participant, result, bad)
    other, _ = registration.self_register(make_user(), open_workshop)
    with pytest.raises(BadSubmission):
        tests.submit_test(other, result, form)
    db.session.rollback()
    assert [s for s in statements() if not s.verb_id.endswith("/registered")] == []
    assert result.submitted_dt is None


def test_a_closed_test_cannot_be_started(app, workshop, learner):
    from courses.services import workshops_registration as registration
    from courses.services import workshops_tests as tests
    from courses.services.errors import CourseError

    participant, _ = registration.self_register(learner, workshop)
    with pytest.raises(CourseError, match="not open"):
        tests.start_test(participant, "post", "en")


def test_paper_results_and_gain_per_question(app, trainer, workshop, make_user):
    """Four participants: pre-test on paper, post-test on paper; the summary computes per question and
    overall gains, and paired gains for those who took both."""
    from courses.services import workshops_registration as registration
    from courses.services import workshops_tests as tests

    people = [registration.self_register(make_user(), workshop)[0] for _ in range(4)]
    view = tests.kit_view(workshop, "en")
    q1, q2, q3 = (q["uuid"] for q in view.s["questions"])
    pre = [
        {q1: True, q2: False, q3: None},
        {q1: False, q2: False, q3: False},
        {q1: True, q2: True, q3: False},
        {q1: False, q2: False, q3: False},
    ]
    post = [{q1: True, q2: True, q3: True}, {q1: True, q2: True, q3: False}, {q1: True, q2: True, q3: True}]
    for p, marks in zip(people, pre, strict=True):
        tests.enter_paper(trainer, p, "pre", marks, "en")
    for p, marks in zip(people, post, strict=False):
        tests.enter_paper(trainer, p, "post", marks, "en")
    db.session.commit()
    s = tests.summary(workshop, "en")
    assert [(r["pre"], r["post"], r["gain"]) for r in s["questions"]] == [
        (50, 100, 50),
        (25, 100, 75),
        (0, 67, 67),
    ]
    assert s["pre_n"] == 4 and s["post_n"] == 3 and s["paired_n"] == 3
    assert s["pre_mean"] == 25 and s["post_mean"] == 89 and s["gain"] == 64
    assert s["paired_gain"] == 56  # (2/3 + 2/3 + 1/3) / 3
    assert s["passed"] == {"pre": 1, "post": 3}
    # Statements: answered only for answered questions (11 pre, 9 post), one passed/failed per test.
    assert len(statements("answered")) == 11 + 9
    assert len(statements("passed")) + len(statements("failed")) == 7
    paper = statements("passed")[0]
    assert (
        paper.data["context"]["extensions"]["http://lms.test/xapi/extensions/workshop-test-mode"] == "paper"
    )


def test_paper_entry_corrects_an_earlier_entry_but_not_an_online_test(
    app, trainer, open_workshop, learner, make_user
):
    from courses.services import workshops_registration as registration
    from courses.services import workshops_tests as tests
    from courses.services.errors import CourseError

    view = tests.kit_view(open_workshop, "en")
    q1 = view.s["questions"][0]["uuid"]
    someone, _ = registration.self_register(make_user(), open_workshop)
    tests.enter_paper(trainer, someone, "pre", {q1: False}, "en")
    result = tests.enter_paper(trainer, someone, "pre", {q1: True}, "en")
    assert result.results[q1]["correct"] and tests.result_of(someone, "pre") is result
    participant, _ = registration.self_register(learner, open_workshop)
    _take(participant, "pre", right=True)
    with pytest.raises(CourseError, match="online"):
        tests.enter_paper(trainer, participant, "pre", {q1: False}, "en")
    with pytest.raises(CourseError, match="not in this test"):
        tests.enter_paper(trainer, someone, "post", {"not-a-question": True}, "en")


def test_attendance_certificate_verification_and_badge(app, trainer, started_workshop, learner):
    from courses.services import certificates as certs
    from courses.services import workshops_attendance as attendance
    from courses.services import workshops_certs as wcerts
    from courses.services import workshops_registration as registration
    from courses.services.errors import CourseError

    participant, _ = registration.self_register(learner, started_workshop)
    with pytest.raises(CourseError, match="checked in"):
        wcerts.issue(trainer, participant)
    attendance.mark_attended(trainer, participant, "manual")
    assert (
        wcerts.issue_all(trainer, started_workshop) == 1 and wcerts.issue_all(trainer, started_workshop) == 0
    )
    db.session.commit()
    cert = wcerts.certificate_of(participant)
    assert cert.participant_name == "Léa Learner" and cert.workshop_title == started_workshop.title
    assert cert.kit_titles == {"en": "Controlling mercury trade"} and cert.city == "Manila"
    assert wcerts.find_by_code(cert.code.lower().replace("-", " ")) is cert
    credential = wcerts.badge_credential(cert)
    assert credential["credentialSubject"]["name"] == "Léa Learner"
    assert learner.email not in str(credential)
    assert certs.verify_credential(credential, certs.public_key_multibase())
    forged = dict(credential, name="Another workshop")
    assert not certs.verify_credential(forged, certs.public_key_multibase())


def test_feedback_after_the_workshop_is_summarised(app, trainer, kit, make_user):
    from courses.services import workshops_certs as wcerts
    from courses.services.errors import CourseError

    past = build_workshop(trainer, kit, start=date.today() - timedelta(days=5))
    people = []
    from courses.models_kits import Participant

    for _n in range(4):
        user = make_user()

        p = Participant(workshop=past, user_id=user.id)
        db.session.add(p)
        people.append(p)
    db.session.flush()
    for p, (rating, comment) in zip(
        people, [(5, "Very useful"), (4, ""), (4, "More exercises"), (2, "Too fast")], strict=True
    ):
        wcerts.give_feedback(p, rating=rating, comment=comment)
    wcerts.give_feedback(people[3], rating=3, comment="Too fast, but fine")  # changed, not added
    with pytest.raises(CourseError, match="1 to 5"):
        wcerts.give_feedback(people[0], rating=6)
    db.session.commit()
    s = wcerts.feedback_summary(past)
    assert s["count"] == 4 and s["mean"] == 4.0
    assert s["counts"] == {1: 0, 2: 0, 3: 1, 4: 2, 5: 1}
    assert sorted(c for _r, c, _d in s["comments"]) == ["More exercises", "Too fast, but fine", "Very useful"]


def test_feedback_waits_for_check_in_or_the_end(app, workshop, learner):
    from courses.models_kits import WorkshopFeedback
    from courses.services import workshops_certs as wcerts
    from courses.services import workshops_registration as registration
    from courses.services.errors import CourseError

    participant, _ = registration.self_register(learner, workshop)
    with pytest.raises(CourseError, match="Feedback opens"):
        wcerts.give_feedback(participant, rating=5)
    db.session.rollback()
    assert db.session.scalar(select(func.count(WorkshopFeedback.id))) == 0


def test_kit_version_is_fixed_once_results_exist(app, trainer, workshop, learner):
    from courses.services import kits as authoring
    from courses.services import workshops as ws
    from courses.services import workshops_registration as registration
    from courses.services import workshops_tests as tests
    from courses.services.errors import CourseError
    from courses.services.kits_snapshot import publish

    kit = workshop.kit
    authoring.add_part(trainer, kit, "discussion", fields={"prompt": "New question"})
    publish(trainer, kit)
    ws.use_latest_kit_version(trainer, workshop)
    assert workshop.kit_version == 2
    participant, _ = registration.self_register(learner, workshop)
    tests.enter_paper(trainer, participant, "pre", {}, "en", blank_sheet=True)
    authoring.add_part(trainer, kit, "discussion", fields={"prompt": "Another"})
    publish(trainer, kit)
    with pytest.raises(CourseError, match="Test results exist"):
        ws.use_latest_kit_version(trainer, workshop)


def _certificate_of_attendance(trainer, workshop, learner):
    """``learner`` registered, checked in and given their certificate of attendance (committed)."""
    from courses.services import workshops_attendance as attendance
    from courses.services import workshops_certs as wcerts
    from courses.services import workshops_registration as registration

    participant, _ = registration.self_register(learner, workshop)
    attendance.mark_attended(trainer, participant, "manual")
    wcerts.issue(trainer, participant)
    db.session.commit()
    return wcerts.certificate_of(participant)


def test_attendance_certificate_marks_a_kit_title_in_another_language(
    app, client, login, trainer, started_workshop, learner
):
    from courses.services import workshops_certs as wcerts

    cert = _certificate_of_attendance(trainer, started_workshop, learner)
    assert wcerts.kit_title(cert, "ar") == ("Controlling mercury trade", "en")
    assert wcerts.kit_title(cert, "en") == ("Controlling mercury trade", "en")
    login(learner)
    client.get("/language/ar")
    page = client.get(f"/courses/workshops/certificates/{cert.uuid}").get_data(as_text=True)
    # The kit exists only in English: on an Arabic page its title keeps its own language and direction.
    assert '<p class="cert-line" lang="en" dir="ltr">Controlling mercury trade</p>' in page
    client.get("/language/en")
    page = client.get(f"/courses/workshops/certificates/{cert.uuid}").get_data(as_text=True)
    assert '<p class="cert-line">Controlling mercury trade</p>' in page


def test_attendance_certificate_in_chinese_uses_chinese_punctuation(
    app, client, login, trainer, started_workshop, learner
):
    # "验证码： ABCD" had a space after the full-width colon, and "Geneva, 瑞士" an English comma.
    cert = _certificate_of_attendance(trainer, started_workshop, learner)
    login(learner)
    client.get("/language/zh")
    page = client.get(f"/courses/workshops/certificates/{cert.uuid}").get_data(as_text=True)
    assert f'验证码：<strong class="code">{cert.code}</strong>' in page
    assert f"{cert.city}，" in page and f"{cert.city}, " not in page


def test_workshop_lists_join_city_and_country_with_the_readers_comma(client, workshop):
    client.get("/language/zh")
    page = client.get("/courses/workshops").get_data(as_text=True)
    assert f"{workshop.city}</bdi>，" in page and f"{workshop.city}</bdi>, " not in page
    page = client.get(f"/courses/workshops/{workshop.uuid}").get_data(as_text=True)
    assert f"{workshop.city}</bdi>，" in page and f"{workshop.city}</bdi>, " not in page


def test_workshop_titles_and_cities_keep_their_direction_in_arabic(client, workshop):
    # "Article 12 session … meeting — 17 October 2024" read "17 — Article 12 session…" in Arabic.
    client.get("/language/ar")
    page = client.get("/courses/workshops").get_data(as_text=True)
    assert f"<bdi>{workshop.title}</bdi></a>" in page and f"<bdi>{workshop.city}</bdi>" in page


def test_kit_pages_isolate_workshop_titles_and_cities_in_arabic(client, workshop, kit):
    client.get("/language/ar")
    for path in ("/courses/kits", f"/courses/kits/{kit.slug}"):
        page = client.get(path).get_data(as_text=True)
        assert f"<bdi>{workshop.title}</bdi></a>" in page and f"<bdi>{workshop.city}</bdi>" in page, path


def test_the_results_page_counts_those_who_took_both_tests_in_words(
    app, client, login, trainer, workshop, make_user
):
    """One participant who took both is counted in the singular; with nobody yet, a dash rather
    than "0 took both; mean individual gain — points"."""
    from courses.services import workshops_registration as registration
    from courses.services import workshops_tests as tests

    login(trainer)
    url = f"/courses/workshops/{workshop.uuid}/results"
    view = tests.kit_view(workshop, "en")
    q1 = view.s["questions"][0]["uuid"]
    someone, _ = registration.self_register(make_user(), workshop)
    tests.enter_paper(trainer, someone, "pre", {q1: False}, "en")
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "took both" not in page and "gain — points" not in page
    tests.enter_paper(trainer, someone, "post", {q1: True}, "en")
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "1 participant took both; mean individual gain +" in page


def test_a_failed_post_test_does_not_promise_the_workshop_is_still_to_come(
    app, client, login, open_workshop, learner
):
    """After the pre-test the workshop is still ahead to close the gap; after the post-test it is over."""
    from courses.services import workshops_registration as registration

    participant, _ = registration.self_register(learner, open_workshop)
    _take(participant, "pre", right=False)
    _take(participant, "post", right=False)
    db.session.commit()
    login(learner)
    url = f"/courses/workshops/{open_workshop.uuid}/tests"
    assert "the workshop is here to close the gap" in client.get(f"{url}/pre").get_data(as_text=True)
    post = client.get(f"{url}/post").get_data(as_text=True)
    assert "Not passed." in post and "close the gap" not in post


def test_the_feedback_summary_counts_in_words_and_writes_the_mean_the_reader_s_way(
    app, client, login, trainer, kit, make_user
):
    """« 1 participant a répondu ; note moyenne : 3,5 sur 5 », not "1 participants" or "3.5"."""
    from courses.models_kits import Participant
    from courses.services import workshops_certs as wcerts

    past = build_workshop(trainer, kit, start=date.today() - timedelta(days=5))
    people = []
    for _n in range(2):
        user = make_user()
        people.append(Participant(workshop=past, user_id=user.id))
        db.session.add(people[-1])
    db.session.flush()
    first, second = people
    wcerts.give_feedback(first, rating=4, comment="")
    db.session.commit()
    login(trainer)
    url = f"/courses/workshops/{past.uuid}/feedback-summary"
    assert "1 participant answered; mean rating 4 out of 5." in client.get(url).get_data(as_text=True)
    wcerts.give_feedback(second, rating=3, comment="")
    db.session.commit()
    client.get("/language/fr")
    page = client.get(url).get_data(as_text=True)
    assert "3,5" in page and "3.5" not in page


def test_attendance_certificate_as_pdf_in_the_readers_language_erased_with_the_user(
    app, client, login, trainer, started_workshop, learner
):
    from pathlib import Path

    from lms.signals import user_deleted
    from tests.courses.test_certificates import _pdf_text_and_fonts

    cert = _certificate_of_attendance(trainer, started_workshop, learner)
    login(learner)
    page = client.get(f"/courses/workshops/certificates/{cert.uuid}").get_data(as_text=True)
    url = f"/courses/workshops/certificates/{cert.uuid}/certificate.pdf"
    assert f'href="{url}"' in page
    client.get("/language/fr")
    resp = client.get(url)
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    text, fonts = _pdf_text_and_fonts(resp.data)
    assert "Certificat de participation" in text and "Léa Learner" in text and cert.workshop_title in text
    assert "Manila, Philippines" in text and cert.code in text
    assert "Code de vérification" in text and "Page de vérification" in text
    assert fonts and all(files for files in fonts.values())
    cache = Path(app.config["PDF_CACHE_DIR"]) / "attendance-certificates" / cert.uuid
    assert any(cache.glob("*.pdf"))
    user_deleted.send(learner, pseudonym="gone")
    db.session.commit()
    assert not cache.exists()
