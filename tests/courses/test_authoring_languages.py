"""An author working across languages: the translation editor gives each text its own direction, a
refused translation names the fields as the form labels them, a preview in another language stays in it
from step to step, and the import page shows its folder layout in full."""

from __future__ import annotations

import re

from courses.services import translation
from lms.db import db


def _tag(html: str, element_id: str) -> str:
    return re.search(rf'<(?:input|textarea)[^>]*id="{element_id}"[^>]*>', html).group(0)


def test_the_translation_editor_gives_each_text_its_direction(client, course, trainer, login):
    login(trainer)
    lesson = next(p for p in translation.parts(course) if p["type"] == "lesson")
    client.get("/language/ar")
    page = client.get(f"/courses/manage/basics/translations/ar/{lesson['uuid']}").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in _tag(page, "f_title") and 'lang="ar" dir="rtl"' in _tag(page, "f_body")
    # the English source on the Arabic page keeps its own direction
    assert '<div lang="en" dir="ltr" class="source-text">' in page
    resp = client.post(
        f"/courses/manage/basics/translations/ar/{lesson['uuid']}",
        data={"f_title": "التاريخ", "f_body": "اعتُمدت الاتفاقية في **2013**."},
    )
    assert resp.status_code in (302, 303)
    page = client.get(f"/courses/manage/basics/translations/ar/{lesson['uuid']}").get_data(as_text=True)
    assert '<div lang="ar" dir="rtl" class="lesson">' in page  # the preview of the saved translation


def test_a_half_done_translation_names_the_fields_as_the_form_does(client, course, trainer, login):
    login(trainer)
    whole = translation.parts(course)[0]
    assert whole["type"] == "course"
    client.get("/language/es")
    resp = client.post(
        f"/courses/manage/basics/translations/fr/{whole['uuid']}", data={"f_title": "La Convention en bref"}
    )
    page = resp.get_data(as_text=True)
    assert "(Título y Resumen" in page
    assert "title, summary" not in page and 'value="La Convention en bref"' in page


def test_a_preview_in_another_language_stays_in_it(client, course, trainer, login):
    login(trainer)
    page = client.get("/courses/manage/basics/preview/reporting?lang=fr").get_data(as_text=True)
    assert 'href="/courses/manage/basics/preview/history?lang=fr" rel="prev"' in page
    assert 'href="/courses/manage/basics/preview/check?lang=fr" rel="next"' in page
    # in the page's own language the links stay plain
    page = client.get("/courses/manage/basics/preview/reporting").get_data(as_text=True)
    assert 'href="/courses/manage/basics/preview/check" rel="next"' in page


def test_the_import_page_shows_the_package_layout(client, trainer, login):
    login(trainer)
    page = client.get("/courses/manage/import").get_data(as_text=True)
    assert "lessons/&lt;language&gt;/&lt;lesson&gt;.md, quizzes/&lt;quiz&gt;.yaml" in page
    assert "<language>" not in page


def test_the_translation_overview_names_languages_in_the_reader_s_language(client, course, trainer, login):
    login(trainer)
    client.get("/language/es")
    page = client.get("/courses/manage/basics/translations").get_data(as_text=True)
    # "francés" is Spanish: marking it lang="fr" would have it read with a French voice
    assert re.search(r'<a href="/courses/manage/basics/translations/fr">francés</a>', page)


def _fieldsets(html: str) -> list[str]:
    return re.findall(r"<fieldset[^>]*>.*?</fieldset>", html, flags=re.S)


def test_a_question_in_another_language_marks_its_texts_not_the_page_s(client, course, learner, login):
    """An English question on an Arabic page: the question's prompt and options are English, left to
    right; the legend ("السؤال 1 من 3"), hints and "True"/"False" stay Arabic, right to left."""
    login(learner)
    client.post("/courses/basics/enrol")
    client.get("/language/ar")
    url = client.post("/courses/basics/learn/check/attempts").headers["Location"]
    fieldsets = _fieldsets(client.get(url).get_data(as_text=True))
    assert len(fieldsets) == 3
    for fieldset in fieldsets:
        assert 'lang="en"' not in fieldset.split(">", 1)[0]
        assert 'class="prompt" lang="en" dir="ltr"' in fieldset
    single = next(f for f in fieldsets if "2017" in f)  # the quiz is shuffled
    assert single.count('lang="en" dir="ltr">20') == 3  # the options "2013", "2017", "2020"


def test_the_quiz_preview_marks_the_question_s_texts_not_the_page_s(client, course, trainer, login):
    login(trainer)
    client.get("/language/ar")
    fieldsets = _fieldsets(client.get("/courses/manage/basics/preview/check").get_data(as_text=True))
    assert fieldsets and all('lang="en"' not in f.split(">", 1)[0] for f in fieldsets)
    assert all('class="prompt" lang="en" dir="ltr"' in f for f in fieldsets)


def test_prerequisites_are_offered_by_their_title(client, course, trainer, login):
    login(trainer)
    page = client.get("/courses/manage/new").get_data(as_text=True)
    assert '<option value="basics">The Convention in brief</option>' in page


def test_course_titles_in_the_reader_s_language_else_the_source_else_the_short_name(app, course):
    from courses.models import Course, Translation
    from courses.services import texts

    db.session.add(
        Translation(
            course_id=course.id,
            item_uuid=course.uuid,
            item_type="course",
            language="fr",
            fields={"title": "La Convention en bref"},
        )
    )
    bare = Course(slug="bare", source_language="en")
    db.session.add(bare)
    db.session.flush()
    assert texts.course_titles([course, bare], "fr") == {course.id: "La Convention en bref", bare.id: "bare"}
    assert texts.course_titles([course], "ar") == {course.id: "The Convention in brief"}
    assert texts.course_titles([], "fr") == {}


def test_a_question_form_s_heading_takes_the_reader_s_punctuation(client, course, trainer, login):
    """French puts a space before a colon: "Nouvelle question : Choix unique", never "question: Choix"."""
    login(trainer)
    quiz = next(it for unit in course.units for it in unit.items if it.kind == "quiz")
    client.get("/language/fr")
    page = client.get(f"/courses/manage/basics/quizzes/{quiz.uuid}/questions/new?kind=single").get_data(
        as_text=True
    )
    assert "<h1>Nouvelle question\u00a0: Choix unique</h1>" in page


def test_a_half_done_translation_mentions_options_only_where_there_are_some(client, course, trainer, login):
    login(trainer)
    parts = translation.parts(course)
    whole = parts[0]
    page = client.post(
        f"/courses/manage/basics/translations/fr/{whole['uuid']}", data={"f_title": "La Convention en bref"}
    ).get_data(as_text=True)
    assert "Translate every required field (Title and Summary) or leave them all empty." in page
    single = next(p for p in parts if p["type"] == "question" and p["kind"] == "single")
    page = client.post(
        f"/courses/manage/basics/translations/fr/{single['uuid']}",
        data={"f_prompt": "Quand la Convention est-elle entrée en vigueur ?"},
    ).get_data(as_text=True)
    assert "Translate every required field (Question, and each option) or leave them all empty." in page


def test_a_preview_in_another_language_names_that_language_when_it_falls_back(client, course, trainer, login):
    """A lesson or quiz not yet translated into Spanish, previewed in Spanish from an English page:
    "not yet available in Spanish", not "in English; shown in English"."""
    login(trainer)
    lesson = client.get("/courses/manage/basics/preview/reporting?lang=es").get_data(as_text=True)
    assert "This lesson is not yet available in Spanish; shown in English." in lesson
    quiz = client.get("/courses/manage/basics/preview/check?lang=es").get_data(as_text=True)
    assert "This quiz is not yet available in Spanish; shown in English." in quiz


def test_the_course_outline_names_each_step_s_kind_with_the_reader_s_punctuation(
    client, course, trainer, login
):
    login(trainer)
    client.get("/language/fr")
    page = client.get("/courses/manage/basics").get_data(as_text=True)
    assert "Leçon\u00a0: <strong>History</strong>" in page and "Quiz\u00a0: <strong>" in page
    assert "Leçon: " not in page
