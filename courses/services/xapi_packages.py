"""Imported xAPI (TinCan, ``tincan.xml``) and cmi5 (``cmi5.xml``) packages, as published by Articulate
Storyline/Rise, Adobe Captivate or iSpring.

- Upload: the zip is read safely (:mod:`.archive`), its manifest validated, its files stored under
  ``MEDIA_DIR/courses/packages/<package uuid>/``; it becomes a step of a unit.
- Launch: short-lived LRS credentials bound to the learner and the enrolment's registration
  (``lms.xapi.auth.issue_launch_credentials``); TinCan launch convention (endpoint, auth, actor,
  registration, activity_id) or cmi5 (endpoint, fetch, actor, registration, activityId, with
  ``LMS.LaunchData`` written to the State API and a ``launched`` statement; an earlier session never
  terminated is ``abandoned``).
- Completion: the statements the content sends to the built-in LRS (receiver of
  ``statement_recorded``): TinCan ``completed``/``passed``; cmi5 by the AU's ``moveOn`` rule.
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

from courses.models import Enrolment, Item, LaunchSession, Package
from courses.services.archive import read_zip, strip_common_root
from courses.services.errors import CourseError
from courses.services.xapi_manifest import MOVE_ON, _is_url, read_manifest  # noqa: F401  (re-exported)
from lms import xapi
from lms.db import db, utcnow

CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
EXT = "https://w3id.org/xapi/cmi5/context/extensions/"


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
    if package_uuid:
        package.uuid = package_uuid
    db.session.add(package)
    db.session.flush()
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
    from courses.services import authoring
    from courses.services.texts import set_text

    files = read_zip(data)
    files = strip_common_root(strip_common_root(files, "cmi5.xml"), "tincan.xml")
    meta = read_manifest(files)
    course = unit.course
    title = (title or meta["title"] or "").strip()
    if not title:
        raise CourseError(_("Give the activity a title (the package has none)."))
    package = store_package(course, meta, files, title)
    item = authoring._new_item(
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
) -> tuple[LaunchSession, str]:
    """Create a launch session and return ``(session, launch URL)``. ``files_url(session uuid)`` is the
    URL prefix the package files are served from for that session; ``fetch_url(token)`` the cmi5 fetch
    URL of a token."""
    from lms.xapi.auth import issue_launch_credentials

    actor = xapi.actor_for(user)
    key, secret = issue_launch_credentials(user, registration=enrolment.uuid, activity_id=package.activity_id)
    auth = "Basic " + b64encode(f"{key}:{secret}".encode()).decode()
    for old in db.session.scalars(
        select(LaunchSession).filter_by(enrolment_id=enrolment.id, package_uuid=package.uuid, ended_dt=None)
    ):
        old.ended_dt = utcnow()
        if package.kind == "cmi5":
            xapi.record_statement(
                user=user,
                verb="abandoned",
                activity_id=package.activity_id,
                registration=enrolment.uuid,
                category=[CMI5_CATEGORY],
                extensions={EXT + "sessionid": old.uuid},
            )
    session = LaunchSession(
        enrolment_id=enrolment.id,
        package_uuid=package.uuid,
        auth_token=auth if package.kind == "cmi5" else "",  # TinCan gets it in the URL
        fetch_token=secrets.token_urlsafe(32) if package.kind == "cmi5" else None,
    )
    db.session.add(session)
    db.session.flush()
    launch = package.launch if _is_url(package.launch) else files_url(session.uuid) + package.launch
    sep = "&" if "?" in launch else "?"
    if package.kind == "tincan":
        params = {
            "endpoint": _endpoint(),
            "auth": auth,
            "actor": json.dumps(actor),
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
        return session, launch + sep + urlencode(params)
    template = {"extensions": {EXT + "sessionid": session.uuid}}
    if package.publisher_id:
        template["contextActivities"] = {"grouping": [{"objectType": "Activity", "id": package.publisher_id}]}
    launch_data = {
        "contextTemplate": template,
        "launchMode": "Normal",
        "moveOn": package.move_on,
        "returnURL": return_url,
    }
    if package.mastery_score is not None:
        launch_data["masteryScore"] = package.mastery_score
    if package.launch_parameters:
        launch_data["launchParameters"] = package.launch_parameters
    _put_launch_data(actor, enrolment.uuid, package.activity_id, launch_data)
    xapi.record_statement(
        user=user,
        verb="launched",
        activity_id=package.activity_id,
        activity_name={view.language: package.title},
        registration=enrolment.uuid,
        category=[CMI5_CATEGORY],
        extensions={
            EXT + "sessionid": session.uuid,
            EXT + "launchmode": "Normal",
            EXT + "launchurl": launch,
            EXT + "moveon": package.move_on,
            **({EXT + "launchparameters": package.launch_parameters} if package.launch_parameters else {}),
        },
    )
    params = {
        "endpoint": _endpoint(),
        "fetch": fetch_url(session.fetch_token),
        "actor": json.dumps(actor),
        "registration": enrolment.uuid,
        "activityId": package.activity_id,
    }
    if package.move_on == "NotApplicable":  # cmi5 9.6.2.1: satisfied as soon as it is launched
        from courses.services import learning

        learning.set_item_done(enrolment, item["uuid"])
        learning.check_completion(user, enrolment, view)
    return session, launch + sep + urlencode(params)


def _put_launch_data(actor: dict, registration: str, activity_id: str, data: dict) -> None:
    from lms.xapi.documents import DocRef, put_document
    from lms.xapi.ids import agent_key

    ref = DocRef(
        kind="state",
        activity_id=activity_id,
        agent=actor,
        agent_key=agent_key(actor),
        registration=registration,
        doc_id="LMS.LaunchData",
    )
    put_document(ref, json.dumps(data).encode(), "application/json", if_match=None, if_none_match=None)


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


def _verbs_seen(registration: str, activity_id: str) -> set[str]:
    from lms.xapi.models import Statement

    rows = db.session.scalars(
        select(Statement.verb_id).where(
            Statement.registration == registration,
            Statement.object_activity_id == activity_id,
            Statement.is_voided.is_(False),
        )
    )
    return {v.rsplit("/", 1)[-1] for v in rows}


def statement_received(statement: dict, user) -> None:
    """Complete the package step when the content's statements satisfy its rule (see module doc)."""
    context = statement.get("context") or {}
    registration = (context.get("registration") or "").lower()
    activity_id = (statement.get("object") or {}).get("id")
    verb = ((statement.get("verb") or {}).get("id") or "").rsplit("/", 1)[-1]
    if not registration or not activity_id or verb not in ("completed", "passed", "terminated", "failed"):
        return None
    enrolment = db.session.scalar(select(Enrolment).filter_by(uuid=registration, user_id=user.id))
    if enrolment is None:
        return None
    package = db.session.scalar(
        select(Package).filter_by(course_id=enrolment.course_id, activity_id=activity_id)
    )
    if package is None:
        return None
    if verb == "terminated":
        sid = (context.get("extensions") or {}).get(EXT + "sessionid")
        session = db.session.scalar(select(LaunchSession).filter_by(uuid=sid)) if sid else None
        if session is not None and session.enrolment_id == enrolment.id:
            session.ended_dt = utcnow()
        return None
    seen = _verbs_seen(registration, activity_id) | {verb}
    rule = package.move_on if package.kind == "cmi5" else "CompletedOrPassed"
    satisfied = {
        "Passed": "passed" in seen,
        "Completed": "completed" in seen,
        "CompletedAndPassed": {"completed", "passed"} <= seen,
        "CompletedOrPassed": bool({"completed", "passed"} & seen),
        "NotApplicable": True,
    }[rule]
    if not satisfied:
        return None
    from courses.services import learning
    from courses.services.publishing import published_view

    view = published_view(enrolment.course, user.locale or "en")
    if view is None:
        return None
    item = next(
        (i for i in view.items if (i.get("settings") or {}).get("package_uuid") == package.uuid), None
    )
    if item is None:
        return None
    learning.set_item_done(enrolment, item["uuid"])
    learning.check_completion(user, enrolment, view)
    return True


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
