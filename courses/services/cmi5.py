"""cmi5: the LMS side of launching AUs and of the statement rules (cmi5 spec sections 8 to 10).

- Launch (:func:`.cmi5_launch.launch_au`): ``launched`` with the cmi5 category, publisher grouping and
  the session, launch mode, launch URL, moveOn, masteryScore and launchParameters extensions;
  ``LMS.LaunchData`` in the State API; every session of the registration still open is ``abandoned``
  first (9.3.6).
- Statements the AU sends (:mod:`.cmi5_rules`: :func:`check_statement` on ``statement_checking``, before
  the LRS writes the batch; :func:`statement_received` on ``statement_recorded``, the effects): the
  rules of 9.3 (a session starts with ``initialized``, no verb twice in a session, one of passed/failed
  per session, one ``completed`` and one ``passed`` per registration, no
  ``failed`` after ``passed``, nothing after ``terminated`` or ``abandoned``), 9.5 (score only in
  passed/failed and consistent with masteryScore, success/completion values, duration) and 9.6 (session
  id, registration, moveOn category) are enforced: a statement breaking one raises
  :class:`~lms.xapi.errors.XAPIError` 403, which makes the LRS refuse the whole batch before writing any of
  it. The AU's launch credentials may not void (6.3) nor change ``LMS.LaunchData`` (10).
  Statements without the cmi5 category are "cmi5 allowed" (inside a live session) or not cmi5 at all
  (recorded, without effect).
- Satisfaction (:func:`evaluate`): an AU by its moveOn rule or a waiver, a block and the course when all
  their members are; ``satisfied`` statements for blocks and the course, once per registration, with the
  session id that triggered them; the package step is done when the course is satisfied.
- :func:`waive`: the LMS waives an AU for a learner (``waived`` with a reason, its own session id).
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from flask_babel import gettext as _
from sqlalchemy import select

from courses.models import Enrolment
from courses.models_packages import Package, PackageNode, PackageNodeState
from courses.services.errors import CourseError
from lms import xapi
from lms.db import db, new_uuid, utcnow
from lms.plugins import is_enabled
from lms.signals import course_enrolled

CMI5 = "https://w3id.org/xapi/cmi5/"
CMI5_CATEGORY = CMI5 + "context/categories/cmi5"
MOVEON_CATEGORY = CMI5 + "context/categories/moveon"
EXT = CMI5 + "context/extensions/"
SESSION = EXT + "sessionid"
REASON = CMI5 + "result/extensions/reason"
TYPES = {"block": CMI5 + "activitytype/block", "course": CMI5 + "activitytype/course"}
WAIVE_REASONS = ("Tested Out", "Equivalent AU", "Equivalent Outside Activity", "Administrative")
AU_VERBS = ("initialized", "completed", "passed", "failed", "terminated")
LMS_VERBS = ("launched", "abandoned", "waived", "satisfied")
VERB_IRIS = {
    **{v: "http://adlnet.gov/expapi/verbs/" + v for v in (*AU_VERBS, "launched")},
    **{v: "https://w3id.org/xapi/adl/verbs/" + v for v in ("abandoned", "waived", "satisfied")},
}
_issuing = contextvars.ContextVar("cmi5_lms_issuing", default=False)


def activity_id(package_uuid: str, *parts: str) -> str:
    """The LMS-generated activity IRI of a package's course (no parts), block or AU."""
    return xapi.activity_iri("cmi5", package_uuid, *parts)


def is_lms_issuing() -> bool:
    """True while the LMS itself records a statement (its own statements are not checked)."""
    return _issuing.get()


@contextmanager
def _lms():
    token = _issuing.set(True)
    try:
        yield
    finally:
        _issuing.reset(token)


def _record(user, node: PackageNode, verb: str, enrolment: Enrolment, session_id: str, **kw) -> None:
    """An LMS statement about ``node`` with the cmi5 category, the publisher grouping and the session."""
    category = [CMI5_CATEGORY] + kw.pop("more_categories", [])
    with _lms():
        xapi.record_statement(
            user=user,
            verb=verb,
            activity_id=node.activity_id,
            activity_type=TYPES.get(node.kind) or node.activity_type or None,
            activity_name=node.titles or None,
            registration=enrolment.uuid,
            category=category,
            grouping=[node.publisher_id],
            extensions={SESSION: session_id, **kw.pop("extensions", {})},
            **kw,
        )


def store_nodes(package: Package, meta: dict) -> None:
    """The course structure of a cmi5 manifest (:func:`xapi_manifest.read_manifest`) as nodes."""
    position = 0

    def add(spec: dict, parent: PackageNode | None) -> None:
        nonlocal position
        position += 1
        uuid = new_uuid()
        node = PackageNode(
            uuid=uuid,
            package=package,
            parent_id=parent.id if parent is not None else None,
            position=position,
            kind=spec["kind"],
            publisher_id=spec["publisher_id"],
            activity_id=activity_id(package.uuid)
            if spec["kind"] == "course"
            else activity_id(package.uuid, spec["kind"], uuid),
            titles=spec.get("titles") or {},
            descriptions=spec.get("descriptions") or {},
            url=spec.get("url", ""),
            move_on=spec.get("move_on", "NotApplicable"),
            mastery_score=spec.get("mastery_score"),
            launch_method=spec.get("launch_method", "AnyWindow"),
            launch_parameters=spec.get("launch_parameters", ""),
            entitlement_key=spec.get("entitlement_key", ""),
            activity_type=spec.get("activity_type", ""),
        )
        db.session.add(node)
        db.session.flush()
        for child in spec.get("children", []):
            add(child, node)

    for spec in meta.get("nodes", []):
        add(spec, None)


def title_in(node: PackageNode, language: str) -> str:
    """The node's title in ``language`` (exact tag, then the same primary language), else the first."""
    titles = node.titles or {}
    primary = language.split("-")[0].lower()
    for tag, text in titles.items():
        if tag.lower() == language.lower():
            return text
    for tag, text in titles.items():
        if tag.split("-")[0].lower() == primary:
            return text
    return next(iter(titles.values()), node.publisher_id)


def children_of(package: Package) -> dict[int | None, list[PackageNode]]:
    """Parent node id -> its blocks and AUs in order (``None``: the course node)."""
    children: dict[int | None, list[PackageNode]] = {}
    for node in package.nodes:
        children.setdefault(node.parent_id, []).append(node)
    return children


def states_of(enrolment: Enrolment | None, package: Package) -> dict[int, PackageNodeState]:
    if enrolment is None:
        return {}
    ids = [n.id for n in package.nodes]
    rows = db.session.scalars(
        select(PackageNodeState).where(
            PackageNodeState.enrolment_id == enrolment.id, PackageNodeState.node_id.in_(ids)
        )
    )
    return {r.node_id: r for r in rows}


def _state(enrolment: Enrolment, node: PackageNode, states: dict | None = None) -> PackageNodeState:
    row = (states or {}).get(node.id) or db.session.scalar(
        select(PackageNodeState).filter_by(enrolment_id=enrolment.id, node_id=node.id)
    )
    if row is None:
        row = PackageNodeState(enrolment_id=enrolment.id, node_id=node.id)
        db.session.add(row)
        db.session.flush()
        if states is not None:
            states[node.id] = row
    return row


def au_satisfied(node: PackageNode, state: PackageNodeState | None) -> bool:
    """cmi5 13.1.4 moveOn (a waived AU is satisfied too)."""
    done = state is not None and state.is_completed
    passed = state is not None and state.is_passed
    if state is not None and state.is_waived:
        return True
    return {
        "Passed": passed,
        "Completed": done,
        "CompletedAndPassed": done and passed,
        "CompletedOrPassed": done or passed,
        "NotApplicable": True,
    }[node.move_on]


def evaluate(user, enrolment: Enrolment, package: Package, session_id: str | None = None) -> bool:
    """Mark satisfied AUs, blocks and the course; ``satisfied`` statements for newly satisfied blocks
    and the course (with ``session_id``, or a new one outside a session, 9.6.1); completes the package
    step when the course is satisfied. Returns whether the course is satisfied."""
    states = states_of(enrolment, package)
    children = children_of(package)
    sid = session_id or new_uuid()

    def check(node: PackageNode) -> bool:
        if node.kind == "au":
            ok = au_satisfied(node, states.get(node.id))
        else:
            results = [check(c) for c in children.get(node.id, [])]
            ok = all(results)
        if ok and not (states.get(node.id) and states[node.id].is_satisfied):
            row = _state(enrolment, node, states)
            row.is_satisfied, row.satisfied_dt = True, utcnow()
            if node.kind != "au":
                _record(user, node, "satisfied", enrolment, sid)
        return ok

    root = package.root
    if root is None or not check(root):
        return False
    complete_package_step(user, enrolment, package)
    return True


def on_enrolment(user, enrolment: Enrolment, view) -> None:
    """At enrolment (the cmi5 registration is created), AUs whose moveOn is ``NotApplicable`` are
    satisfied, and with them any block or course they satisfy (cmi5 13.1.4; the LMS flow's "check
    initial moveOn rules"). Packages without such AUs are left untouched."""
    uuids = [
        (i.get("settings") or {}).get("package_uuid")
        for i in view.items
        if (i.get("settings") or {}).get("kind") == "cmi5"
    ]
    if not uuids:
        return
    for package in db.session.scalars(select(Package).where(Package.uuid.in_(uuids))):
        if any(au.move_on == "NotApplicable" for au in package.aus):
            evaluate(user, enrolment, package)


def _on_course_enrolled(sender, user=None, registration=None, **_kw) -> None:
    """:data:`lms.signals.course_enrolled` receiver: :func:`on_enrolment` for an enrolment of this
    plugin (the registration is the enrolment's UUID)."""
    from courses.services.publishing import published_view

    if user is None or not registration or not is_enabled("courses"):
        return
    enrolment = db.session.scalar(select(Enrolment).filter_by(uuid=registration, user_id=user.id))
    view = None if enrolment is None else published_view(enrolment.course, user.locale or "en")
    if view is not None:
        on_enrolment(user, enrolment, view)


def connect() -> None:
    """Connect the enrolment receiver to :data:`lms.signals.course_enrolled` (idempotent)."""
    course_enrolled.connect(_on_course_enrolled)


def complete_package_step(user, enrolment: Enrolment, package: Package) -> None:
    """Mark the course step holding ``package`` done for the learner (the package's course is satisfied,
    or its TinCan activity completed) and complete the course when it was the last required step."""
    from courses.services import learning
    from courses.services.publishing import published_view

    view = published_view(enrolment.course, user.locale or "en")
    item = (
        None
        if view is None
        else next(
            (i for i in view.items if (i.get("settings") or {}).get("package_uuid") == package.uuid), None
        )
    )
    if item is not None:
        learning.set_item_done(enrolment, item["uuid"])
        learning.check_completion(user, enrolment, view)


def enrolled_learner(course, email: str):
    """``(user, enrolment)`` of the learner with this e-mail address enrolled in ``course``."""
    from lms.models import User

    user = db.session.scalar(select(User).filter_by(email=(email or "").strip().lower()))
    enrolment = (
        None
        if user is None
        else db.session.scalar(select(Enrolment).filter_by(course_id=course.id, user_id=user.id))
    )
    if enrolment is None:
        raise CourseError(_("No learner with this e-mail address is enrolled in this module."))
    return user, enrolment


def waive(actor, user, enrolment: Enrolment, package: Package, au: PackageNode, reason: str) -> None:
    """The LMS waives ``au`` for the learner ``user`` (9.3.7): one ``waived`` per AU and registration,
    with the reason and a session id of its own; then blocks and the course are evaluated."""
    from lms.models import audit

    if au.package_id != package.id or au.kind != "au":
        raise CourseError(_("This activity is not part of the package."))
    if reason not in WAIVE_REASONS:
        raise CourseError(_("Choose a reason from the list."))
    state = _state(enrolment, au)
    if state.is_waived:
        raise CourseError(_("This activity is already waived for this learner."))
    if state.is_satisfied or au_satisfied(au, state):
        raise CourseError(_("This learner has already met this activity's completion rule."))
    state.is_waived, state.waive_reason = True, reason
    sid = new_uuid()
    _record(
        user,
        au,
        "waived",
        enrolment,
        sid,
        more_categories=[MOVEON_CATEGORY],
        result={"success": True, "completion": True},
        result_extensions={REASON: reason},
    )
    evaluate(user, enrolment, package, sid)
    audit(
        actor,
        "courses.au_waived",
        "course",
        enrolment.course.uuid,
        au=au.publisher_id,
        learner=user.uuid,
        reason=reason,
    )
