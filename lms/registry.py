"""The registry of learning resources: how readiness recommendations and analytics reach the content
of other plugins without importing them.

Every content plugin publishes its resources here (a course, a webinar session or chapter, a workshop
kit) with :func:`publish_resource` when the content is published, and withdraws them with
:func:`withdraw_resource`. Readers use :func:`find_resources` and :func:`get_resource`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import db, utcnow
from lms.signals import resource_published

KINDS = ("course", "webinar", "webinar_chapter", "kit", "workshop", "advisory")


class LearningResource(db.Model):
    __tablename__ = "learning_resource"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    # The owning plugin's stable identifier for the resource (a UUID or slug, never an integer key).
    key: Mapped[str] = mapped_column(String(120))
    plugin: Mapped[str] = mapped_column(String(40))
    titles: Mapped[dict] = mapped_column(default=dict)  # {"en": "...", "fr": "..."}
    url: Mapped[str] = mapped_column(String(500))  # path under the site, e.g. /courses/art-3
    languages: Mapped[list] = mapped_column(default=list)
    articles: Mapped[list] = mapped_column(default=list)  # Convention article numbers, as ints
    is_published: Mapped[bool] = mapped_column(default=True)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def title(self, locale: str = "en") -> str:
        """The title in ``locale``, else English, else any."""
        return self.titles.get(locale) or self.titles.get("en") or next(iter(self.titles.values()), self.key)

    def has_language(self, locale: str) -> bool:
        return locale in (self.languages or [])


def publish_resource(
    *,
    kind: str,
    key: str,
    plugin: str,
    titles: dict[str, str],
    url: str,
    languages: Iterable[str],
    articles: Iterable[int] = (),
) -> LearningResource:
    """Create or update the resource ``(kind, key)`` and mark it published. Flushes; emits
    :data:`lms.signals.resource_published`."""
    if kind not in KINDS:
        raise ValueError(f"unknown resource kind {kind!r}")
    res = db.session.scalar(select(LearningResource).filter_by(kind=kind, key=key))
    if res is None:
        res = LearningResource(kind=kind, key=key, plugin=plugin)
        db.session.add(res)
    res.titles = dict(titles)
    res.url = url
    res.languages = sorted(set(languages))
    res.articles = sorted({int(a) for a in articles})
    res.is_published = True
    db.session.flush()
    resource_published.send(res)
    return res


def withdraw_resource(kind: str, key: str) -> None:
    """Hide a resource from readers (kept, so past recommendations still resolve)."""
    res = db.session.scalar(select(LearningResource).filter_by(kind=kind, key=key))
    if res is not None:
        res.is_published = False
        db.session.flush()


def get_resource(kind: str, key: str) -> LearningResource | None:
    return db.session.scalar(select(LearningResource).filter_by(kind=kind, key=key))


def find_resources(
    *, kinds: Iterable[str] | None = None, articles: Iterable[int] | None = None, published_only: bool = True
) -> list[LearningResource]:
    """Resources of the given kinds that cover any of ``articles`` (all when ``None``)."""
    stmt = select(LearningResource)
    if kinds:
        stmt = stmt.where(LearningResource.kind.in_(list(kinds)))
    if published_only:
        stmt = stmt.where(LearningResource.is_published.is_(True))
    rows = db.session.scalars(stmt.order_by(LearningResource.kind, LearningResource.id)).all()
    if articles is not None:
        wanted = {int(a) for a in articles}
        rows = [r for r in rows if wanted & set(r.articles or [])]
    return rows
