"""Language names: in the reader's language inside sentences, in themselves in the switcher; ``lang``
and ``dir`` for content in another language; the error summary's label separator is translatable."""

from __future__ import annotations

import io

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations
from flask import render_template_string
from flask_babel import Domain, force_locale
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from lms.i18n import lang_attrs, language_name, native_language_name


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fr", {"en": "anglais", "fr": "français", "ar": "arabe"}),
        ("ar", {"en": "الإنجليزية", "fr": "الفرنسية", "ar": "العربية"}),
        ("en", {"en": "English", "fr": "French", "ar": "Arabic"}),
    ],
)
def test_language_name_is_in_the_readers_language(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert {code: language_name(code) for code in expected} == expected
        rendered = render_template_string("{{ language_name('en') }}|{{ native_language_name('en') }}")
    assert rendered == f"{expected['en']}|English"


def test_language_name_of_an_unknown_code_falls_back_to_the_code(app):
    with app.test_request_context(), force_locale("fr"):
        assert language_name("xx-nope") == "xx-nope"


def test_native_names_for_the_switcher():
    assert [native_language_name(c) for c in ("en", "fr", "ar")] == ["English", "Français", "العربية"]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_switcher_keeps_each_language_in_its_own_name(client, lang):
    html = client.get(f"/language/{lang}?next=/", follow_redirects=True).get_data(as_text=True)
    assert f'<html lang="{lang}"' in html
    for code, name in (("en", "English"), ("fr", "Français"), ("ar", "العربية"), ("zh", "中文")):
        assert f'lang="{code}" hreflang="{code}"' in html and f">{name}</a>" in html


def test_lang_attrs_gives_language_and_direction():
    assert str(lang_attrs("en")) == 'lang="en" dir="ltr"'
    assert str(lang_attrs("ar")) == 'lang="ar" dir="rtl"'
    assert str(lang_attrs("de")) == 'lang="de" dir="ltr"'
    assert str(lang_attrs('"><script>')) == 'lang="&#34;&gt;&lt;script&gt;" dir="ltr"'
    assert str(lang_attrs(None)) == ""


def test_lang_attrs_is_a_template_global(app):
    with app.test_request_context():
        html = render_template_string("<p {{ lang_attrs('en') }}>x</p>")
    assert html == '<p lang="en" dir="ltr">x</p>'


class _NameForm(FlaskForm):
    name = StringField("Nom complet", validators=[DataRequired(message="Ce champ est requis.")])


def _french_separator(monkeypatch):
    catalog = Catalog(locale="fr")
    catalog.add("%(label)s: %(message)s", "%(label)s : %(message)s")
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    translations = Translations(buf)
    monkeypatch.setattr(Domain, "get_translations", lambda self: translations)


def test_error_summary_separator_is_translatable(app, monkeypatch):
    _french_separator(monkeypatch)
    with app.test_request_context(method="POST", data={"name": ""}):
        form = _NameForm()
        assert form.validate() is False
        html = render_template_string(
            '{% from "macros/forms.html" import form_errors %}{{ form_errors(form) }}', form=form
        )
    assert '<li><a href="#name">Nom complet</a> : Ce champ est requis.</li>' in html


def test_error_summary_escapes_label_and_message(app):
    class Form(FlaskForm):
        name = StringField("<b>Name</b>", validators=[DataRequired(message="<i>required</i>")])

    with app.test_request_context(method="POST", data={"name": ""}):
        form = Form()
        form.validate()
        html = render_template_string(
            '{% from "macros/forms.html" import form_errors %}{{ form_errors(form) }}', form=form
        )
    assert '<a href="#name">&lt;b&gt;Name&lt;/b&gt;</a>: &lt;i&gt;required&lt;/i&gt;' in html
