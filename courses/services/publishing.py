"""Publishing: a new immutable version from the draft, unpublish, archive; the registry entry; reading
the version learners see."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Sequence

from flask_babel import gettext as _
from sqlalchemy import and_, func, select

from courses.models import Course, CourseVersion
from courses.services.errors import CourseError, NothingToPublish
from courses.services.snapshot import CourseView, build_snapshot, diff_snapshots
from courses.services.teams import member_ids
from courses.services.texts import content_hash
from lms.db import db
from lms.models import audit
from lms.registry import publish_resource, withdraw_resource

_CACHE: OrderedDict[str, dict] = OrderedDict()
# Above the number of published modules: the catalogue reads every one on each view, and a
# least-recently-used cache smaller than that list would drop each snapshot before its next use.
_CACHE_SIZE = 512


def get_version(course: Course, number: int | None = None) -> CourseVersion | None:
    number = course.published_version if number is None else number
    if number is None:
        return None
    return db.session.scalar(select(CourseVersion).filter_by(course_id=course.id, number=number))


def latest_version(course: Course) -> CourseVersion | None:
    return db.session.scalar(
        select(CourseVersion).filter_by(course_id=course.id).order_by(CourseVersion.number.desc()).limit(1)
    )


def _cached(version_uuid: str) -> dict | None:
    snap = _CACHE.get(version_uuid)
    if snap is not None:
        _CACHE.move_to_end(version_uuid)
    return snap


def _remember(version_uuid: str, snap: dict) -> dict:
    _CACHE[version_uuid] = snap
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return snap


def snapshot_of(version: CourseVersion) -> dict:
    """The version's snapshot (versions never change, so it is cached by the version's UUID)."""
    snap = _cached(version.uuid)
    return snap if snap is not None else _remember(version.uuid, version.snapshot)


def published_view(course: Course, language: str) -> CourseView | None:
    version = get_version(course)
    if version is None:
        return None
    return CourseView(snapshot_of(version), language, version=version.number)


def published_views(courses: Sequence[Course], language: str) -> dict[int, CourseView]:
    """:func:`published_view` of each course that has a published version, by course id (lists of
    modules): one query for the versions, and one more for the snapshots not cached yet."""
    ids = [c.id for c in courses if c.published_version is not None]
    if not ids:
        return {}
    versions = db.session.execute(
        select(CourseVersion.course_id, CourseVersion.uuid, CourseVersion.number)
        .join(
            Course,
            and_(Course.id == CourseVersion.course_id, Course.published_version == CourseVersion.number),
        )
        .where(Course.id.in_(ids))
    ).all()
    snaps = {v.uuid: snap for v in versions if (snap := _cached(v.uuid)) is not None}
    missing = [v.uuid for v in versions if v.uuid not in snaps]
    if missing:
        rows = db.session.execute(
            select(CourseVersion.uuid, CourseVersion.snapshot).where(CourseVersion.uuid.in_(missing))
        )
        snaps.update({uuid: _remember(uuid, snap) for uuid, snap in rows})
    return {v.course_id: CourseView(snaps[v.uuid], language, version=v.number) for v in versions}


def draft_view(course: Course, language: str) -> CourseView:
    """The draft, read exactly as learners would read it once published (preview)."""
    return CourseView(build_snapshot(course), language, version=None)


# A lesson's image or link to one of the module's media files, as lesson pages resolve it.
_MEDIA_REFERENCE = re.compile(r"\]\(\s*(?:\./)?media/([^)\s]+)")


def check_publishable(snapshot: dict) -> list[str]:
    problems = []
    src = snapshot["source_language"]
    media = snapshot.get("media", {})
    if not snapshot["units"] or not any(u["items"] for u in snapshot["units"]):
        problems.append(_("The module has no lessons yet."))
    for unit in snapshot["units"]:
        for item in unit["items"]:
            if src not in item["texts"]:
                problems.append(_("Step %(slug)s has no text in the source language.", slug=item["slug"]))
            missing = sorted(
                {
                    name
                    for texts in item["texts"].values()
                    for name in _MEDIA_REFERENCE.findall(texts.get("body") or "")
                    if name not in media
                }
            )
            for name in missing:  # a broken image for every reader of the step
                problems.append(
                    _(
                        "Step %(slug)s shows media/%(name)s, which is not among the module's media files: "
                        "upload it or correct the name.",
                        slug=item["slug"],
                        name=name,
                    )
                )
            if item["kind"] == "quiz":
                qs = item.get("questions", [])
                if not qs:
                    problems.append(_("Quiz %(slug)s has no questions.", slug=item["slug"]))
                draw = int(item["settings"].get("draw") or 0)
                if draw > len(qs):
                    problems.append(
                        _(
                            "Quiz %(slug)s draws %(n)s questions but has only %(m)s.",
                            slug=item["slug"],
                            n=draw,
                            m=len(qs),
                        )
                    )
    return problems


def draft_hash(course: Course) -> str:
    return content_hash(build_snapshot(course))


def has_unpublished_changes(course: Course) -> bool:
    version = latest_version(course)
    return version is None or version.content_hash != draft_hash(course)


def draft_is_published(course: Course) -> bool:
    """The draft is exactly the version learners see (publishing it would change nothing)."""
    version = latest_version(course)
    return (
        course.status == "published"
        and version is not None
        and version.number == course.published_version
        and version.content_hash == draft_hash(course)
    )


def publish(actor, course: Course, *, note: str = "") -> CourseVersion:
    """Freeze the draft as the next version and show it to learners. Progress is keyed by item UUIDs,
    so enrolled learners keep it. Publishing an unchanged draft only re-opens an unpublished course; when
    that version is already the published one it raises :class:`NothingToPublish` (nothing is written)."""
    if course.status == "archived":
        raise CourseError(_("An archived module cannot be published; restore it first."))
    snapshot = build_snapshot(course)
    problems = check_publishable(snapshot)
    if problems:
        raise CourseError(_("The module cannot be published yet."), errors=problems)
    digest = content_hash(snapshot)
    previous = latest_version(course)
    if previous is not None and previous.content_hash == digest:
        if course.status == "published" and course.published_version == previous.number:
            raise NothingToPublish(
                _("Nothing changed since version %(n)s, which learners already see.", n=previous.number)
            )
        version = previous
    else:
        version = add_version(
            CourseVersion,
            {"course_id": course.id},
            actor=actor,
            snapshot=snapshot,
            digest=digest,
            note=(note or "").strip(),
            changes=diff_snapshots(previous.snapshot if previous else None, snapshot),
        )
    mark_published(actor, course, version, "course", lambda: register(course, snapshot))
    return version


def add_version(model, owner: dict[str, int], *, actor, snapshot: dict, digest: str, note: str, **extra):
    """Add the next numbered immutable version (a :class:`CourseVersion` or a kit's ``KitVersion``):
    ``owner`` names its parent column (``{"course_id": ...}``), ``extra`` any column of that model only."""
    number = (db.session.scalar(select(func.max(model.number)).filter_by(**owner)) or 0) + 1
    version = model(
        **owner,
        number=number,
        snapshot=snapshot,
        content_hash=digest,
        note=note,
        published_by_id=actor.id if actor else None,
        **extra,
    )
    db.session.add(version)
    db.session.flush()
    return version


def mark_published(actor, resource, version, kind: str, register: Callable[[], None]) -> None:
    """Make ``version`` the one learners see, list it in the registry (``register``) and audit it
    (``kind``: course or kit)."""
    resource.published_version = version.number
    resource.status = "published"
    register()
    audit(actor, f"courses.{kind}_published", kind, resource.uuid, version=version.number)
    db.session.flush()


def list_resource(kind: str, resource, snapshot: dict, titles: dict[str, str], url: str) -> None:
    """List a published course or kit in the core registry of learning resources."""
    publish_resource(
        kind=kind,
        key=resource.uuid,
        plugin="courses",
        titles=titles,
        url=url,
        languages=snapshot["languages"],
        articles=snapshot["articles"],
        owners=member_ids(resource),
    )


def register(course: Course, snapshot: dict) -> None:
    view = CourseView(snapshot, snapshot["source_language"])
    list_resource("course", course, snapshot, view.titles(), f"/courses/{course.slug}")


def unpublish(actor, course: Course) -> None:
    if course.status != "published":
        raise CourseError(_("Only a published module can be unpublished."))
    withdraw(actor, course, "course", "unpublished")


def withdraw(actor, resource, kind: str, status: str) -> None:
    """Give a course or kit (``kind``) its new ``status`` (unpublished, archived), take it out of the
    registry of learning resources and audit it as ``courses.<kind>_<status>``."""
    resource.status = status
    withdraw_resource(kind, resource.uuid)
    audit(actor, f"courses.{kind}_{status}", kind, resource.uuid)
    db.session.flush()


def archive(actor, course: Course) -> None:
    """Hide the course from the catalogue and close enrolment; enrolled learners keep their access and
    certificates stay verifiable."""
    if course.status == "archived":
        raise CourseError(_("The module is already archived."))
    withdraw(actor, course, "course", "archived")


def restore(actor, course: Course) -> None:
    """Bring an archived course back as a draft (unpublished) the trainer can publish again."""
    if course.status != "archived":
        raise CourseError(_("Only an archived module can be restored."))
    course.status = "unpublished" if course.published_version else "draft"
    audit(actor, "courses.course_restored", "course", course.uuid)
    db.session.flush()
