"""The offline bundle's own words inside content shown in another language: in an Arabic bundle of an
English kit, a question is English (left to right) while its hint, True and False and the column headings
are the bundle's Arabic and say so, so they read right to left with their full stop on the left."""

from __future__ import annotations

import io
import re
import zipfile

from lms.db import db
from tests.courses.kits.conftest import build_kit

RTL = 'lang="ar" dir="rtl"'


def _sheet(client, language: str) -> str:
    """The test sheet of the facilitators' bundle (the only one that has it)."""
    url = f"/courses/kits/trade/offline/{language}.zip?answers=1"
    with zipfile.ZipFile(io.BytesIO(client.get(url).data)) as zf:
        return zf.read("test-sheet.html").decode("utf-8")


def _build(trainer):
    from courses.services import kits as authoring
    from courses.services.kits_snapshot import publish

    kit = build_kit(trainer, publish=False)
    authoring.add_question(
        trainer,
        kit,
        kind="multiple",
        data={
            "prompt": "Which movements need consent?",
            "options": [
                {"id": "a", "text": "Export", "correct": True},
                {"id": "b", "text": "Import", "correct": True},
                {"id": "c", "text": "Storage"},
            ],
        },
    )
    authoring.add_question(
        trainer,
        kit,
        kind="matching",
        data={
            "prompt": "Match each article to its subject.",
            "pairs": [
                {"id": "p1", "source": "Art. 3", "target": "Supply and trade"},
                {"id": "p2", "source": "Art. 8", "target": "Emissions"},
            ],
        },
    )
    authoring.add_question(
        trainer,
        kit,
        kind="ordering",
        data={
            "prompt": "Put the steps in order.",
            "items": [{"id": "s1", "text": "Notify"}, {"id": "s2", "text": "Export"}],
        },
    )
    publish(trainer, kit)
    db.session.commit()


def test_the_arabic_sheet_s_own_words_in_an_english_question_are_marked_arabic(app, client, trainer, login):
    _build(trainer)
    login(trainer)
    sheet = _sheet(client, "ar")
    assert '<li lang="en" dir="ltr">' in sheet  # the question keeps its language
    assert f'<p class="hint" {RTL}>ضع علامة على كل إجابة صحيحة.</p>' in sheet
    assert len(re.findall(f"<li>☐ <span {RTL}>[^<]+</span></li>", sheet)) == 2  # True, False
    assert f'<th scope="col" {RTL}>' in sheet
    assert sheet.count(f'<p class="hint" {RTL}>') == 2  # the multiple-choice and the ordering hints
    assert '<p class="hint">' not in sheet


def test_a_sheet_in_the_kit_s_own_language_adds_no_attributes(app, client, trainer, login):
    _build(trainer)
    login(trainer)
    sheet = _sheet(client, "en")
    assert '<p class="hint">Tick every correct answer.</p>' in sheet
    assert "☐ True" in sheet and 'lang="' not in sheet.split("<body>", 1)[1]


def _file(client, name: str, query: str = "") -> str:
    with zipfile.ZipFile(io.BytesIO(client.get(f"/courses/kits/trade/offline/ar.zip{query}").data)) as zf:
        return zf.read(name).decode("utf-8")


def test_case_study_headings_and_the_answer_key_label_are_the_bundle_s_words(app, client, trainer, login):
    """The same for the case studies' headings and labels and the answer key's "Answer:" and True/False,
    which the kit's page in Arabic shares."""
    _build(trainer)
    cases = _file(client, "case-studies.html")
    assert '<article class="case-study" lang="en" dir="ltr"' in cases
    assert len(re.findall(f"<h3 {RTL}>", cases)) == 4 * cases.count('<article class="case-study"')
    assert f"<dt {RTL}>" in cases
    login(trainer)
    key = _file(client, "answer-key.html", "?answers=1")
    assert f"<strong {RTL}>" in key and "<strong>" not in key
    client.get("/language/ar")
    page = client.get("/courses/kits/trade").get_data(as_text=True)
    assert f"<h4 {RTL}>" in page
