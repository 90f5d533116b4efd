"""Finding learning resources from the core pages: the home page's "What is new" and the site search.

Both read the registry (:mod:`lms.registry`), which is small (one row per course, webinar, chapter, kit,
workshop, advisory service), so the search runs in Python over the published rows: accent- and
case-insensitive, over the titles in every language.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.db import db
from lms.i18n import collation_key, sort_key
from lms.registry import LearningResource

KIND_LABELS = {
    "course": _l("Module"),
    "webinar": _l("Webinar"),
    "webinar_chapter": _l("Webinar chapter"),
    "kit": _l("Workshop kit"),
    "workshop": _l("Workshop"),
    "advisory": _l("Advisory service"),
}

# "What is new" lists content to study; chapters repeat their webinar and advisory services are
# offered through readiness recommendations, not announced.
_NOT_NEWS = ("webinar_chapter", "advisory")


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


@dataclass(frozen=True)
class Listed:
    """A resource as a list shows it: its title in the reader's language when there is one, else the
    fallback, with ``language`` the language of the title shown (for ``lang``/``dir`` attributes)."""

    url: str
    title: str
    language: str
    kind: str
    kind_label: str


def listed(res: LearningResource, locale: str) -> Listed:
    titles = res.titles or {}
    if titles.get(locale):
        language = locale
    elif titles.get("en"):
        language = "en"
    else:
        language = next((code for code, title in titles.items() if title), locale)
    return Listed(
        url=res.url,
        title=titles.get(language) or res.key,
        language=language,
        kind=res.kind,
        kind_label=kind_label(res.kind),
    )


def latest_resources(locale: str, limit: int = 6) -> list[Listed]:
    """The most recently updated published resources worth announcing, newest first."""
    rows = db.session.scalars(
        select(LearningResource)
        .where(LearningResource.is_published.is_(True), LearningResource.kind.not_in(_NOT_NEWS))
        .order_by(LearningResource.updated_dt.desc(), LearningResource.id.desc())
        .limit(limit)
    ).all()
    return [listed(r, locale) for r in rows]


def search_resources(query: str, locale: str) -> list[Listed]:
    """Published resources whose title, in any language, contains every word of ``query``, ignoring
    accents and case ("dechets" finds "Déchets"). Sorted by the title shown to the reader."""
    words = collation_key(query).split()
    if not words:
        return []
    found = []
    for res in db.session.scalars(select(LearningResource).where(LearningResource.is_published.is_(True))):
        keys = [collation_key(t) for t in (res.titles or {}).values() if t]
        if any(all(w in key for w in words) for key in keys):
            found.append(listed(res, locale))
    return sorted(found, key=lambda item: sort_key(item.title, locale))
