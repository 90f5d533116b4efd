"""The UI catalogues: every string translated into the five other UN languages, placeholders intact,
Arabic plurals as CLDR has them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent / "translations"
COMPLETE = ["fr", "es", "zh", "ar", "ru"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def _catalog(lang):
    with (ROOT / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def _strings(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _missing(catalog, only_sources=None):
    out = []
    for msg in catalog:
        if not msg.id:
            continue
        if only_sources and not any(loc[0].startswith(only_sources) for loc in msg.locations):
            continue
        if msg.fuzzy or not all(_strings(msg.string)):
            out.append(_strings(msg.id)[0])
    return out


@pytest.mark.parametrize("lang", COMPLETE)
def test_complete_catalogues_have_every_string(lang):
    missing = _missing(_catalog(lang))
    assert not missing, f"{len(missing)} untranslated in {lang}, e.g. {missing[:5]}"


@pytest.mark.parametrize("lang", COMPLETE)
def test_translations_keep_their_placeholders(lang):
    wrong = []
    for msg in _catalog(lang):
        if not msg.id:
            continue
        wanted = sorted(PLACEHOLDER.findall(_strings(msg.id)[-1]))
        for text in _strings(msg.string):
            if text and sorted(set(PLACEHOLDER.findall(text))) != sorted(set(wanted)):
                wrong.append((_strings(msg.id)[0], text))
    assert not wrong, wrong[:5]


def test_arabic_plural_forms_follow_cldr():
    # zero, one, two, few (n % 100 in 3..10), many (n % 100 in 11..99), other (100, 101, 102, ...):
    # Babel's built-in Arabic rule sends 11..99 to "other", which reads wrong in Arabic.
    from gettext import c2py

    plural = c2py(_catalog("ar").plural_expr)
    expected = {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 15: 4, 99: 4, 100: 5, 102: 5, 103: 3, 111: 4}
    assert {n: plural(n) for n in expected} == expected
