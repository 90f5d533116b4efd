"""Imported xAPI (TinCan, ``tincan.xml``) and cmi5 (``cmi5.xml``) packages, as published by Articulate
Storyline/Rise, Adobe Captivate or iSpring.

- Upload: the zip is read safely (:mod:`.archive`), its manifest validated, its files stored under
  ``MEDIA_DIR/courses/packages/<package uuid>/``; it becomes a step of a unit.
- Launch: short-lived LRS credentials bound to the learner and the enrolment's registration
  (``lms.xapi.auth.issue_launch_credentials``); TinCan launch convention (endpoint, auth, actor,
  registration, activity_id) or, for one AU of a cmi5 course structure, cmi5 (:mod:`.cmi5`).
- Completion: the statements the content sends to the built-in LRS (receiver of
  ``statement_recorded``): TinCan ``completed``/``passed``; cmi5 when the package's course is satisfied
  (every AU by its ``moveOn`` rule or waived, see :mod:`.cmi5` and :mod:`.cmi5_rules`, whose
  ``statement_checking`` receiver refuses AU statements breaking a cmi5 rule before they are written).
  cmi5 launch credentials may not void statements (cmi5 6.3).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from base64 import b64encode
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from courses.models import Enrolment, Item, LaunchSession
from courses.models_packages import Package, PackageNode
from courses.services import cmi5, cmi5_launch, cmi5_rules
from courses.services.archive import read_zip, strip_common_root
from courses.services.errors import CourseError
from courses.services.xapi_manifest import is_url, read_manifest
from lms import xapi
from lms.db import db, new_uuid, utcnow


def package_dir(package_uuid: str) -> Path:
    if not re.fullmatch(r"[0-9a-f-]{36}", package_uuid):
        raise ValueError("bad package id")
    return Path(current_app.config["MEDIA_DIR"]) / "courses" / "packages" / package_uuid


def store_package(
    course, meta: dict, files: dict[str, bytes], title: str, *, package_uuid: str | None = None
) -> Package:
    """Save a validated package's row and files. ``package_uuid`` keeps the id of an exported package when
    it is free (or already this course's with the same files); otherwise a new id is used."""
    if package_uuid:
        existing = db.session.scalar(select(Package).filter_by(uuid=package_uuid))
        if existing is not None:
            if existing.course_id == course.id and existing.files == sorted(files):
                return existing
            package_uuid = None

    package = Package(
        uuid=package_uuid or new_uuid(),
        course_id=course.id,
        kind=meta["kind"],
        title=(title or meta["title"] or "")[:300],
        activity_id=meta["activity_id"],
        launch=meta["launch"],
        move_on=meta["move_on"],
        mastery_score=meta["mastery_score"],
        launch_parameters=meta["launch_parameters"],
        publisher_id=meta.get("publisher_id") or None,
        size=sum(len(v) for v in files.values()),
        files=sorted(files),
    )
    if package.kind == "cmi5":
        package.activity_id = cmi5.activity_id(package.uuid)
    db.session.add(package)
    db.session.flush()
    if package.kind == "cmi5":
        cmi5.store_nodes(package, meta)
    target = package_dir(package.uuid)
    try:
        for name, content in files.items():
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return package


def add_package(
    actor, unit, *, slug: str, title: str, required: bool, data: bytes, item_uuid: str | None = None
) -> Item:
    """Validate and store an uploaded package as a new step of ``unit``. Raises PackageError/CourseError."""
    from courses.services.drafts import new_item
    from courses.services.texts import set_text

    files = read_zip(data)
    files = strip_common_root(strip_common_root(files, "cmi5.xml"), "tincan.xml")
    meta = read_manifest(files)
    course = unit.course
    title = (title or meta["title"] or "").strip()
    if not title:
        raise CourseError(_("Give the activity a title (the package has none)."))
    package = store_package(course, meta, files, title)
    item = new_item(
        actor,
        unit,
        kind="package",
        slug=slug,
        required=required,
        minutes=15,
        settings={"package_uuid": package.uuid, "kind": meta["kind"]},
        uuid=item_uuid,
    )
    set_text(
        course_id=course.id,
        item_uuid=item.uuid,
        item_type="package",
        language=course.source_language,
        fields={"title": title, "description": meta["description"]},
        source_language=course.source_language,
        actor=actor,
    )
    from lms.models import audit

    audit(
        actor,
        "courses.package_added",
        "course",
        course.uuid,
        item=item.uuid,
        kind=meta["kind"],
        activity=meta["activity_id"],
    )
    return item


def package_of(item: dict) -> Package | None:
    uuid = (item.get("settings") or {}).get("package_uuid")
    return db.session.scalar(select(Package).filter_by(uuid=uuid)) if uuid else None


def _endpoint() -> str:
    return current_app.config["BASE_URL"].rstrip("/") + "/xapi/"


def start_launch(
    user,
    enrolment: Enrolment,
    view,
    item: dict,
    package: Package,
    *,
    files_url: Callable[[str], str],
    fetch_url: Callable[[str], str],
    return_url: str,
    au_uuid: str | None = None,
) -> tuple[LaunchSession, str]:
    """Create a launch session and return ``(session, launch URL)``. ``files_url(session uuid)`` is the
    URL prefix the package files are served from for that session; ``fetch_url(token)`` the cmi5 fetch
    URL of a token. cmi5: ``au_uuid`` chooses the AU (default: the first); CourseError if unknown."""
    from lms.xapi.auth import issue_launch_credentials

    au = None
    if package.kind == "cmi5":
        aus = package.aus
        au = next((a for a in aus if a.uuid == au_uuid), None) if au_uuid else (aus[0] if aus else None)
        if au is None:
            raise CourseError(_("This activity is not part of the package."))
        # A new launch in the registration: sessions never terminated are abandoned (cmi5 9.3.6).
        cmi5_launch.abandon_open_sessions(user, enrolment)
    target = au.activity_id if au is not None else package.activity_id
    # cmi5 6.3: an AU must not void statements, so its credentials cannot.
    key, secret = issue_launch_credentials(
        user, registration=enrolment.uuid, activity_id=target, may_void=au is None
    )
    auth = "Basic " + b64encode(f"{key}:{secret}".encode()).decode()
    for old in db.session.scalars(
        select(LaunchSession).filter_by(enrolment_id=enrolment.id, package_uuid=package.uuid, ended_dt=None)
    ):
        old.ended_dt = utcnow()
    session = LaunchSession(
        enrolment_id=enrolment.id,
        package_uuid=package.uuid,
        auth_token=auth if au is not None else "",  # TinCan gets it in the URL
        fetch_token=secrets.token_urlsafe(32) if au is not None else None,
    )
    db.session.add(session)
    db.session.flush()
    launch = au.url if au is not None else package.launch
    launch = launch if is_url(launch) else files_url(session.uuid) + launch
    if au is not None:
        url = cmi5_launch.launch_au(
            user,
            enrolment,
            package,
            au,
            session=session,
            launch_url=launch,
            fetch=fetch_url(session.fetch_token),
            endpoint=_endpoint(),
            return_url=return_url,
        )
        return session, url
    params = {
        "endpoint": _endpoint(),
        "auth": auth,
        "actor": json.dumps(xapi.actor_for(user)),
        "registration": enrolment.uuid,
        "activity_id": package.activity_id,
    }
    xapi.record_statement(
        user=user,
        verb="launched",
        activity_id=package.activity_id,
        activity_name={view.language: package.title},
        registration=enrolment.uuid,
        parents=[xapi.activity_iri("course", view.uuid)],
    )
    return session, launch + ("&" if "?" in launch else "?") + urlencode(params)


def fetch_token(token: str) -> tuple[int, dict]:
    """The cmi5 fetch URL: the session's auth token, exactly once (cmi5 8.2.3)."""
    session = db.session.scalar(select(LaunchSession).filter_by(fetch_token=token)) if token else None
    if session is None:
        return 404, {"error-code": "3", "error-text": "unknown fetch token"}
    if session.is_fetched:
        return 200, {"error-code": "1", "error-text": "the token was already retrieved"}
    session.is_fetched = True
    auth = session.auth_token
    session.auth_token = ""  # no longer kept once handed over
    db.session.flush()
    return 200, {"auth-token": auth.split(" ", 1)[1]}


def session_for_files(session_uuid: str) -> LaunchSession | None:
    from datetime import timedelta

    session = db.session.scalar(select(LaunchSession).filter_by(uuid=session_uuid))
    minutes = int(current_app.config.get("XAPI_LAUNCH_TOKEN_MINUTES", 240))
    if session is None or session.created_dt < utcnow() - timedelta(minutes=minutes):
        return None
    return session


def statement_received(statement: dict, user) -> bool | None:
    """A statement stored by the LRS: its cmi5 effects and satisfaction (:mod:`.cmi5_rules`; the rules
    themselves were checked before the write), or a TinCan package's ``completed``/``passed``
    completing its step."""

    applied = cmi5_rules.statement_received(statement, user)
    if applied is not None or cmi5.is_lms_issuing():
        return applied
    context = statement.get("context") or {}
    registration = (context.get("registration") or "").lower()
    activity_id = (statement.get("object") or {}).get("id")
    verb = ((statement.get("verb") or {}).get("id") or "").rsplit("/", 1)[-1]
    if not registration or not activity_id or verb not in ("completed", "passed"):
        return None
    enrolment = db.session.scalar(select(Enrolment).filter_by(uuid=registration, user_id=user.id))
    if enrolment is None:
        return None
    package = db.session.scalar(
        select(Package).filter_by(course_id=enrolment.course_id, activity_id=activity_id, kind="tincan")
    )
    if package is None:
        return None
    cmi5.complete_package_step(user, enrolment, package)
    return True


def au_of(package: Package, au_uuid: str) -> PackageNode | None:
    return next((a for a in package.aus if a.uuid == au_uuid), None)


def rename_package(actor, item: Item, title: str) -> None:
    """Change the title of a package step (source language; translations become stale)."""
    from courses.services.authoring import source_fields
    from courses.services.texts import set_text
    from lms.models import audit

    title = (title or "").strip()
    if not title:
        raise CourseError(_("Give the activity a title."))
    course = item.unit.course
    set_text(
        course_id=course.id,
        item_uuid=item.uuid,
        item_type="package",
        language=course.source_language,
        fields={**source_fields(course, item.uuid), "title": title[:300]},
        source_language=course.source_language,
        actor=actor,
    )
    audit(actor, "courses.package_renamed", "course", course.uuid, item=item.uuid)


# The cmi5 rules refuse bad AU statements before the LRS writes them, and an enrolment satisfies the AUs
# that need nothing from the learner (this module is imported with the plugin's views, like the other
# receivers).
cmi5_rules.connect()
cmi5.connect()
