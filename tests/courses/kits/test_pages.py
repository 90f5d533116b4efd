"""Public kit pages, the offline bundle, and the participant's side of a workshop through HTTP:
register, ticket (QR code), online test, feedback, certificate and its public verification."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta

from sqlalchemy import select

from lms.db import db
from tests.courses.kits.conftest import build_kit, build_workshop, statements


def test_kit_list_and_page(app, client, trainer):
    kit = build_kit(trainer)
    build_kit(trainer, slug="draft-kit", publish=False)
    workshop = build_workshop(trainer, kit)
    html = client.get("/courses/kits").get_data(as_text=True)
    assert "Controlling mercury trade" in html and "draft-kit" not in html
    assert f"/courses/workshops/{workshop.uuid}" in html
    page = client.get("/courses/kits/trade").get_data(as_text=True)
    for text in (
        "Tracing mercury in gold mining areas",
        "Artisanal gold mining",
        "Philippines",
        "What was done",
        "Lessons learned",
        "Use the <em>HS codes</em>",
        "Consent form checklist",
        "Convention website",
        "Workshop on mercury trade",
        "/courses/kits/trade/offline/es.zip",
        "Art. 3",
    ):
        assert text in page, text
    assert "Which article covers mercury trade" not in page  # the test is not shown to everyone
    assert client.get("/courses/kits/draft-kit").status_code == 404
    assert client.get("/courses/kits/nope").status_code == 404


def test_kit_list_filters_by_language(app, client, trainer):
    build_kit(trainer, french=True)
    build_kit(trainer, slug="english-only")
    html = client.get("/courses/kits?language=fr").get_data(as_text=True)
    assert "/courses/kits/trade" in html and "/courses/kits/english-only" not in html


def test_guide_and_handout_pages(app, client, trainer, login):
    kit = build_kit(trainer)
    guide = client.get("/courses/kits/trade/guide").get_data(as_text=True)
    assert "Case study work" in guide and "0:45" in guide and "Fill in a consent form" in guide
    assert "Which agency keeps the records?" in guide
    # The exercises' expected outcomes, as the test's answers, are for those who may read the key.
    assert "Expected outcome" not in guide and "expected outcomes are for facilitators" in guide
    assert "Answer:" not in guide
    login(trainer)
    guide = client.get("/courses/kits/trade/guide").get_data(as_text=True)
    assert "Answer:" in guide and "Expected outcome" in guide and "A complete form." in guide
    handout = kit.parts_of("handout")[0]
    html = client.get(f"/courses/kits/trade/handouts/{handout.uuid}").get_data(as_text=True)
    assert "<h1>Consent form checklist</h1>" in html
    assert client.get(f"/courses/kits/trade/handouts/{kit.parts_of('practice')[0].uuid}").status_code == 404


def _zip(resp) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(resp.data)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_offline_bundle_in_spanish_and_french(app, client, trainer, login):
    build_kit(trainer, french=True)
    resp = client.get("/courses/kits/trade/offline/es.zip")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    assert 'filename="trade-es.zip"' in resp.headers["Content-Disposition"]
    files = _zip(resp)
    assert set(files) >= {
        "index.html",
        "case-studies.html",
        "best-practices.html",
        "facilitator-guide.html",
        "resources.html",
        "style.css",
    }
    # The test sheet and the key are in the facilitators' bundle only.
    assert any(name.startswith("handout-01-") for name in files)
    assert "answer-key.html" not in files and "test-sheet.html" not in files
    index = files["index.html"]
    assert '<html lang="es" dir="ltr">' in index
    notice = re.search(r'<p class="notice">([^<]*)</p>', index).group(1)  # the fallback notice
    assert "en español" in notice and "en inglés" in notice  # languages named in Spanish
    assert "Tracing mercury in gold mining areas" in files["case-studies.html"]
    french = _zip(client.get("/courses/kits/trade/offline/fr.zip"))
    assert "[fr] Tracing mercury in gold mining areas" in french["case-studies.html"]
    assert "pas encore" not in french["index.html"]
    assert client.get("/courses/kits/trade/offline/xx.zip").status_code == 404
    assert "answer-key.html" not in _zip(client.get("/courses/kits/trade/offline/en.zip?answers=1"))
    login(trainer)
    facilitators = _zip(client.get("/courses/kits/trade/offline/en.zip?answers=1"))
    key, sheet = facilitators["answer-key.html"], facilitators["test-sheet.html"]
    assert "Article 3" in key and "mercury" in key
    assert "Which article covers mercury trade?" in sheet and "☐ Article 3" in sheet
    assert "Answer:" not in sheet  # the key is its own page


def test_arabic_bundle_is_right_to_left(app, client, trainer):
    build_kit(trainer)
    index = _zip(client.get("/courses/kits/trade/offline/ar.zip"))["index.html"]
    assert '<html lang="ar" dir="rtl">' in index


def test_participant_journey_over_http(app, client, trainer, learner, login):
    from courses.models_kits import AttendanceCertificate, Participant
    from courses.services import workshops as ws
    from courses.services import workshops_attendance as attendance
    from courses.services import workshops_certs as wcerts
    from courses.services import workshops_tests as tests
    from tests.courses.kits.conftest import sheet_form

    kit = build_kit(trainer)
    workshop = build_workshop(trainer, kit, start=date.today())
    url = f"/courses/workshops/{workshop.uuid}"
    page = client.get(url).get_data(as_text=True)
    assert "Sign in to register" in page and "Manila" in page and "planetGOLD" in page
    login(learner)
    assert client.post(f"{url}/register").status_code == 302
    participant = db.session.scalar(select(Participant).filter_by(user_id=learner.id))
    ticket = client.get(f"{url}/ticket").get_data(as_text=True)
    assert "data:image/svg+xml" in ticket and "Léa Learner" in ticket
    # The pre-test is closed until the trainer opens it.
    assert "not open" in client.get(f"{url}/tests/pre").get_data(as_text=True)
    ws.set_flags(trainer, workshop, is_pre_test_open=True)
    db.session.commit()
    assert client.post(f"{url}/tests/pre").headers["Location"].endswith(f"{url}/tests/pre/sheet")
    sheet = client.get(f"{url}/tests/pre/sheet").get_data(as_text=True)
    assert "Question 1 of 3" in sheet
    result = tests.result_of(participant, "pre")
    form = sheet_form(tests.kit_view(workshop, "en"), result, right=True)
    assert client.post(f"{url}/tests/pre/sheet", data=form).status_code == 302
    assert "Your score: 100%" in client.get(f"{url}/tests/pre").get_data(as_text=True)
    assert len(statements("passed")) == 1
    # A replayed sheet with different answers is refused with a reason.
    resp = client.post(
        f"{url}/tests/pre/sheet", data=sheet_form(tests.kit_view(workshop, "en"), result, right=False)
    )
    assert resp.status_code == 400 and "already submitted" in resp.get_data(as_text=True)
    # Feedback opens with the check-in; the certificate follows.
    assert "Feedback opens" in client.get(f"{url}/feedback").get_data(as_text=True)
    attendance.mark_attended(trainer, participant, "manual")
    wcerts.issue(trainer, participant)
    db.session.commit()
    assert client.post(f"{url}/feedback", data={"rating": "5", "comment": "Excellent"}).status_code == 302
    assert client.post(f"{url}/feedback", data={"rating": "9"}).status_code == 400
    assert wcerts.feedback_of(participant).rating == 5
    cert = db.session.scalar(select(AttendanceCertificate))
    page = client.get(url).get_data(as_text=True)
    assert f"/courses/workshops/certificates/{cert.uuid}" in page
    html = client.get(f"/courses/workshops/certificates/{cert.uuid}").get_data(as_text=True)
    assert "Certificate of attendance" in html and cert.code in html and "Léa Learner" in html
    badge = client.get(f"/courses/workshops/certificates/{cert.uuid}/badge.json")
    assert badge.mimetype == "application/ld+json" and "OpenBadgeCredential" in badge.get_data(as_text=True)
    client.post("/account/logout")
    public = client.get(f"/courses/workshops/verify/{cert.code}").get_data(as_text=True)
    assert "This certificate is valid." in public and "Léa Learner" in public and learner.email not in public
    assert client.get("/courses/workshops/verify/AAAA-BBBB-CCCC").status_code == 404
    resp = client.get(f"/courses/workshops/verify?code={cert.code.lower()}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(cert.code)


def _start_pre_test(client, trainer, learner, login, kit):
    """A workshop of ``kit`` starting today with its pre-test open, and ``learner`` registered and signed in
    with their sheet started: (workshop, participant, result, the test's URL)."""
    from courses.services import workshops as ws
    from courses.services import workshops_registration as registration
    from courses.services import workshops_tests as tests

    workshop = build_workshop(trainer, kit, start=date.today())
    ws.set_flags(trainer, workshop, is_pre_test_open=True)
    db.session.commit()
    url = f"/courses/workshops/{workshop.uuid}/tests/pre"
    login(learner)
    participant, _ = registration.self_register(learner, workshop)
    db.session.commit()
    client.post(url)
    return workshop, participant, tests.result_of(participant, "pre"), url


def test_a_blank_test_sheet_is_refused_and_the_test_stays_open(app, client, trainer, learner, login):
    # A participant takes each test once: a sheet sent blank by mistake must not use that one try.
    from courses.services import workshops_tests as tests
    from tests.courses.kits.conftest import sheet_form

    workshop, participant, result, url = _start_pre_test(client, trainer, learner, login, build_kit(trainer))
    recorded = len(statements())
    resp = client.post(f"{url}/sheet", data={"result": result.uuid})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    summary = page.index('class="error-summary"')
    assert summary < page.index('class="quiz"')
    assert "Answer at least one question before submitting the test." in page[summary:]
    assert "Question 1 of 3" in page
    db.session.expire_all()
    assert tests.result_of(participant, "pre").submitted_dt is None
    assert len(statements()) == recorded
    # Answered, the same sheet is graded.
    form = sheet_form(tests.kit_view(workshop, "en"), result, right=True)
    assert client.post(f"{url}/sheet", data=form).status_code == 302
    assert "Your score: 100%" in client.get(url).get_data(as_text=True)


def test_a_blank_sheet_sent_after_the_test_closed_says_it_is_closed(app, client, trainer, learner, login):
    # "Answer at least one question" would send them back to a test they can no longer take.
    from courses.services import workshops as ws

    workshop, _participant, result, url = _start_pre_test(client, trainer, learner, login, build_kit(trainer))
    ws.set_flags(trainer, workshop, is_pre_test_open=False)
    db.session.commit()
    resp = client.post(f"{url}/sheet", data={"result": result.uuid}, follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert "is closed" in page and "Answer at least one question" not in page


def test_answers_to_correct_come_back_together_by_their_questions(app, client, trainer, learner, login):
    # Every answer to correct is named at once, by its question, with what was typed kept.
    from courses.services import kits as authoring
    from courses.services import workshops_tests as tests
    from courses.services.kits_snapshot import publish as publish_kit
    from tests.courses.conftest import CORRECTABLE_QUESTIONS

    kit = build_kit(trainer, publish=False)
    for kind, data in CORRECTABLE_QUESTIONS:
        authoring.add_question(trainer, kit, kind=kind, data=data)
    publish_kit(trainer, kit)
    db.session.commit()
    workshop, participant, result, url = _start_pre_test(client, trainer, learner, login, kit)
    kinds = {d["uuid"]: tests.kit_view(workshop, "en").question(d["uuid"])["kind"] for d in result.drawn}
    numeric = next(d for d in result.drawn if kinds[d["uuid"]] == "numeric")
    ordering = next(d for d in result.drawn if kinds[d["uuid"]] == "ordering")
    tokens = list(ordering["tokens"])
    recorded = len(statements())
    resp = client.post(
        f"{url}/sheet",
        data={
            "result": result.uuid,
            f"q_{numeric['uuid']}": "quatre",
            f"q_{ordering['uuid']}_{tokens[0]}": "1",
            f"q_{ordering['uuid']}_{tokens[1]}": "1",
            f"q_{ordering['uuid']}_{tokens[2]}": "2",
        },
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    summary = page.index('class="error-summary"')
    assert "Some answers need a correction. Nothing was recorded yet." in page[summary:]
    number = f"Question {[d['uuid'] for d in result.drawn].index(numeric['uuid']) + 1}"
    steps = f"Question {[d['uuid'] for d in result.drawn].index(ordering['uuid']) + 1}"
    assert re.search(rf"{number}</a>: Enter a number, for example 4 or 2\.5\.", page)
    assert re.search(rf"{steps}</a>: Two steps have the same place", page)
    assert page.count('class="error" id="e-') == 2  # and again by each question
    assert 'value="quatre"' in page
    db.session.expire_all()
    assert tests.result_of(participant, "pre").submitted_dt is None
    assert len(statements()) == recorded
    # Corrected, the others left unanswered: those are named first (the test is taken once) ...
    data = {"result": result.uuid, f"q_{numeric['uuid']}": "4"}
    data |= {f"q_{ordering['uuid']}_{token}": str(n) for n, token in enumerate(tokens, start=1)}
    resp = client.post(f"{url}/sheet", data=data)
    page = resp.get_data(as_text=True)
    left = len(result.drawn) - 2
    assert resp.status_code == 200 and f"{left} questions have no full answer." in page
    assert page.count("Not answered.") == 2 * left  # in the summary and by each question
    assert '<button type="submit" name="unanswered" value="submit"' in page
    db.session.expire_all()
    assert tests.result_of(participant, "pre").submitted_dt is None
    assert len(statements()) == recorded
    # ... and sent as they are, the same test is graded.
    assert client.post(f"{url}/sheet", data={**data, "unanswered": "submit"}).status_code == 302
    assert tests.result_of(participant, "pre").submitted_dt is not None


def test_register_refusal_is_explained(app, client, trainer, learner, login):
    kit = build_kit(trainer)
    workshop = build_workshop(trainer, kit, start=date.today() - timedelta(days=20))
    login(learner)
    resp = client.post(f"/courses/workshops/{workshop.uuid}/register", follow_redirects=True)
    assert "Registration for this workshop is closed." in resp.get_data(as_text=True)
    assert statements("registered") == []


def test_workshop_list_splits_upcoming_and_past(app, client, trainer):
    kit = build_kit(trainer)
    build_workshop(trainer, kit, title="Future one")
    build_workshop(trainer, kit, title="Past one", start=date(2024, 6, 3))
    html = client.get("/courses/workshops").get_data(as_text=True)
    upcoming, past = html.split("<h2>Past</h2>")
    assert "Future one" in upcoming and "Past one" in past
    assert re.search(r"June 3, 2024|3 June 2024", past)


def test_event_page_shows_the_gain_publicly_only_for_past_workshops_with_enough_results(
    app, client, trainer, make_user
):
    from courses.services import workshops_registration as registration
    from courses.services import workshops_tests as tests

    kit = build_kit(trainer)
    past = build_workshop(trainer, kit, start=date.today() - timedelta(days=10))
    small = build_workshop(trainer, kit, start=date.today() - timedelta(days=10))
    view = tests.kit_view(past, "en")
    questions = [q["uuid"] for q in view.s["questions"]]
    for workshop, n in ((past, 5), (small, 3)):
        for i in range(n):
            p = registration.register_participant(workshop, make_user())
            tests.enter_paper(trainer, p, "pre", {q: i == 0 for q in questions}, "en")
            tests.enter_paper(trainer, p, "post", dict.fromkeys(questions, True), "en")
    db.session.commit()
    html = client.get(f"/courses/workshops/{past.uuid}").get_data(as_text=True)
    assert "What participants learned" in html and "Gain per question" in html and "+80" in html
    assert "What participants learned" not in client.get(f"/courses/workshops/{small.uuid}").get_data(
        as_text=True
    )


def test_your_workshops_are_listed(app, client, trainer, learner, login):
    from courses.services import workshops_registration as registration

    workshop = build_workshop(trainer, build_kit(trainer), title="Mine")
    build_workshop(trainer, workshop.kit, title="Not mine")
    registration.self_register(learner, workshop)
    db.session.commit()
    login(learner)
    html = client.get("/courses/workshops").get_data(as_text=True)
    mine = html.split("<h2>Your workshops</h2>")[1].split("<h2>")[0]
    assert "Mine" in mine and "Not mine" not in mine


def test_a_participant_s_test_states_take_the_reader_s_punctuation(app, client, trainer, learner, login):
    """French puts a space before a colon: "Pré-test : ouvert en ce moment", not "Pré-test: ouvert"."""
    from courses.services import workshops as ws

    workshop = build_workshop(trainer, build_kit(trainer))
    ws.set_flags(trainer, workshop, is_pre_test_open=True)
    db.session.commit()
    login(learner)
    url = f"/courses/workshops/{workshop.uuid}"
    assert client.post(f"{url}/register").status_code == 302
    client.get("/language/fr")
    page = client.get(url).get_data(as_text=True)
    assert f'<a href="{url}/tests/pre">Pré-test</a>\u00a0: ouvert en ce moment' in page
    assert f'<a href="{url}/tests/post">Post-test</a>\u00a0: ' in page
    assert "</a>: " not in page


def test_an_answer_to_correct_is_named_with_the_reader_s_punctuation(app, client, trainer, learner, login):
    """French: « Question 1 : Saisissez un nombre… », with the space French puts before a colon."""
    from courses.services import kits as authoring
    from courses.services import workshops_tests as tests
    from courses.services.kits_snapshot import publish as publish_kit

    kit = build_kit(trainer, publish=False)
    authoring.add_question(trainer, kit, kind="numeric", data={"prompt": "How many?", "answer": "4"})
    publish_kit(trainer, kit)
    db.session.commit()
    workshop, participant, result, url = _start_pre_test(client, trainer, learner, login, kit)
    view = tests.kit_view(workshop, "en")
    numeric = next(d for d in result.drawn if view.question(d["uuid"])["kind"] == "numeric")
    client.get("/language/fr")
    data = {"result": result.uuid, f"q_{numeric['uuid']}": "quatre"}
    page = client.post(f"{url}/sheet", data=data).get_data(as_text=True)
    n = [d["uuid"] for d in result.drawn].index(numeric["uuid"]) + 1
    assert re.search(rf"Question {n}</a>\u00a0: Saisissez un nombre", page)
    assert "</a>: " not in page


def test_the_answer_key_writes_a_number_the_reader_s_way(app, client, trainer, login):
    """A French facilitator reads « 1,5 ± 0,1 », not "1.5 ± 0.1"."""
    from courses.services import kits as authoring
    from courses.services.kits_snapshot import publish as publish_kit

    kit = build_kit(trainer, publish=False)
    authoring.add_question(
        trainer, kit, kind="numeric", data={"prompt": "Limit?", "answer": "1.5", "tolerance": "0.1"}
    )
    publish_kit(trainer, kit)
    db.session.commit()
    login(trainer)
    client.get("/language/fr")
    guide = client.get("/courses/kits/trade/guide").get_data(as_text=True)
    assert "1,5 ± 0,1" in guide and "1.5" not in guide


def test_the_agenda_s_first_column_is_when_each_session_starts(app, client, trainer):
    """The column of "0:00", "0:45"… is when a session starts: "Time" read "Durée" (duration) in French,
    the name of the next column."""
    build_kit(trainer)
    guide = client.get("/courses/kits/trade/guide").get_data(as_text=True)
    assert '<th scope="col">Starts at</th><th scope="col">Session</th><th scope="col">Duration</th>' in guide
