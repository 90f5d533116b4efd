"""Lists and percentages in running text are written in the reader's language: ``list_text`` for plain
items, ``{{ list_sep(loop) }}`` in template loops whose items are markup (links), ``|percentage`` for a
whole percentage."""

from __future__ import annotations

import pytest
from flask import render_template_string
from flask_babel import force_locale

from lms.i18n import list_separator, list_text


@pytest.mark.parametrize("locale", ["en", "fr", "es", "ar", "zh", "ru"])
@pytest.mark.parametrize("length", [1, 2, 3, 4, 5])
def test_separators_join_a_list_as_list_text_does(app, locale, length):
    items = [f"item{i}" for i in range(length)]
    with app.test_request_context(), force_locale(locale):
        joined = "".join(item + list_separator(i, length) for i, item in enumerate(items))
        assert joined == list_text(items)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", '<a href="/1">1</a>, <a href="/2">2</a>, and <a href="/3">3</a>'),
        ("fr", '<a href="/1">1</a>, <a href="/2">2</a> et <a href="/3">3</a>'),
        ("ar", '<a href="/1">1</a> و<a href="/2">2</a> و<a href="/3">3</a>'),
        ("zh", '<a href="/1">1</a>、<a href="/2">2</a>和<a href="/3">3</a>'),
    ],
)
def test_a_template_loop_of_links_is_a_list_in_the_readers_language(app, locale, expected):
    template = '{% for n in [1, 2, 3] %}<a href="/{{ n }}">{{ n }}</a>{{ list_sep(loop) }}{% endfor %}'
    with app.test_request_context(), force_locale(locale):
        assert render_template_string(template) == expected
        assert render_template_string("{{ ['a<b', 'c'] | list_text }}") in (
            "a&lt;b and c",
            "a&lt;b et c",
            "a&lt;b وc",
            "a&lt;b和c",
        )


@pytest.mark.parametrize(("locale", "expected"), [("en", "75%"), ("fr", "75\xa0%"), ("ru", "75\xa0%")])
def test_a_percentage_is_written_in_the_readers_language(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert render_template_string("{{ 75|percentage }}|{{ none|percentage }}") == expected + "|"


@pytest.mark.parametrize(
    ("locale", "whole", "one_decimal"),
    [
        ("en", "41%", "41.4%"),
        ("fr", "41\u00a0%", "41,4\u00a0%"),
        ("es", "41\u00a0%", "41,4\u00a0%"),
        ("ru", "41\u00a0%", "41,4\u00a0%"),
        ("zh", "41%", "41.4%"),
    ],
)
def test_percent_text_follows_the_readers_language(app, locale, whole, one_decimal):
    from lms.i18n import percent_text

    with app.test_request_context(), force_locale(locale):
        assert percent_text(0.4138) == whole
        assert percent_text(0.4138, 1) == one_decimal
        assert percent_text(0.5, 1) == whole.replace("41", "50")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fr", ["Belgique", "Bénin", "Égypte", "Équateur", "Espagne", "estonie"]),
        # Chinese: by pinyin (Aerjiliya, Baxi, Bilu, Malaixiya, Mali, Zhongguo), not by code point, where
        # 中 (U+4E2D) comes first; 秘 reads "bi" in 秘鲁 (alone it is "mi").
        ("zh_Hans", ["阿尔及利亚", "巴西", "秘鲁", "马来西亚", "马里", "中国"]),
    ],
)
def test_names_sort_as_readers_of_the_language_expect(locale, expected):
    from lms.i18n import sort_key

    shuffled = expected[3:] + expected[:3]
    assert sorted(shuffled, key=lambda n: sort_key(n, locale)) == expected


def test_sort_key_defaults_to_the_readers_language(app):
    from lms.i18n import sort_key

    with app.test_request_context(), force_locale("zh"):
        assert sorted(["中国", "巴西"], key=sort_key) == ["巴西", "中国"]
    with app.test_request_context(), force_locale("en"):
        assert sorted(["中国", "巴西"], key=sort_key) == ["中国", "巴西"]


def test_country_names_are_read_as_the_full_phrase_dictionary_reads_them():
    """The platform loads pypinyin without its phrase dictionary (PHRASE_READINGS stands in for it):
    every Chinese country name must still have the syllables the whole dictionary gives it. (Tones
    only break ties; there the whole dictionary is not better: it reads 乌拉圭 "wu la5 gui", Uruguay
    is Wūlāguī.)"""
    import json
    import os
    import subprocess
    import sys

    from lms.countries import country_choices
    from lms.i18n import _pinyin, collation_key

    names = [name for _code, name in country_choices("zh")]
    script = (
        "import json, sys; from pypinyin import lazy_pinyin; "
        "print(json.dumps({n: ''.join(lazy_pinyin(n)) for n in json.loads(sys.stdin.read())}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYPINYIN_")}
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(names),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    full = {name: collation_key(letters) for name, letters in json.loads(done.stdout).items()}
    assert len(full) == 196
    assert {n: _pinyin(n)[0] for n in names if _pinyin(n)[0] != full[n]} == {}


@pytest.mark.parametrize(
    ("locale", "details", "labelled"),
    [
        ("en", "MP4, 12 kB, &lt;b&gt;", 'Transcript: <span lang="fr">Titre</span>'),
        ("fr", "MP4, 12 kB, &lt;b&gt;", 'Transcript\u00a0: <span lang="fr">Titre</span>'),
        ("zh", "MP4，12 kB，&lt;b&gt;", 'Transcript：<span lang="fr">Titre</span>'),
        ("ar", "MP4، 12 kB، &lt;b&gt;", 'Transcript: <span lang="fr">Titre</span>'),
    ],
)
def test_details_and_labels_take_the_readers_punctuation(app, locale, details, labelled):
    template = (
        "{{ ['MP4', '12 kB', '', '<b>']|details }}|"
        "{% set t %}<span lang=\"fr\">Titre</span>{% endset %}{{ labelled('Transcript', t) }}|"
        "{{ labelled('<i>', 'x') }}"
    )
    with app.test_request_context(), force_locale(locale):
        shown, label, escaped = render_template_string(template).split("|")
    assert shown == details and label == labelled
    assert escaped.startswith("&lt;i&gt;") and "<i>" not in escaped


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "Video (MP4, 12 kB)"),
        ("fr", "Video (MP4, 12 kB)"),
        ("zh", "Video（MP4，12 kB）"),  # no space before full-width parentheses
        ("ar", "Video (MP4، 12 kB)"),
    ],
)
def test_details_in_parentheses_take_the_readers_parentheses(app, locale, expected):
    template = "Video{{ ['MP4', '12 kB']|details_in_parentheses }}|{{ ['', None]|details_in_parentheses }}"
    with app.test_request_context(), force_locale(locale):
        shown, empty = render_template_string(template).split("|")
    assert shown == expected and empty == ""


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", ["392 byte", "12.5 kB", "3.2 MB"]),
        ("fr", ["392\u202fo", "12,5\u202fko", "3,2\u202fMo"]),
        ("ru", ["392 Б", "12,5 кБ", "3,2 МБ"]),
    ],
)
def test_file_sizes_take_the_units_of_the_readers_language(app, locale, expected):
    template = "{{ 392|filesize }}|{{ 12800|filesize }}|{{ (3.2 * 1024 * 1024)|int|filesize }}"
    with app.test_request_context(), force_locale(locale):
        assert render_template_string(template).split("|") == expected


@pytest.mark.parametrize(
    ("locale", "sentences", "expected"),
    [
        ("en", ["Too long.", "<b>Shorten</b> it."], "Too long. &lt;b&gt;Shorten&lt;/b&gt; it."),
        ("ar", ["طويل جدا.", "", "اختصره."], "طويل جدا. اختصره."),
        ("zh", ["太长。", "请缩短。"], "太长。请缩短。"),  # the full stop brings its own room
    ],
)
def test_sentences_follow_each_other_the_readers_way(app, locale, sentences, expected):
    with app.test_request_context(), force_locale(locale):
        shown = render_template_string("{{ items|sentences }}", items=sentences)
    assert shown == expected


@pytest.mark.parametrize(
    ("locale", "last_day", "expected"),
    [
        ("fr", 12, "10–12 mars 2031"),
        ("zh", 12, "2031年3月10日至12日"),
        ("ru", 10, "10 мар. 2031\u202fг."),  # one day: one date
    ],
)
def test_a_range_of_days_is_written_the_readers_way(app, locale, last_day, expected):
    from datetime import date

    from lms.i18n import date_range_text

    with app.test_request_context(), force_locale(locale):
        assert date_range_text(date(2031, 3, 10), date(2031, 3, last_day)) == expected
