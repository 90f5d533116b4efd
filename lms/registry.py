"""The registry of learning resources: how readiness recommendations and analytics reach the content
of other plugins without importing them.

Every content plugin publishes its resources here (a course, a webinar session or chapter, a workshop
kit) with :func:`publish_resource` when the content is published, and withdraws them with
:func:`withdraw_resource`. Readers use :func:`find_resources` and :func:`get_resource`.

A resource has owners: the users (trainers) responsible for it, set by the owning plugin with
``publish_resource(owners=...)`` or :func:`set_resource_owners`. Other plugins scope what a trainer sees
with :func:`resources_owned_by` (analytics shows a trainer the dashboards of their own resources).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Select, String, Table, UniqueConstraint, delete, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import db, utcnow
from lms.signals import resource_published

KINDS = ("course", "webinar", "webinar_chapter", "kit", "workshop", "advisory")


resource_owner = Table(
    "learning_resource_owner",
    db.metadata,
    Column("resource_id", ForeignKey("learning_resource.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True),
)


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
    owners: Iterable[int] | None = None,
) -> LearningResource:
    """Create or update the resource ``(kind, key)`` and mark it published. ``owners`` (user ids)
    replaces the resource's owners when given; ``None`` keeps them. Flushes; emits
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
    if owners is not None:
        _replace_owners(res.id, owners)
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


def _replace_owners(resource_id: int, user_ids: Iterable[int]) -> None:
    db.session.execute(delete(resource_owner).where(resource_owner.c.resource_id == resource_id))
    rows = [{"resource_id": resource_id, "user_id": int(u)} for u in sorted(set(user_ids))]
    if rows:
        db.session.execute(insert(resource_owner), rows)


def set_resource_owners(kind: str, key: str, user_ids: Iterable[int]) -> bool:
    """Replace the owners of resource ``(kind, key)``; ``False`` when no such resource. Flushes."""
    res = get_resource(kind, key)
    if res is None:
        return False
    _replace_owners(res.id, user_ids)
    db.session.flush()
    return True


def resource_owners(kind: str, key: str) -> list[int]:
    """User ids of the owners of resource ``(kind, key)`` (empty when none or unknown)."""
    stmt = (
        select(resource_owner.c.user_id)
        .join(LearningResource, LearningResource.id == resource_owner.c.resource_id)
        .where(LearningResource.kind == kind, LearningResource.key == key)
        .order_by(resource_owner.c.user_id)
    )
    return list(db.session.scalars(stmt))


def owned_resources_query(user_id) -> Select:
    """SQL selecting the resources (published or withdrawn) that ``user_id`` owns, for callers that
    aggregate them or test for them inside their own query rather than load them (narrow it with
    ``with_only_columns``, ``where`` or ``exists``). ``user_id`` is an id or a bind parameter."""
    return (
        select(LearningResource)
        .join(resource_owner, resource_owner.c.resource_id == LearningResource.id)
        .where(resource_owner.c.user_id == user_id)
    )


def resources_owned_by(user_id: int, kinds: Iterable[str] | None = None) -> list[LearningResource]:
    """Every resource (published or withdrawn) that ``user_id`` owns, optionally of ``kinds`` only."""
    stmt = owned_resources_query(user_id)
    if kinds:
        stmt = stmt.where(LearningResource.kind.in_(list(kinds)))
    return list(db.session.scalars(stmt.order_by(LearningResource.kind, LearningResource.id)))
