"""Defects a fresh review found by using the courses plugin as new users would, in French and Arabic:
language names inside sentences, refusals shown on the field they are about, plurals."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import g

from lms.db import db
from tests.courses.conftest import MODULE_FORM


def refresh():
    """The test's app context caches the locale between requests: forget it."""
    g.pop("_flask_babel", None)
    from flask_babel import refresh as babel_refresh

    babel_refresh()


def _notice(html: str) -> str:
    match = re.search(r'<p class="notice" role="note">(.*?)</p>', html, re.S)
    assert match, "no fallback notice on the page"
    return match.group(1)


def test_fallback_notice_names_the_languages_in_the_readers_language(client, course, learner, login):
    """An Arabic reader was told the lesson is "shown in English" with the English word in the Arabic
    sentence; a French one read "pas encore disponible en Français" (capitalised, as in a language
    switcher). Running text uses the language's name in the reader's language."""
    learner.locale = "ar"
    db.session.commit()
    login(learner)
    refresh()
    assert client.post("/courses/basics/enrol").status_code == 302
    html = client.get("/courses/basics/learn/history").get_data(as_text=True)
    notice = _notice(html)
    assert "الإنجليزية" in notice and "English" not in notice
    learner.locale = "fr"
    db.session.commit()
    client.get("/language/fr")
    refresh()
    html = client.get("/courses/basics/learn/history").get_data(as_text=True)
    notice = _notice(html)
    assert "anglais" in notice and "English" not in notice
    # The list of a module's languages still names each language in itself, marked with its lang.
    html = client.get("/courses/basics").get_data(as_text=True)
    assert '<span lang="en" dir="ltr">English</span>' in html


def _field_error(html: str, field_id: str) -> str:
    """The error message shown under the field ``field_id`` ("" when there is none)."""
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def test_a_refused_new_module_shows_the_reason_on_the_articles_field(client, trainer, login):
    """ "11, 99" in the articles of a new module was refused under "Short name (used in addresses)"."""
    login(trainer)
    data = dict(MODULE_FORM, articles="11, 99")
    html = client.post("/courses/manage/new", data=data).get_data(as_text=True)
    assert "Articles must be numbers between 1 and 35." in _field_error(html, "articles")
    assert _field_error(html, "slug") == ""
    assert 'value="11, 99"' in html and 'value="mercury-waste"' in html  # nothing typed is lost


def test_a_refused_workshop_shows_the_reason_on_the_field_it_is_about(client, trainer, login, make_user):
    """A last day before the first day, or fewer places than registrations, was shown under "Title"."""
    from courses.services.workshops_registration import register_participant
    from tests.courses.kits.conftest import build_kit, build_workshop

    kit = build_kit(trainer)
    login(trainer)
    start = date.today() + timedelta(days=30)
    data = {
        "kit": "trade",
        "title": "Trade workshop",
        "start_date": start.isoformat(),
        "end_date": (start - timedelta(days=2)).isoformat(),
        "city": "Dakar",
        "country_code": "SN",
        "format": "in_person",
        "languages": ["fr"],
        "organiser": "Secretariat",
        "capacity": "25",
        "is_registration_open": "y",
    }
    resp = client.post("/courses/workshops/new", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "The last day cannot be before the first day." in _field_error(html, "end_date")
    assert _field_error(html, "title") == ""
    assert 'value="Trade workshop"' in html and 'value="Dakar"' in html  # nothing typed is lost
    # Editing: fewer places than people registered.
    workshop = build_workshop(trainer, kit)
    for n in range(2):
        register_participant(workshop, make_user(email=f"p{n}@example.org", country_code="SN"))
    db.session.commit()
    edit = dict(data, end_date=(start + timedelta(days=1)).isoformat(), capacity="1")
    resp = client.post(f"/courses/workshops/{workshop.uuid}/edit", data=edit)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "More people are registered than this capacity allows." in _field_error(html, "capacity")
    assert _field_error(html, "title") == ""


def test_counts_of_one_are_singular(client, trainer, learner, login, make_user):
    """ "(1 of 1 points)" on a one-question quiz, "1 certificates issued." after a workshop: messages with
    a count use the language's plural forms (Arabic has six)."""
    from courses.services import authoring_quiz, learning, publishing, quizzes
    from courses.services.workshops_attendance import mark_attended
    from courses.services.workshops_registration import register_participant
    from tests.courses.conftest import build_course
    from tests.courses.kits.conftest import build_kit, build_workshop
    from tests.courses.sheets import correct_form

    course = build_course(trainer, slug="one", questions=False, publish=False)
    quiz = next(i for u in course.units for i in u.items if i.slug == "check")
    authoring_quiz.add_question(
        trainer, quiz, kind="truefalse", data={"prompt": "Article 21 is about reporting.", "answer": True}
    )
    publishing.publish(trainer, course)
    db.session.commit()
    view = publishing.published_view(course, "en")
    enrolment, _created = learning.enrol(learner, course, view)
    item = view.item("check")
    attempt = quizzes.start_attempt(learner, enrolment, view, item)
    quizzes.submit_attempt(learner, enrolment, view, attempt, correct_form(view, item, attempt))
    db.session.commit()
    login(learner)
    html = client.get(f"/courses/one/attempts/{attempt.uuid}/result").get_data(as_text=True)
    assert "(1 of 1 point)." in html
    client.post("/account/logout")

    workshop = build_workshop(trainer, build_kit(trainer), start=date.today())
    participant = register_participant(workshop, make_user(email="ana@example.org", country_code="PH"))
    mark_attended(trainer, participant, "manual")
    db.session.commit()
    login(trainer)
    resp = client.post(f"/courses/workshops/{workshop.uuid}/certificates", follow_redirects=True)
    assert "1 certificate issued." in resp.get_data(as_text=True)
