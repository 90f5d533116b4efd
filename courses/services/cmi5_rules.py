"""cmi5: the statement rules the LMS enforces on what an AU sends (cmi5 sections 6.3, 7.1.3, 9.3, 9.5,
9.6). Called for every statement the LRS stores, inside the request that stores it: raising
:class:`XAPIError` refuses the whole request and keeps nothing (the LRS rolls back)."""

from __future__ import annotations

from sqlalchemy import select

from courses.models import LaunchSession
from courses.models_packages import AUSession, Package, PackageNode
from lms.db import db, utcnow
from lms.xapi.errors import XAPIError


def _refuse(message: str):
    return XAPIError(403, "cmi5: " + message)


def _verb(statement: dict) -> str:
    from courses.services.cmi5 import VERB_IRIS

    iri = (statement.get("verb") or {}).get("id") or ""
    return next((k for k, v in VERB_IRIS.items() if v == iri), "")


def _categories(context: dict) -> set[str]:
    acts = (context.get("contextActivities") or {}).get("category") or []
    if isinstance(acts, dict):
        acts = [acts]
    return {a.get("id") for a in acts if isinstance(a, dict)}


def _au_by_object(statement: dict) -> PackageNode | None:
    from courses.services.cmi5 import activity_id

    obj_id = (statement.get("object") or {}).get("id")
    if not isinstance(obj_id, str) or not obj_id.startswith(activity_id("")[:-1]):
        return None  # not one of ours: no query for the LRS's other traffic
    return db.session.scalar(select(PackageNode).filter_by(activity_id=obj_id, kind="au"))


def statement_received(statement: dict, user) -> bool | None:
    """Apply the cmi5 rules to a stored statement (see module doc). ``None`` when the statement is not
    about a cmi5 AU session; ``True`` when it was applied."""
    from courses.services import cmi5

    if cmi5.is_lms_issuing():
        return None
    context = statement.get("context") or {}
    sid = (context.get("extensions") or {}).get(cmi5.SESSION)
    defined = cmi5.CMI5_CATEGORY in _categories(context)
    session = db.session.scalar(select(AUSession).filter_by(uuid=sid)) if isinstance(sid, str) else None
    if session is None:
        if _au_by_object(statement) is not None and defined:
            raise _refuse("a cmi5 defined statement needs the session id of a launch of this AU (9.6.3.1)")
        return None  # not a cmi5 session statement: recorded, without effect
    enrolment = session.enrolment
    if user is None or enrolment.user_id != user.id:
        raise _refuse("this session belongs to another learner")
    if (context.get("registration") or "").lower() != enrolment.uuid:
        raise _refuse("the registration must be the one of the launch (9.6.1)")
    if session.abandoned_dt is not None:
        raise _refuse("the session was abandoned; no statement is accepted for it (9.3.6)")
    if session.terminated_dt is not None:
        raise _refuse("the session is terminated; no statement is accepted for it (9.3.8)")
    verb = _verb(statement)
    if not session.is_initialized and not (defined and verb == "initialized"):
        raise _refuse("the first statement of a session must be a cmi5 initialized statement (9.3.2)")
    session.last_statement_dt = utcnow()
    if not defined:
        return True  # "cmi5 allowed": inside the session, no effect on completion (7.1.3)
    _check_defined(statement, session, verb)
    return _apply(statement, session, verb, user)


def _check_defined(statement: dict, session: AUSession, verb: str) -> None:
    from courses.services import cmi5

    au = session.node
    if (statement.get("object") or {}).get("id") != au.activity_id:
        raise _refuse("the object of a cmi5 defined statement must be the launched AU's activityId (9.4)")
    if verb in cmi5.LMS_VERBS:
        raise _refuse(f"{verb} statements are the LMS's to make, not the AU's (9.3)")
    if verb not in cmi5.AU_VERBS:
        raise _refuse(
            "a cmi5 defined statement must use a cmi5 verb (7.1.3); send others without the cmi5 category"
        )
    if verb in session.verbs:
        raise _refuse(f"{verb} was already sent in this session (9.3)")
    if verb in ("passed", "failed") and {"passed", "failed"} & set(session.verbs):
        raise _refuse("only one of passed or failed per session (9.3)")
    state = cmi5._state(session.enrolment, au)
    if verb == "completed" and state.is_completed:
        raise _refuse("completed was already sent in this registration (9.3.3)")
    if verb == "passed" and state.is_passed:
        raise _refuse("passed was already sent in this registration (9.3.4)")
    if verb == "failed" and state.is_passed:
        raise _refuse("failed must not follow passed in a registration (9.3)")
    _check_result(statement, au, verb)


def _check_result(statement: dict, au: PackageNode, verb: str) -> None:
    from courses.services import cmi5

    result = statement.get("result") or {}
    score = result.get("score")
    if score is not None and verb not in ("passed", "failed"):
        raise _refuse(f"a {verb} statement must not carry a score (9.5.1)")
    scaled = score.get("scaled") if isinstance(score, dict) else None
    if isinstance(scaled, int | float) and au.mastery_score is not None:
        if verb == "passed" and scaled < au.mastery_score:
            raise _refuse(f"passed with a scaled score below the masteryScore {au.mastery_score} (9.3.4)")
        if verb == "failed" and scaled >= au.mastery_score:
            raise _refuse(
                f"failed with a scaled score at or above the masteryScore {au.mastery_score} (9.3.5)"
            )
    expected = {
        "passed": ("success", True),
        "failed": ("success", False),
        "completed": ("completion", True),
    }.get(verb)
    for key in ("success", "completion"):
        if expected and key == expected[0]:
            if result.get(key) is not expected[1]:
                raise _refuse(f"a {verb} statement must have result.{key} {str(expected[1]).lower()} (9.5)")
        elif key in result:
            raise _refuse(f"a {verb} statement must not have result.{key} (9.5)")
    has_moveon = cmi5.MOVEON_CATEGORY in _categories(statement.get("context") or {})
    if has_moveon != bool(expected):
        raise _refuse(
            "the moveOn category belongs in statements with result success or completion, and only there "
            "(9.6.2.2)"
        )
    if verb != "initialized" and "duration" not in result:
        raise _refuse(f"a {verb} statement must include result.duration (9.5.4.1)")


def _apply(statement: dict, session: AUSession, verb: str, user) -> bool:
    from courses.services import cmi5

    session.verbs = [*session.verbs, verb]
    enrolment, au = session.enrolment, session.node
    if verb == "initialized":
        session.is_initialized = True
        return True
    if verb == "terminated":
        session.terminated_dt = utcnow()
        launch = db.session.scalar(select(LaunchSession).filter_by(uuid=session.uuid))
        if launch is not None and launch.ended_dt is None:
            launch.ended_dt = session.terminated_dt
        return True
    state = cmi5._state(enrolment, au)
    if verb == "completed":
        state.is_completed = True
    elif verb == "passed":
        state.is_passed = True
    elif verb == "failed":
        state.is_failed = True
    package = db.session.get(Package, au.package_id)
    cmi5.evaluate(user, enrolment, package, session.uuid)
    return True
