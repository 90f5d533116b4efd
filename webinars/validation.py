"""webinars: checks of author input shared by the services: languages, article numbers, slugs,
per-language texts, time zones and external recording addresses."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from lms.config import LANGUAGES
from lms.db import db
from webinars.errors import WebinarError

MAX_ARTICLE = 35
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# Letters of the Cyrillic and Arabic scripts written in Latin letters for addresses (a short name made
# from a Russian or Arabic title would otherwise lose every letter and become "session", "session-2"...).
_TRANSLITERATION = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфхцыэ", "abvgdeziyklmnoprstufhcye", strict=True)),
        **{"ё": "yo", "ж": "zh", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "yu", "я": "ya", "ъ": "", "ь": ""},
        **dict(zip("ابتجدرزسصضطظفقكلمنهويىةأإآؤئ", "abtjdrzssdtzfqklmnhwyaaaiawy", strict=True)),
        **{"ث": "th", "ح": "h", "خ": "kh", "ذ": "dh", "ش": "sh", "ع": "", "غ": "gh", "ء": ""},
    }
)


def _latin(value: str) -> str:
    """``value`` in Latin letters: Cyrillic and Arabic letter by letter, Chinese as pinyin syllables."""
    text = (value or "").lower().translate(_TRANSLITERATION)
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        import pypinyin

        text = " ".join(pypinyin.lazy_pinyin(text))
    return text


def slugify(value: str, max_len: int = 80) -> str:
    """A short name for addresses: "Ртуть в кустарной золотодобыче" -> "rtut-v-kustarnoy-zolotodobyche"."""
    ascii_text = unicodedata.normalize("NFKD", _latin(value)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_len].strip("-")


def check_language(code: str | None) -> str:
    if code not in LANGUAGES:
        raise WebinarError(_("Unknown language “%(code)s”.", code=code or ""))
    return code


def parse_languages(value) -> list[str]:
    """``"en, FR; es"`` or ``["en", "fr"]`` -> ``["en", "fr", "es"]``; refuses codes that are not one of
    the six UN languages, naming every one of them."""
    items = value if isinstance(value, list | tuple) else str(value or "").replace(";", ",").split(",")
    codes = [str(c).strip().lower() for c in items if c is not None and str(c).strip()]
    bad = [c for c in codes if c not in LANGUAGES]
    if bad:
        raise WebinarError(
            _("Unknown language code(s): %(codes)s. Use en, fr, es, ar, zh, ru.", codes=", ".join(bad))
        )
    return list(dict.fromkeys(codes))


def parse_articles(value) -> list[int]:
    """``"4, 11"`` or ``[4, 11]`` -> ``[4, 11]``; refuses anything but Convention article numbers."""
    items = value if isinstance(value, list | tuple) else re.split(r"[\s,;]+", str(value or "").strip())
    out = set()
    for item in items:
        if item in ("", None):
            continue
        try:
            number = int(str(item).strip().removeprefix("Art.").removeprefix("art.").strip())
        except ValueError:
            raise WebinarError(_("“%(value)s” is not an article number.", value=item)) from None
        if not 1 <= number <= MAX_ARTICLE:
            raise WebinarError(
                _(
                    "The Convention has articles 1 to %(max)s; “%(value)s” is not one of them.",
                    max=MAX_ARTICLE,
                    value=number,
                )
            )
        out.add(number)
    return sorted(out)


def unique_slug(model, base: str) -> str:
    base = base or "item"
    slug, n = base, 2
    while db.session.scalar(select(model.id).where(model.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def clean_texts(texts: dict[str, str], max_len: int) -> dict[str, str]:
    out = {}
    for lang, value in (texts or {}).items():
        check_language(lang)
        value = (value or "").strip()
        if len(value) > max_len:
            raise WebinarError(_("A text is too long (at most %(n)s characters).", n=max_len))
        if value:
            out[lang] = value
    return out


def aware(value: datetime | None, what: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise WebinarError(_("The %(what)s must carry a time zone.", what=what))
    return value


def youtube_id(url: str) -> str | None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    if host == "youtu.be":
        vid = parts.path.strip("/").split("/")[0]
    elif host in ("youtube.com", "youtube-nocookie.com"):
        if parts.path == "/watch":
            vid = (parse_qs(parts.query).get("v") or [""])[0]
        elif parts.path.startswith(("/embed/", "/live/", "/shorts/")):
            vid = parts.path.split("/")[2]
        else:
            vid = ""
    else:
        return None
    return vid if re.fullmatch(r"[A-Za-z0-9_-]{6,20}", vid or "") else None


def check_external_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or len(url) > 500:
        raise WebinarError(_("Give a secure (https://) address of at most 500 characters."))
    return url
