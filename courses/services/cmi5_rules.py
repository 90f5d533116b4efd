"""cmi5: the statement rules the LMS enforces on what an AU sends (cmi5 sections 7.1.3, 9.3, 9.5, 9.6),
in two steps:

- :func:`check_statement`, a receiver of :data:`lms.signals.statement_checking`: called for each new
  statement of a batch before the LRS writes anything; raising :class:`XAPIError` 403 refuses the whole
  batch and keeps nothing. It changes nothing and counts the earlier statements of the same batch (an
  AU may send ``initialized`` and ``completed`` in one request).
- :func:`statement_received`, from the :data:`lms.signals.statement_recorded` receiver: the effects of
  an accepted statement on its session, the AU's state and satisfaction.

(cmi5 6.3, an AU never voids, is enforced by its launch credentials: ``may_void=False``.)"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from courses.models import LaunchSession
from courses.models_packages import AUSession, Package, PackageNode, PackageNodeState
from lms.db import db, utcnow
from lms.plugins import is_enabled
from lms.signals import statement_checking
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


def _session_id(statement: dict):
    from courses.services import cmi5

    return ((statement.get("context") or {}).get("extensions") or {}).get(cmi5.SESSION)


def _is_defined(statement: dict) -> bool:
    from courses.services import cmi5

    return cmi5.CMI5_CATEGORY in _categories(statement.get("context") or {})


def _session(statement: dict) -> AUSession | None:
    sid = _session_id(statement)
    return db.session.scalar(select(AUSession).filter_by(uuid=sid)) if isinstance(sid, str) else None


@dataclass
class _Seen:
    """A session as it will be once the earlier statements of the batch are stored: its defined verbs,
    and whether the registration already completed / passed the AU."""

    verbs: list[str]
    is_completed: bool
    is_passed: bool

    @classmethod
    def of(cls, session: AUSession, earlier: list[dict]) -> _Seen:
        verbs = list(session.verbs or ())
        verbs += [_verb(e) for e in earlier if _session_id(e) == session.uuid and _is_defined(e)]
        state = db.session.scalar(
            select(PackageNodeState).filter_by(enrolment_id=session.enrolment_id, node_id=session.node_id)
        )  # read only: the checking step must not add rows
        return cls(
            verbs=verbs,
            is_completed=(state is not None and state.is_completed) or "completed" in verbs,
            is_passed=(state is not None and state.is_passed) or "passed" in verbs,
        )


def check_statement(statement: dict, user, earlier: list[dict] = ()) -> None:
    """Refuse (:class:`XAPIError` 403, message ``cmi5: ...`` naming the section) a statement that breaks
    a cmi5 rule, counting the ``earlier`` new statements of its batch. Statements that are not about a
    cmi5 AU session pass, and so do the LMS's own. Reads only."""
    from courses.services import cmi5

    if cmi5.is_lms_issuing():
        return
    defined = _is_defined(statement)
    session = _session(statement)
    if session is None:
        if defined and _au_by_object(statement) is not None:
            raise _refuse("a cmi5 defined statement needs the session id of a launch of this AU (9.6.3.1)")
        return  # not a cmi5 session statement: recorded, without effect
    enrolment = session.enrolment
    if user is None or enrolment.user_id != user.id:
        raise _refuse("this session belongs to another learner")
    context = statement.get("context") or {}
    if (context.get("registration") or "").lower() != enrolment.uuid:
        raise _refuse("the registration must be the one of the launch (9.6.1)")
    if session.abandoned_dt is not None:
        raise _refuse("the session was abandoned; no statement is accepted for it (9.3.6)")
    seen = _Seen.of(session, list(earlier))
    if session.terminated_dt is not None or "terminated" in seen.verbs:
        raise _refuse("the session is terminated; no statement is accepted for it (9.3.8)")
    verb = _verb(statement)
    initialized = session.is_initialized or "initialized" in seen.verbs
    if not initialized and not (defined and verb == "initialized"):
        raise _refuse("the first statement of a session must be a cmi5 initialized statement (9.3.2)")
    if defined:  # otherwise "cmi5 allowed": inside the session, no effect on completion (7.1.3)
        _check_defined(statement, session, verb, seen)


def _on_statement_checking(sender, statement=None, user=None, earlier=(), **_kw) -> None:

    if statement is not None and is_enabled("courses"):
        check_statement(statement, user, earlier)


def connect() -> None:
    """Connect :func:`check_statement` to :data:`lms.signals.statement_checking` (idempotent)."""
    statement_checking.connect(_on_statement_checking)


def statement_received(statement: dict, user) -> bool | None:
    """Apply a statement the LRS stored (it passed :func:`check_statement`) to its cmi5 session: the
    session's verbs, the AU's state, satisfaction. ``None`` when the statement is not about a cmi5 AU
    session of ``user``; ``True`` when it was applied."""
    from courses.services import cmi5

    if cmi5.is_lms_issuing():
        return None
    session = _session(statement)
    if session is None or user is None or session.enrolment.user_id != user.id:
        return None
    session.last_statement_dt = utcnow()
    if not _is_defined(statement):
        return True
    return _apply(statement, session, _verb(statement), user)


def _check_defined(statement: dict, session: AUSession, verb: str, seen: _Seen) -> None:
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
    if verb in seen.verbs:
        raise _refuse(f"{verb} was already sent in this session (9.3)")
    if verb in ("passed", "failed") and {"passed", "failed"} & set(seen.verbs):
        raise _refuse("only one of passed or failed per session (9.3)")
    if verb == "completed" and seen.is_completed:
        raise _refuse("completed was already sent in this registration (9.3.3)")
    if verb == "passed" and seen.is_passed:
        raise _refuse("passed was already sent in this registration (9.3.4)")
    if verb == "failed" and seen.is_passed:
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
