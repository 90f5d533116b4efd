"""Every readiness page type: renders for the roles that use it, in English and Arabic, with no inline
script or style (the CSP forbids them), headings in order, labelled fields, and small (< 60 KB gzipped)."""

from __future__ import annotations

import gzip
import re

import pytest

from lms.db import db
from tests.readiness.conftest import answer_all, full_answers, submit


@pytest.fixture
def submitted(assessment, coordinator, questionnaire):
    submit(assessment, coordinator, full_answers(questionnaire, 2))
    return assessment


def pages(a):
    return [
        "/readiness/",
        "/readiness/questionnaire",
        "/readiness/services",
        f"/readiness/a/{a.uuid}",
        f"/readiness/a/{a.uuid}/team",
        f"/readiness/a/{a.uuid}/section/reporting",
        f"/readiness/a/{a.uuid}/review",
        f"/readiness/a/{a.uuid}/result",
        f"/readiness/a/{a.uuid}/result/print",
        f"/readiness/a/{a.uuid}/benchmark",
        f"/readiness/a/{a.uuid}/audit",
    ]


def check_page(html: str, url: str):
    assert "<script>" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html), url
    assert " style=" not in html and "<style" not in html, url
    assert len(gzip.compress(html.encode())) < 60 * 1024, url
    levels = [int(h) for h in re.findall(r"<h([1-6])\b", html)]
    assert levels and levels[0] == 1 and levels.count(1) == 1, (url, levels)
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (url, levels)
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    for target in re.findall(r'<label[^>]*\bfor="([^"]+)"', html):
        assert target in ids, (url, target)
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if 'type="hidden"' in tag or 'type="submit"' in tag:
            continue
        field_id = re.search(r'\bid="([^"]+)"', tag)
        assert (
            field_id
            and re.search(rf'<label[^>]*for="{re.escape(field_id.group(1))}"', html)
            or "aria-label=" in tag
        ), (url, tag)
    for table in re.findall(r"<table>.*?</table>", html, re.S):
        assert "<th scope=" in table, url


@pytest.mark.parametrize("lang", ["en", "ar", "fr"])
def test_every_page_type_renders_accessibly(client_for, submitted, coordinator, secretariat, lang):
    c = client_for(coordinator)
    c.get(f"/language/{lang}")
    for url in pages(submitted):
        resp = c.get(url)
        assert resp.status_code == 200, url
        html = resp.get_data(as_text=True)
        assert f'lang="{lang}"' in html
        if lang == "ar":
            assert 'dir="rtl"' in html
        check_page(html, url)
    admin = client_for(secretariat)
    admin.get(f"/language/{lang}")
    html = admin.get("/readiness/secretariat").get_data(as_text=True)
    check_page(html, "/readiness/secretariat")


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ar", "هل لدى كل من يتعين عليه إدخال بيانات التقرير أو مراجعتها حساب فعّال"),
        ("zh", "需要录入或审查报告数据的每个人是否都拥有可用的在线报告工具账户"),
        ("ru", "Есть ли у всех, кто должен вводить или проверять данные доклада"),
    ],
)
def test_the_questionnaire_is_complete_in_arabic_chinese_and_russian(
    client_for, assessment, coordinator, lang, text
):
    c = client_for(coordinator)
    c.get(f"/language/{lang}")
    html = c.get(f"/readiness/a/{assessment.uuid}/section/reporting").get_data(as_text=True)
    assert text in html
    assert 'class="notice" role="note"' not in html  # nothing falls back to English
    assert "Does everyone who must enter or review report data" not in html


def test_french_questionnaire_text(client_for, assessment, editor):
    c = client_for(editor)
    c.get("/language/fr")
    html = c.get(f"/readiness/a/{assessment.uuid}/section/reporting").get_data(as_text=True)
    assert "Comment le rapport national au titre de l’article 21 est-il établi\u00a0?" in html
    assert 'role="note"' not in html  # no fallback in French


def test_section_page_without_javascript_has_a_save_button_and_labelled_choices(
    client_for, assessment, editor
):
    html = client_for(editor).get(f"/readiness/a/{assessment.uuid}/section/reporting").get_data(as_text=True)
    assert html.count("<fieldset") >= 4 and html.count("<legend>") >= 4
    assert '<button type="submit">Save this section</button>' in html
    assert 'src="/readiness/static/readiness.js' in html and "defer" in html  # with or without ?v=


def test_public_pages_for_visitors(client):
    html = client.get("/readiness/").get_data(as_text=True)
    assert "Start the assessment" not in html
    # One sentence, one link: translators order the words (not "Sign in" + "to take part ..." glued).
    assert "Sign in to take part in your country's assessment</a>" in html
    html = client.get("/readiness/questionnaire").get_data(as_text=True)
    assert html.count('<h2 id="dim-') == 8 and "key question" in html
    html = client.get("/readiness/services").get_data(as_text=True)
    assert 'id="reporting-review"' in html


def test_index_lists_the_users_assessments_and_start_form(
    client_for, assessment, coordinator, editor, make_user
):
    html = client_for(coordinator).get("/readiness/").get_data(as_text=True)
    assert "Start the assessment" in html and f"/readiness/a/{assessment.uuid}" in html
    html = client_for(editor).get("/readiness/").get_data(as_text=True)
    assert "Start the assessment" not in html and f"/readiness/a/{assessment.uuid}" in html
    outsider = make_user(role="learner", country_code="FR")
    html = client_for(outsider).get("/readiness/").get_data(as_text=True)
    assert f"/readiness/a/{assessment.uuid}" not in html


def test_a_coordinator_without_an_assessment_is_told_to_start_one(client_for, coordinator):
    # Not "your country coordinator can start one and invite you", addressed to that very coordinator.
    html = client_for(coordinator).get("/readiness/").get_data(as_text=True)
    assert "As its coordinator, start one below" in html
    assert "Your country coordinator can start one" not in html


def test_a_learner_whose_country_has_no_coordinator_is_told_whom_to_ask(client_for, coordinator, make_user):
    # Waiting for "your country coordinator" to invite you leads nowhere when the country has none.
    alone = make_user(role="learner", country_code="CN")
    html = client_for(alone).get("/readiness/").get_data(as_text=True)
    assert "Your country has no coordinator on the platform yet" in html
    colleague = make_user(role="learner", country_code=coordinator.country_code)
    html = client_for(colleague).get("/readiness/").get_data(as_text=True)
    assert "no coordinator on the platform" not in html
    assert "Your country coordinator can start one and invite you." in html


def _answered_cells(html: str) -> list[str]:
    """The "Answered" cell of every row of the first table with an "Answered" column, as text."""
    table = re.search(r"<table>.*?</table>", html[html.index(">Answered<") - 2000 :], re.S).group(0)
    heads = re.findall(r'<th scope="col">(.*?)</th>', table)
    col = heads.index("Answered")
    out = []
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("</thead>")[1], re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        out.append(" ".join(re.sub(r"<[^>]+>", " ", cells[col]).split()))
    return out


def test_overview_answers_page_and_result_count_dont_know_alike(
    client_for, assessment, coordinator, questionnaire
):
    """A "don't know" is not counted as answered on any page (it does not count towards a level), and
    each page says how many "don't know" answers a section has."""
    answers = {**full_answers(questionnaire, 3), "5.5": "dk", "5.4": "dk"}
    submit(assessment, coordinator, answers)
    c = client_for(coordinator)
    overview = c.get(f"/readiness/a/{assessment.uuid}").get_data(as_text=True)
    result = c.get(f"/readiness/a/{assessment.uuid}/result").get_data(as_text=True)
    review = c.get(f"/readiness/a/{assessment.uuid}/review").get_data(as_text=True)
    row = [d.id for d in questionnaire.dimensions].index("opendata")
    on_overview, on_result = _answered_cells(overview)[row], _answered_cells(result)[row]
    assert on_overview.startswith("3 of 5 (2 “don't know”)"), on_overview
    # nothing is left to answer, but 3 of 5 is too few for a level: no tick, the reason instead
    assert on_overview.endswith("No level: fewer than 70 % answered"), on_overview
    assert on_result == "3 of 5 (2 “don't know”)"
    assert "(3 of 5 answered, 2 “don't know”)" in review
    assert _answered_cells(overview)[0] == "5 of 5 ✓" and _answered_cells(result)[0] == "5 of 5"


def test_overview_does_not_tick_a_section_that_gets_no_level(
    client_for, assessment, coordinator, questionnaire
):
    """A section answered mostly with "don't know" has nothing left to answer but gets no level on the
    result: the overview shows the same rule (the threshold of scoring.py) instead of a tick."""
    from readiness import scoring

    dim = next(d for d in questionnaire.dimensions if sum(it.allow_dk for it in d.items) >= 3)
    dk_items = [it.id for it in dim.items if it.allow_dk][:3]
    answers = {**full_answers(questionnaire, 3), **dict.fromkeys(dk_items, "dk")}
    submit(assessment, coordinator, answers)
    c = client_for(coordinator)
    overview = c.get(f"/readiness/a/{assessment.uuid}").get_data(as_text=True)
    result = c.get(f"/readiness/a/{assessment.uuid}/result").get_data(as_text=True)
    row = [d.id for d in questionnaire.dimensions].index(dim.id)
    cell = _answered_cells(overview)[row]
    assert "(3 “don't know”)" in cell, cell
    assert "✓" not in cell
    assert cell.endswith(f"No level: fewer than {scoring.min_coverage_percent()} % answered"), cell
    assert "No level (fewer than 70 % of the questions answered)" in result
    # a fully answered section keeps its tick
    assert _answered_cells(overview)[row + 1].endswith("✓")


def test_pages_state_the_coverage_rule_scoring_applies(
    client_for, assessment, coordinator, questionnaire, monkeypatch
):
    """Every page explaining the rule reads the threshold from scoring.py, not a copy of it."""
    from readiness import scoring, services

    monkeypatch.setattr(scoring, "MIN_COVERAGE", 0.8)
    dim = questionnaire.dimensions[0]
    answers = full_answers(questionnaire, 3)
    for item in dim.items[:2]:
        del answers[item.id]
    c = client_for(coordinator)
    answer_all(assessment, coordinator, answers)
    services.send_to_review(assessment, coordinator)
    db.session.commit()
    overview = c.get(f"/readiness/a/{assessment.uuid}").get_data(as_text=True)
    assert "sections with fewer than 80 % of their questions answered get no level" in overview
    services.submit(assessment, coordinator)
    db.session.commit()
    result = c.get(f"/readiness/a/{assessment.uuid}/result").get_data(as_text=True)
    assert "No level (fewer than 80 % of the questions answered)" in result
    assert "70 %" not in overview + result


def _zh_catalog(app, monkeypatch, entries: dict):
    from flask_babel import force_locale, get_translations

    with app.test_request_context(), force_locale("zh"):
        catalog = get_translations()._catalog
    for msgid, msgstr in entries.items():
        monkeypatch.setitem(catalog, msgid, msgstr)


def test_sentences_around_lists_are_composed_by_the_translation(
    app, monkeypatch, client_for, assessment, coordinator, editor, reviewer
):
    """Lists, colons and full stops come from the reader's language: a Chinese page gets no Latin full
    stop after a list of questions, no ": " after a dimension, no ", " between two roles."""
    from readiness import services
    from tests.readiness.conftest import answer_all

    _zh_catalog(
        app,
        monkeypatch,
        {
            "Not asked because of earlier answers: %(items)s.": "因先前的回答而未提问：%(items)s。",
            "%(author)s, %(when)s (%(section)s): %(text)s": "%(author)s，%(when)s（%(section)s）：%(text)s",
        },
    )
    answer_all(assessment, coordinator, {"1.1": 0})
    services.set_submitter(assessment, coordinator, editor.id)
    services.add_note(assessment, reviewer, "<b>comptes</b>", dimension_id="governance")
    db.session.commit()
    c = client_for(coordinator)
    c.get("/language/zh")
    section = c.get(f"/readiness/a/{assessment.uuid}/section/governance").get_data(as_text=True)
    assert "因先前的回答而未提问：1.5。" in section and "1.5." not in section
    team = c.get(f"/readiness/a/{assessment.uuid}/team").get_data(as_text=True)
    assert "部分编辑和提交人" in team and ", 提交人" not in team
    review = c.get(f"/readiness/a/{assessment.uuid}/review").get_data(as_text=True)
    assert "<strong><bdi>Hugo Reviewer</bdi></strong>，" in review
    assert "（治理与协调）：&lt;b&gt;comptes&lt;/b&gt;" in review


def test_strengths_and_gaps_use_the_readers_colon(app, client_for, submitted, coordinator):
    c = client_for(coordinator)
    c.get("/language/zh")
    page = c.get(f"/readiness/a/{submitted.uuid}/result").get_data(as_text=True)
    gaps = page[page.index('id="strengths-h"') :][:3000]
    assert '：<span class="r-level' in gaps and ': <span class="r-level' not in gaps
    c.get("/language/fr")
    page = c.get(f"/readiness/a/{submitted.uuid}/result").get_data(as_text=True)
    assert '\xa0: <span class="r-level' in page[page.index('id="strengths-h"') :][:3000]


def test_scores_are_percentages_in_the_readers_language(client_for, submitted, coordinator):
    """72% in English and Chinese, 72 % (no-break space, never a line break) in French and Russian."""
    c = client_for(coordinator)
    page = c.get(f"/readiness/a/{submitted.uuid}/result").get_data(as_text=True)
    scores = re.findall(r"<td>(\d+\W*%)</td>", page)
    assert scores and all(re.fullmatch(r"\d+%", s) for s in scores), scores
    for lang, sep in (("fr", "\u00a0"), ("ru", "\u00a0"), ("zh", "")):
        c.get(f"/language/{lang}")
        page = c.get(f"/readiness/a/{submitted.uuid}/result").get_data(as_text=True)
        scores = re.findall(r"<td>(\d+\W*%)</td>", page)
        assert scores and all(re.fullmatch(rf"\d+{sep}%", s) for s in scores), (lang, scores)


def test_names_inside_sentences_are_isolated_from_the_sentence_direction(
    client_for, assessment, coordinator, editor
):
    """In "آخر حفظ بواسطة Camille Editor، …" the Latin name is a <bdi>, so that the Arabic comma after it
    stays after it instead of jumping between the name and the Arabic words."""
    from tests.readiness.conftest import answer_all

    answer_all(assessment, editor, {"2.1": 3})
    c = client_for(coordinator)
    c.get("/language/ar")
    page = c.get(f"/readiness/a/{assessment.uuid}/section/reporting").get_data(as_text=True)
    assert "<bdi>Camille Editor</bdi>،" in page


def test_the_overview_says_which_sections_each_colleague_may_edit(client_for, assessment, editor):
    # A column headed "You can" with "edit" / "read" in its cells read as a fragment, not an answer.
    client = client_for(editor)
    client.get("/language/en")
    html = client.get(f"/readiness/a/{assessment.uuid}").get_data(as_text=True)
    assert '<th scope="col">Your access</th>' in html
    assert html.count("<td>Edit</td>") == 2 and "<td>Read only</td>" in html  # editor of reporting and data
