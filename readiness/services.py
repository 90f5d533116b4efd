"""The team workflow of an assessment: start, invite, answer (with optimistic concurrency per item),
review notes and the states draft -> in review -> submitted -> acknowledged (with recall).

Services take explicit arguments, flush only, and raise :class:`ReadinessError` with a translated message
when they refuse; every change goes to the core audit trail. Scoring and recommendations are in
:mod:`readiness.results`.
"""

from __future__ import annotations

import re
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from lms.db import db, utcnow
from lms.mail import queue_mail
from lms.models import AuditEntry, User
from readiness import catalog, permissions, statements
from readiness.answers import (  # noqa: F401  (re-exported: the answer services belong here too)
    MAX_COMMENT,
    Conflict,
    ItemInput,
    SaveOutcome,
    answer_fingerprint,
    answer_values,
    answers_of,
    fingerprint,
    parse_value,
    save_section,
)
from readiness.base import TARGET, ReadinessError, questionnaire_for, record_audit  # noqa: F401
from readiness.models import MEMBER_ROLES, Assessment, Member, Note
from readiness.results import store_result

CYCLE_RE = re.compile(r"^20\d\d$")
MAX_NOTE = 4000


def get_assessment(uuid: str) -> Assessment | None:
    return db.session.scalar(select(Assessment).filter_by(uuid=uuid))


def assessments_of_country(country_code: str) -> list[Assessment]:
    return list(
        db.session.scalars(
            select(Assessment).filter_by(country_code=country_code).order_by(Assessment.cycle.desc())
        )
    )


def suggested_cycle(country_code: str | None, year: int) -> str:
    """The cycle the start form proposes: ``year``, or the first later year for which the country has
    no assessment yet (a country that assessed this year is not offered a cycle it would be refused)."""
    taken = set(db.session.scalars(select(Assessment.cycle).where(Assessment.country_code == country_code)))
    while str(year) in taken:
        year += 1
    return str(year)


def country_has_coordinator(country_code: str | None) -> bool:
    """Whether an active account coordinates ``country_code``'s assessments on the platform."""
    if not country_code:
        return False
    found = db.session.scalar(
        select(User.id)
        .where(User.role == "coordinator", User.country_code == country_code, User.is_active_account)
        .limit(1)
    )
    return found is not None


def assessments_of_user(user: User) -> list[Assessment]:
    """Assessments the user belongs to (as coordinator of the country or invited colleague)."""
    if not user.country_code:
        return []
    return [a for a in assessments_of_country(user.country_code) if permissions.is_team(user, a)]


# --- start and team ------------------------------------------------------------------------------


def start_assessment(coordinator: User, *, cycle: str, language: str) -> Assessment:
    if not permissions.can_start(coordinator):
        raise ReadinessError(_("Only the country's coordinator can start an assessment."))
    cycle = (cycle or "").strip()
    if not CYCLE_RE.match(cycle):
        raise ReadinessError(_("The cycle is a year, such as 2025."), field="cycle")
    if language not in current_app.config["LANGUAGES"]:
        raise ReadinessError(_("Choose one of the platform's languages."), field="language")
    existing = db.session.scalar(
        select(Assessment).filter_by(country_code=coordinator.country_code, cycle=cycle)
    )
    if existing is not None:
        raise ReadinessError(
            _("Your country already has an assessment for %(cycle)s.", cycle=cycle), field="cycle"
        )
    q_row = catalog.current_questionnaire_row()
    assessment = Assessment(
        country_code=coordinator.country_code,
        cycle=cycle,
        language=language,
        questionnaire_id=q_row.id,
        coordinator_id=coordinator.id,
        submitter_id=coordinator.id,
        state="draft",
    )
    assessment.questionnaire_version = q_row
    db.session.add(assessment)
    db.session.flush()
    record_audit(coordinator, "started", assessment, cycle=cycle, questionnaire=q_row.version)
    statements.record(coordinator, "started", assessment, catalog.questionnaire_of(q_row).title)
    return assessment


def colleagues(assessment: Assessment) -> list[User]:
    """Active users of the assessment's country who could be invited."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.country_code == assessment.country_code,
                User.deleted_dt.is_(None),
                User.is_active_account.is_(True),
            )
            .order_by(User.name)
        )
    )


def invite(assessment: Assessment, actor: User, *, user_id: int, role: str, sections: list[str]) -> Member:
    if not permissions.can_manage(actor, assessment):
        raise ReadinessError(_("Only the country's coordinator can invite colleagues."))
    if assessment.state not in permissions.EDITABLE_STATES:
        raise ReadinessError(_("The team can only change before the assessment is submitted."))
    user = db.session.get(User, user_id)
    if user is None or user.country_code != assessment.country_code or not user.is_active:
        raise ReadinessError(
            _("You can only invite registered colleagues of your own country."), field="user_id"
        )
    if user.id == actor.id or user.coordinates(assessment.country_code):
        raise ReadinessError(_("The coordinator is already part of the team."), field="user_id")
    if role not in MEMBER_ROLES:
        raise ReadinessError(_("Choose whether the colleague edits sections or reviews."), field="role")
    dims = [d.id for d in questionnaire_for(assessment).dimensions]
    unknown = [s for s in sections if s not in dims]
    if unknown:
        raise ReadinessError(_("Unknown section: %(name)s.", name=", ".join(unknown)), field="sections")
    if role == "editor" and not sections:
        raise ReadinessError(_("Choose at least one section for a section editor."), field="sections")
    if role == "reviewer":
        sections = []
    member = permissions.member_of(user, assessment)
    if member is None:
        member = Member(
            assessment=assessment, user_id=user.id, role=role, sections=sections, invited_by_id=actor.id
        )
        db.session.add(member)
        _notify_invitation(assessment, user, role)
    else:
        member.role, member.sections = role, list(sections)
    db.session.flush()
    record_audit(actor, "member_set", assessment, user=user.uuid, role=role, sections=sections)
    return member


def _notify_invitation(assessment: Assessment, user: User, role: str) -> None:
    link = f"{current_app.config['BASE_URL'].rstrip('/')}/readiness/a/{assessment.uuid}"
    with force_locale(user.locale or "en"):
        role_name = _("section editor") if role == "editor" else _("reviewer")
        subject = _("You are invited to the digital-readiness assessment %(cycle)s", cycle=assessment.cycle)
        body = _(
            "You have been invited as %(role)s of your country's digital-readiness self-assessment.\n\n"
            "Open it here: %(link)s",
            role=role_name,
            link=link,
        )
    queue_mail(user.email, subject, body)


def remove_member(assessment: Assessment, actor: User, member_id: int) -> None:
    if not permissions.can_manage(actor, assessment):
        raise ReadinessError(_("Only the country's coordinator can change the team."))
    if assessment.state not in permissions.EDITABLE_STATES:
        raise ReadinessError(_("The team can only change before the assessment is submitted."))
    member = next((m for m in assessment.members if m.id == member_id), None)
    if member is None:
        raise ReadinessError(_("This colleague is not in the team."))
    if assessment.submitter_id == member.user_id:
        assessment.submitter_id = assessment.coordinator_id
    assessment.members.remove(member)
    db.session.flush()
    record_audit(actor, "member_removed", assessment, user=member.user.uuid)


def set_submitter(assessment: Assessment, actor: User, user_id: int) -> None:
    if not permissions.can_manage(actor, assessment):
        raise ReadinessError(_("Only the country's coordinator can name the submitter."))
    if assessment.state not in permissions.EDITABLE_STATES:
        raise ReadinessError(_("The submitter can only change before the assessment is submitted."))
    user = db.session.get(User, user_id)
    if user is None or not permissions.is_team(user, assessment):
        raise ReadinessError(_("The submitter must be the coordinator or a member of the team."))
    assessment.submitter_id = user.id
    db.session.flush()
    record_audit(actor, "submitter_set", assessment, user=user.uuid)


def set_benchmark_opt_in(assessment: Assessment, actor: User, opt_in: bool) -> None:
    if not permissions.can_manage(actor, assessment):
        raise ReadinessError(_("Only the country's coordinator can decide on the benchmark."))
    assessment.is_benchmark_opt_in = bool(opt_in)
    db.session.flush()
    record_audit(actor, "benchmark_opt_in", assessment, opt_in=bool(opt_in))


# --- notes, states ---------------------------------------------------------------------------------


def add_note(assessment: Assessment, actor: User, text: str, dimension_id: str | None = None) -> Note:
    if not permissions.can_note(actor, assessment):
        raise ReadinessError(
            _("Only reviewers and the coordinator can leave notes while the assessment is open.")
        )
    text = (text or "").strip()
    if not text or len(text) > MAX_NOTE:
        raise ReadinessError(_("Write a note of at most %(n)s characters.", n=MAX_NOTE))
    if dimension_id and questionnaire_for(assessment).dimension(dimension_id) is None:
        raise ReadinessError(_("Unknown section."))
    note = Note(assessment_id=assessment.id, author_id=actor.id, dimension_id=dimension_id or None, text=text)
    db.session.add(note)
    db.session.flush()
    record_audit(actor, "note_added", assessment, dimension=dimension_id or None)
    return note


def notes_of(assessment: Assessment) -> list[Note]:
    return list(db.session.scalars(select(Note).filter_by(assessment_id=assessment.id).order_by(Note.id)))


def send_to_review(assessment: Assessment, actor: User) -> None:
    if not permissions.can_manage(actor, assessment) or assessment.state != "draft":
        raise ReadinessError(_("Only the coordinator can send a draft to review."))
    assessment.state = "in_review"
    assessment.review_dt, assessment.review_reminded_dt = utcnow(), None
    db.session.flush()
    record_audit(actor, "state", assessment, state="in_review")


def back_to_draft(assessment: Assessment, actor: User) -> None:
    if not permissions.can_manage(actor, assessment) or assessment.state != "in_review":
        raise ReadinessError(_("Only the coordinator can reopen an assessment in review."))
    assessment.state = "draft"
    assessment.review_dt = None
    db.session.flush()
    record_audit(actor, "state", assessment, state="draft")


def submit(assessment: Assessment, actor: User, *, today: date | None = None):
    """Submit: score, store the result, record the statement and tell the other plugins."""
    from lms.signals import assessment_submitted

    if not permissions.can_submit(actor, assessment):
        raise ReadinessError(_("Only the named submitter can submit, once the assessment is in review."))
    assessment.state = "submitted"
    assessment.submitted_dt = utcnow()
    result = store_result(assessment, trigger="submitted", today=today)
    record_audit(actor, "state", assessment, state="submitted", result=result.uuid)
    res, ext = statements.submitted_result(result.profile)
    statements.record(
        actor, "submitted", assessment, questionnaire_for(assessment).title, result=res, result_extensions=ext
    )
    assessment_submitted.send(
        "readiness",
        country_code=assessment.country_code,
        levels={k: d["level"] for k, d in result.profile["dimensions"].items()},
    )
    return result


def recall(assessment: Assessment, actor: User) -> None:
    if not permissions.can_recall(actor, assessment):
        raise ReadinessError(
            _("Only the submitter or the coordinator can recall a submission that has not been acknowledged.")
        )
    assessment.state = "in_review"
    assessment.submitted_dt = None
    assessment.review_dt, assessment.review_reminded_dt = utcnow(), None
    db.session.flush()
    record_audit(actor, "state", assessment, state="in_review", recalled=True)


def acknowledge(assessment: Assessment, actor: User) -> None:
    if not permissions.is_secretariat(actor) or assessment.state != "submitted":
        raise ReadinessError(_("Only the secretariat can acknowledge a submitted assessment."))
    assessment.state = "acknowledged"
    assessment.acknowledged_dt = utcnow()
    assessment.acknowledged_by_id = actor.id
    db.session.flush()
    record_audit(actor, "state", assessment, state="acknowledged")
    statements.record(actor, "acknowledged", assessment, questionnaire_for(assessment).title)
    coordinator = assessment.coordinator
    if coordinator is not None and coordinator.is_active:
        with force_locale(coordinator.locale or "en"):
            subject = _(
                "The secretariat acknowledged your digital-readiness assessment %(cycle)s",
                cycle=assessment.cycle,
            )
            body = _(
                "Your country's assessment has been acknowledged. Results: %(link)s",
                link=f"{current_app.config['BASE_URL'].rstrip('/')}/readiness/a/{assessment.uuid}/result",
            )
        queue_mail(coordinator.email, subject, body)


def user_names(entries: list[AuditEntry]) -> dict[str, str]:
    """Names of the users the entries mention by pseudonymous id (``details["user"]``)."""
    ids = {e.details.get("user") for e in entries if isinstance(e.details, dict) and e.details.get("user")}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.uuid, User.name).where(User.uuid.in_(ids))).all())


def audit_trail(assessment: Assessment) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry)
            .filter_by(target_type=TARGET, target_id=assessment.uuid)
            .order_by(AuditEntry.id)
        )
    )
