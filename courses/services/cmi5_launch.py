"""cmi5: launching an AU (cmi5 8.1, 9.3.1, 10) and abandoning sessions never terminated (9.3.6)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import select

from courses.models import Enrolment, LaunchSession
from courses.models_packages import AUSession, Package, PackageNode
from courses.services.cmi5 import EXT, SESSION, _record, evaluate
from lms import xapi
from lms.db import db, utcnow


def abandon_open_sessions(user, enrolment: Enrolment) -> int:
    """Every session of the registration never terminated is abandoned (9.3.6), with its duration from
    launch to the AU's last statement (9.5.4.2). Returns how many."""
    now = utcnow()
    sessions = db.session.scalars(
        select(AUSession).filter_by(enrolment_id=enrolment.id, terminated_dt=None, abandoned_dt=None)
    ).all()
    for session in sessions:
        _abandon(session, user, enrolment, now)
    return len(sessions)


def abandon_timed_out_sessions(*, now: datetime, timeout: timedelta) -> int:
    """Sessions launched more than ``timeout`` before ``now`` and neither terminated nor abandoned are
    abandoned (9.3.6), as a new launch would. ``timeout`` is the launch credentials' lifetime: past it
    the AU can no longer send anything, so the session is over; without this job it would stay open
    (and out of every "abandoned" count) until the learner happens to launch the AU again. Flushes;
    returns how many."""
    sessions = db.session.scalars(
        select(AUSession)
        .where(
            AUSession.terminated_dt.is_(None),
            AUSession.abandoned_dt.is_(None),
            AUSession.launched_dt < now - timeout,
        )
        .order_by(AUSession.id)
    ).all()
    for session in sessions:
        _abandon(session, session.enrolment.user, session.enrolment, now)
    return len(sessions)


def _abandon(session: AUSession, user, enrolment: Enrolment, now: datetime) -> None:
    session.abandoned_dt = now
    last = session.last_statement_dt or session.launched_dt
    seconds = max(0.0, (_aware(last) - _aware(session.launched_dt)).total_seconds())
    _record(user, session.node, "abandoned", enrolment, session.uuid, result={"duration": seconds})
    launch = db.session.scalar(select(LaunchSession).filter_by(uuid=session.uuid))
    if launch is not None and launch.ended_dt is None:
        launch.ended_dt = now
    db.session.flush()


def _aware(dt):
    from datetime import UTC

    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def launch_au(
    user,
    enrolment: Enrolment,
    package: Package,
    au: PackageNode,
    *,
    session: LaunchSession,
    launch_url: str,
    fetch: str,
    endpoint: str,
    return_url: str,
) -> str:
    """Record ``launched``, write ``LMS.LaunchData`` and return the AU's launch URL (cmi5 8.1, 10).
    ``session`` is the launch session just created (its uuid becomes the cmi5 session id)."""
    db.session.add(AUSession(uuid=session.uuid, enrolment_id=enrolment.id, node_id=au.id))
    template = {
        "extensions": {SESSION: session.uuid},
        "contextActivities": {"grouping": [{"objectType": "Activity", "id": au.publisher_id}]},
    }
    launch_data = {
        "contextTemplate": template,
        "launchMode": "Normal",
        "moveOn": au.move_on,
        "returnURL": return_url,
    }
    if au.mastery_score is not None:
        launch_data["masteryScore"] = au.mastery_score
    if au.launch_parameters:
        launch_data["launchParameters"] = au.launch_parameters
    if au.entitlement_key:
        launch_data["entitlementKey"] = {"courseStructure": au.entitlement_key}
    actor = xapi.actor_for(user)
    _put_launch_data(actor, enrolment.uuid, au.activity_id, launch_data)
    extensions = {EXT + "launchmode": "Normal", EXT + "launchurl": launch_url, EXT + "moveon": au.move_on}
    if au.mastery_score is not None:
        extensions[EXT + "masteryscore"] = au.mastery_score
    if au.launch_parameters:
        extensions[EXT + "launchparameters"] = au.launch_parameters
    _record(user, au, "launched", enrolment, session.uuid, extensions=extensions)
    if au.move_on == "NotApplicable":  # satisfied as soon as there is a registration (13.1.4, 9.6.1)
        evaluate(user, enrolment, package, session.uuid)
    params = {
        "endpoint": endpoint,
        "fetch": fetch,
        "actor": json.dumps(actor),
        "registration": enrolment.uuid,
        "activityId": au.activity_id,
    }
    return launch_url + ("&" if "?" in launch_url else "?") + urlencode(params)


def _put_launch_data(actor: dict, registration: str, activity: str, data: dict) -> None:
    from lms.xapi.documents import DocRef, put_document
    from lms.xapi.ids import agent_key

    ref = DocRef(
        kind="state",
        activity_id=activity,
        agent=actor,
        agent_key=agent_key(actor),
        registration=registration,
        doc_id="LMS.LaunchData",
    )
    put_document(ref, json.dumps(data).encode(), "application/json", if_match=None, if_none_match=None)
