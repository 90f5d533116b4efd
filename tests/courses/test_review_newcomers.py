"""Defects a fresh review found by using the courses plugin as new users would, in French and Arabic:
language names inside sentences, refusals shown on the field they are about, plurals."""

from __future__ import annotations

import re

from flask import g

from lms.db import db


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
