"""Languages: the six UN languages, locale choice and text direction.

The locale is chosen in this order: an explicit choice (stored on the account for signed-in users, in
the session for visitors) -> the browser's Accept-Language -> English.
"""

from __future__ import annotations

import os
import unicodedata
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_interval
from babel.units import format_unit
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from lms.config import LANGUAGES
from lms.extensions import babel
from lms.timezones import select_zone


def supported() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def select_locale() -> str:
    langs = supported()
    if not has_request_context():  # CLI commands and scheduled jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in langs:
        if session.get("lang") in (None, current_user.locale):
            return current_user.locale
    chosen = session.get("lang")
    if chosen in langs:
        return chosen
    return request.accept_languages.best_match(langs) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or "en").split("_")[0]


def text_direction(code: str | None = None) -> str:
    return LANGUAGES.get(code or current_language(), ("", "ltr"))[1]


def language_name(code: str, locale: str | None = None) -> str:
    """A language's name in the reader's UI language (``locale``, default the current one), as Babel
    gives it: "anglais" on a French page, "الإنجليزية" on an Arabic one. Use it in running text
    ("not available in %(language)s"); only the language switcher shows each language's own name
    (:func:`native_language_name`)."""
    return _display_name(code, locale or current_language())


@lru_cache(maxsize=256)
def _display_name(code: str, locale: str) -> str:
    try:
        name = Locale.parse(code).get_display_name(Locale.parse(locale))
    except (ValueError, UnknownLocaleError):
        name = None
    return name or native_language_name(code)


def native_language_name(code: str) -> str:
    """A language's name in itself ("Français", "العربية"): what a language switcher shows."""
    return LANGUAGES.get(code, (code, "ltr"))[0]


def lang_attrs(code: str | None) -> Markup:
    """``lang="en" dir="ltr"`` for content in language ``code`` (its direction from
    :data:`lms.config.LANGUAGES`): English fallback text inside an Arabic page needs its own direction,
    or its punctuation jumps to the wrong end. Empty for an unknown or missing code."""
    if not code:
        return Markup("")
    return Markup('lang="{}" dir="{}"').format(code, text_direction(code) if code in LANGUAGES else "ltr")


def list_text(items) -> str:
    """``items`` written as a list in the reader's language: "A, B and C", "A، B وC", "A、B和C"."""
    from babel.lists import format_list

    return format_list([str(i) for i in items], locale=get_locale() or "en")


# The comma between details of one thing. Not CLDR's list patterns: they join with "and" (Arabic
# repeats "و" before every item) and Chinese lists take the enumeration comma "、", not "，".
_DETAILS_SEPARATOR = {"zh": "，", "ar": "، "}
# The opening carries the space the language puts before it: full-width parentheses bring their own.
_PARENTHESES = {"zh": ("（", "）")}
_SENTENCE_SEPARATOR = {"zh": ""}


def date_range_text(start, end) -> str:
    """The days from ``start`` to ``end`` the reader's way, one date when they are the same day:
    "Jan 30 – Feb 2, 2026", "24–26 janv. 2026", "2026年1月24日至26日"."""
    return format_interval(start, end, "yMMMd", locale=str(get_locale() or "en"))


# Babel's CLDR unit names, from bytes up: the unit's abbreviation comes translated with the number.
_SIZE_UNITS = ("digital-byte", "digital-kilobyte", "digital-megabyte", "digital-gigabyte")


def isolate(text) -> str:
    """``text`` between Unicode directional isolates (FSI … PDI): codes, names or lists in Latin letters
    set inside a sentence of another direction keep their own order and leave the sentence's
    punctuation (brackets, colons) where it belongs, in plain text (mail, refusals) as in HTML."""
    return f"\u2068{text}\u2069"


def file_size(num: int | None) -> str:
    """A file size with the unit the reader's language writes, one decimal from a kilobyte up
    ("93,8 ko", "1.2 MB", "392 Б"); empty for ``None``."""
    if num is None:
        return ""
    size, unit = float(num), 0
    while size >= 1024 and unit < len(_SIZE_UNITS) - 1:
        size /= 1024
        unit += 1
    value = int(size) if unit == 0 else round(size, 1)
    return format_unit(value, _SIZE_UNITS[unit], length="short", locale=get_locale())


def details_text(items, language: str | None = None) -> Markup:
    """Details of one thing (a file's format and size, a workshop's city, country and date) in the
    punctuation of ``language`` (default: the reader's): "MP4, 12 MB", "MP4，12 MB", "MP4، 12 MB".
    Empty items are left out; items are escaped unless they are markup."""
    sep = _DETAILS_SEPARATOR.get(language or _reader_language(), ", ")
    return Markup(sep).join(item for item in items if item not in (None, ""))  # noqa: S704 - our constant


def details_in_parentheses(items, language: str | None = None) -> Markup:
    """:func:`details_text` between the reader's parentheses, to write right after a name (no space
    between): " (MP4, 12 MB)", "（MP4，12 MB）" (Chinese text takes full-width parentheses, with no space
    before them); empty when every item is."""
    text = details_text(items, language)
    if not text:
        return Markup("")
    opening, closing = _PARENTHESES.get(language or _reader_language(), (" (", ")"))
    return Markup("{}{}{}").format(opening, text, closing)


def sentences(items) -> Markup:
    """Whole sentences (a field's errors, a refusal and its details) one after another the reader's
    way: a space between them, none in Chinese (its full stop brings its own room). Empty items are
    left out; items are escaped unless they are markup."""
    sep = _SENTENCE_SEPARATOR.get(_reader_language(), " ")
    return Markup(sep).join(item for item in items if item)  # noqa: S704 - our constant


def _reader_language() -> str:
    return str(get_locale() or "en").split("_")[0]


def labelled(label, value) -> Markup:
    """``value`` introduced by ``label`` the reader's way: "Transcript: Title", "Transcription : Titre",
    "文字记录：标题". Both are escaped unless they are markup (a title in a ``<span lang>``)."""
    from flask_babel import gettext

    pattern = gettext("%(label)s: %(message)s", label="%(label)s", message="%(message)s")
    # The pattern is our catalogue's text; Markup's % escapes the values that are not markup.
    return Markup(pattern) % {"label": label, "message": value}  # noqa: S704


@lru_cache(maxsize=16)
def _list_separators(locale: str) -> dict[str, str]:
    patterns = Locale.parse(locale).list_patterns["standard"]
    return {
        key: patterns[key].replace("{0}", "").replace("{1}", "") for key in ("2", "start", "middle", "end")
    }


def list_separator(index: int, length: int) -> str:
    """What follows item ``index`` (0-based) of ``length`` items written as a list in the reader's
    language, as :func:`list_text` would join them ("" after the last). For lists built in a template
    loop whose items are markup (links): ``{{ list_sep(loop) }}``."""
    if index >= length - 1:
        return ""
    seps = _list_separators(str(get_locale() or "en"))
    if length == 2:
        return seps["2"]
    return seps["end"] if index == length - 2 else seps["start" if index == 0 else "middle"]


@lru_cache(maxsize=16)
def _percent_pattern(locale: str, max_decimals: int) -> str:
    pattern = Locale.parse(locale).percent_formats[None].pattern
    if max_decimals:
        # "#,##0%" -> "#,##0.#%": the locale's sign, spacing and order, with up to that many decimals.
        head, zero, tail = pattern.rpartition("0")
        pattern = head + zero + "." + "#" * max_decimals + tail
    return pattern


def percent_text(share: float, max_decimals: int = 0) -> str:
    """A share (0-1) as a percentage written the reader's way: "72%" in English, "72 %" (no-break
    space) in French and Russian, with up to ``max_decimals`` decimals ("41,4 %")."""
    from flask_babel import format_percent

    locale = str(get_locale() or "en")
    return format_percent(share, _percent_pattern(locale, max_decimals))


def collation_key(text: str) -> str:
    """A match key that ignores accents and case ("dechets" matches "déchets"), and the sort key of
    :func:`sort_key` outside Chinese: the NFKD form without combining marks, casefolded."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def sort_key(text: str, locale: str | None = None) -> tuple:
    """The key to sort names and titles as readers of ``locale`` (default: the reader's language)
    expect: accents and case ignored ("Égypte" among the E's, "Bénin" after "Belgique"); in Chinese,
    by pinyin then tone ("阿尔及利亚" Aerjiliya before "巴西" Baxi), as Chinese dictionaries and ICU's
    default Chinese collation order them, not by code point. Python has no ICU collation; this is
    close enough for the names and titles of the six UN languages. Ties fall back to the text."""
    text = text or ""
    lang = str(locale or current_language()).replace("-", "_").split("_")[0]
    if lang == "zh":
        letters, tones = _pinyin(text)
        return (letters, tones, text)
    return (collation_key(text), "", text)


# Readings that differ from the characters' usual ones inside these country names. pypinyin's phrase
# dictionary knows them, but costs some 45 MB in every worker process; besides these two, it reads no
# country name differently (tests/lms/test_locale_text.py checks that against the full dictionary).
PHRASE_READINGS = {"秘鲁": [["bì"], ["lǔ"]], "巴勒斯坦": [["bā"], ["lè"], ["sī"], ["tǎn"]]}


@cache
def _pypinyin():
    # Read by pypinyin when first imported: without it the phrase dictionary is loaded (see above).
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    import pypinyin

    pypinyin.load_phrases_dict(PHRASE_READINGS)
    return pypinyin


@lru_cache(maxsize=8192)
def _pinyin(text: str) -> tuple[str, str]:
    """``(syllables without tones, tone digits)``: Han characters read in pinyin (a character with
    several readings takes its usual one, or the one a word of :data:`PHRASE_READINGS` needs), other
    characters kept as they are."""
    pypinyin = _pypinyin()
    letters = collation_key("".join(pypinyin.lazy_pinyin(text, style=pypinyin.Style.NORMAL)))
    numbered = "".join(pypinyin.lazy_pinyin(text, style=pypinyin.Style.TONE3, neutral_tone_with_five=True))
    tones = "".join(ch for ch in numbered if ch.isdigit())
    return letters, tones


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_zone)
