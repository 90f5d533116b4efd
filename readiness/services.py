"""The team workflow of an assessment: start, invite, answer (with optimistic concurrency per item),
review notes and the states draft -> in review -> submitted -> acknowledged (with recall).

Services take explicit arguments, flush only, and raise :class:`ReadinessError` with a translated message
when they refuse; every change goes to the core audit trail. Scoring and recommendations are in
:mod:`readiness.results`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from lms.db import db, utcnow
from lms.mail import queue_mail
from lms.models import AuditEntry, User, audit
from readiness import catalog, permissions, statements
from readiness.models import MEMBER_ROLES, Answer, Assessment, Member, Note
from readiness.questionnaire import DONT_KNOW, NOT_APPLICABLE, Item, Questionnaire

CYCLE_RE = re.compile(r"^20\d\d$")
MAX_COMMENT = 2000
MAX_NOTE = 4000
TARGET = "readiness_assessment"


class ReadinessError(Exception):
    """A refused action; ``str(exc)`` is a translated message for the user."""


def questionnaire_for(assessment: Assessment) -> Questionnaire:
    return catalog.questionnaire_of(assessment.questionnaire_version)


def _audit(actor, action: str, assessment: Assessment, **details) -> None:
    audit(actor, f"readiness.{action}", TARGET, assessment.uuid, **details)


def get_assessment(uuid: str) -> Assessment | None:
    return db.session.scalar(select(Assessment).filter_by(uuid=uuid))


def assessments_of_country(country_code: str) -> list[Assessment]:
    return list(
        db.session.scalars(
            select(Assessment).filter_by(country_code=country_code).order_by(Assessment.cycle.desc())
        )
    )


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
        raise ReadinessError(_("The cycle is a year, such as 2025."))
    if language not in current_app.config["LANGUAGES"]:
        raise ReadinessError(_("Choose one of the platform's languages."))
    existing = db.session.scalar(
        select(Assessment).filter_by(country_code=coordinator.country_code, cycle=cycle)
    )
    if existing is not None:
        raise ReadinessError(_("Your country already has an assessment for %(cycle)s.", cycle=cycle))
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
    _audit(coordinator, "started", assessment, cycle=cycle, questionnaire=q_row.version)
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
        raise ReadinessError(_("You can only invite registered colleagues of your own country."))
    if user.id == actor.id or user.coordinates(assessment.country_code):
        raise ReadinessError(_("The coordinator is already part of the team."))
    if role not in MEMBER_ROLES:
        raise ReadinessError(_("Choose whether the colleague edits sections or reviews."))
    dims = [d.id for d in questionnaire_for(assessment).dimensions]
    unknown = [s for s in sections if s not in dims]
    if unknown:
        raise ReadinessError(_("Unknown section: %(name)s.", name=", ".join(unknown)))
    if role == "editor" and not sections:
        raise ReadinessError(_("Choose at least one section for a section editor."))
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
    _audit(actor, "member_set", assessment, user=user.uuid, role=role, sections=sections)
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
    _audit(actor, "member_removed", assessment, user=member.user.uuid)


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
    _audit(actor, "submitter_set", assessment, user=user.uuid)


def set_benchmark_opt_in(assessment: Assessment, actor: User, opt_in: bool) -> None:
    if not permissions.can_manage(actor, assessment):
        raise ReadinessError(_("Only the country's coordinator can decide on the benchmark."))
    assessment.is_benchmark_opt_in = bool(opt_in)
    db.session.flush()
    _audit(actor, "benchmark_opt_in", assessment, opt_in=bool(opt_in))


# --- answers -------------------------------------------------------------------------------------


@dataclass
class ItemInput:
    item_id: str
    value: object  # parsed answer value or None
    comment: str = ""
    evidence_url: str = ""
    version: int = 0  # the version the editor saw (0: no answer yet)
    original: str | None = None  # fingerprint of what the editor saw; equal input = untouched item


def fingerprint(value, comment: str, evidence_url: str) -> str:
    """A short digest of an item's answer, comment and link as shown in the form."""
    raw = json.dumps([value, comment or "", evidence_url or ""], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def answer_fingerprint(row: Answer | None) -> str:
    return fingerprint(row.answer, row.comment, row.evidence_url) if row else fingerprint(None, "", "")


@dataclass
class Conflict:
    item_id: str
    mine: ItemInput
    theirs: Answer


@dataclass
class SaveOutcome:
    saved: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def answers_of(assessment: Assessment) -> dict[str, Answer]:
    return {a.item_id: a for a in db.session.scalars(select(Answer).filter_by(assessment_id=assessment.id))}


def answer_values(assessment: Assessment) -> dict[str, object]:
    return {k: a.answer for k, a in answers_of(assessment).items() if a.answer is not None}


def parse_value(item: Item, raw, ticked: list[str] | None = None):
    """Turn form input into an answer value (``None``: no answer). Raises :class:`ReadinessError`."""
    raw = (raw or "").strip() if isinstance(raw, str) else raw
    if item.type == "checklist":
        ticked = [t for t in (ticked or []) if t]
        if ticked:
            value = (
                sorted(set(ticked), key=[o.id for o in item.options].index)
                if set(ticked) <= {o.id for o in item.options}
                else None
            )
            if value is None:
                raise ReadinessError(_("Question %(item)s: unknown option.", item=item.id))
            return value
        if raw in ("", None):
            return None
        if raw == "none":
            return []
    elif raw in ("", None):
        return None
    if raw in (NOT_APPLICABLE, DONT_KNOW):
        if not item.valid(raw):
            raise ReadinessError(_("Question %(item)s cannot be answered that way.", item=item.id))
        return raw
    value = raw
    if item.type == "rubric":
        value = int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) == 1 else raw
    if not item.valid(value):
        raise ReadinessError(_("Question %(item)s: that answer is not one of the choices.", item=item.id))
    return value


def _clean_url(url: str, item_id: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500:
        raise ReadinessError(
            _("Question %(item)s: the evidence link must be a web address (http or https).", item=item_id)
        )
    return url


def save_section(
    assessment: Assessment, actor: User, dimension_id: str, inputs: list[ItemInput]
) -> SaveOutcome:
    """Save the changed answers of one section. Every input is checked first, so a bad one refuses the
    whole save. An item saved meanwhile by someone else (its version moved on) is not overwritten but
    returned as a conflict."""
    q = questionnaire_for(assessment)
    dim = q.dimension(dimension_id)
    if dim is None:
        raise ReadinessError(_("Unknown section."))
    if not permissions.can_edit_section(actor, assessment, dimension_id):
        raise ReadinessError(_("You cannot edit this section."))
    dim_items = {it.id: it for it in dim.items}
    for entry in inputs:
        if entry.item_id not in dim_items:
            raise ReadinessError(_("Question %(item)s is not in this section.", item=entry.item_id))
        entry.comment = (entry.comment or "").strip()
        if len(entry.comment) > MAX_COMMENT:
            raise ReadinessError(
                _(
                    "Question %(item)s: the comment is longer than %(n)s characters.",
                    item=entry.item_id,
                    n=MAX_COMMENT,
                )
            )
        entry.evidence_url = _clean_url(entry.evidence_url, entry.item_id)
        if entry.value is not None and not dim_items[entry.item_id].valid(entry.value):
            raise ReadinessError(
                _("Question %(item)s: that answer is not one of the choices.", item=entry.item_id)
            )
    current = answers_of(assessment)
    outcome = SaveOutcome()
    now = utcnow()
    for entry in inputs:
        row = current.get(entry.item_id)
        old = (row.answer, row.comment, row.evidence_url) if row else (None, "", "")
        new = (entry.value, entry.comment, entry.evidence_url)
        if old == new or (entry.original is not None and entry.original == fingerprint(*new)):
            continue  # nothing to save, or the editor left this item as it was shown
        if row is None:
            if entry.version != 0:
                raise ReadinessError(
                    _("Question %(item)s changed meanwhile; reload the page.", item=entry.item_id)
                )
            db.session.add(
                Answer(
                    assessment_id=assessment.id,
                    item_id=entry.item_id,
                    value={"v": entry.value},
                    comment=entry.comment,
                    evidence_url=entry.evidence_url,
                    version=1,
                    updated_by_id=actor.id,
                    updated_dt=now,
                )
            )
        else:
            done = db.session.execute(
                update(Answer)
                .where(Answer.id == row.id, Answer.version == entry.version)
                .values(
                    value={"v": entry.value},
                    comment=entry.comment,
                    evidence_url=entry.evidence_url,
                    version=Answer.version + 1,
                    updated_by_id=actor.id,
                    updated_dt=now,
                )
                .execution_options(synchronize_session=False)
            ).rowcount
            if done != 1:
                db.session.refresh(row)
                outcome.conflicts.append(Conflict(entry.item_id, entry, row))
                continue
            db.session.expire(row)
        outcome.saved.append(entry.item_id)
        _audit(
            actor,
            "answer_saved",
            assessment,
            item=entry.item_id,
            old=old[0],
            new=entry.value,
            comment_changed=old[1] != entry.comment,
            evidence_changed=old[2] != entry.evidence_url,
        )
    db.session.flush()
    return outcome


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
    _audit(actor, "note_added", assessment, dimension=dimension_id or None)
    return note


def notes_of(assessment: Assessment) -> list[Note]:
    return list(db.session.scalars(select(Note).filter_by(assessment_id=assessment.id).order_by(Note.id)))


def send_to_review(assessment: Assessment, actor: User) -> None:
    if not permissions.can_manage(actor, assessment) or assessment.state != "draft":
        raise ReadinessError(_("Only the coordinator can send a draft to review."))
    assessment.state = "in_review"
    db.session.flush()
    _audit(actor, "state", assessment, state="in_review")


def back_to_draft(assessment: Assessment, actor: User) -> None:
    if not permissions.can_manage(actor, assessment) or assessment.state != "in_review":
        raise ReadinessError(_("Only the coordinator can reopen an assessment in review."))
    assessment.state = "draft"
    db.session.flush()
    _audit(actor, "state", assessment, state="draft")


def submit(assessment: Assessment, actor: User, *, today: date | None = None):
    """Submit: score, store the result, record the statement and tell the other plugins."""
    from lms.signals import assessment_submitted
    from readiness.results import store_result

    if not permissions.can_submit(actor, assessment):
        raise ReadinessError(_("Only the named submitter can submit, once the assessment is in review."))
    assessment.state = "submitted"
    assessment.submitted_dt = utcnow()
    result = store_result(assessment, trigger="submitted", today=today)
    _audit(actor, "state", assessment, state="submitted", result=result.uuid)
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
    db.session.flush()
    _audit(actor, "state", assessment, state="in_review", recalled=True)


def acknowledge(assessment: Assessment, actor: User) -> None:
    if not permissions.is_secretariat(actor) or assessment.state != "submitted":
        raise ReadinessError(_("Only the secretariat can acknowledge a submitted assessment."))
    assessment.state = "acknowledged"
    assessment.acknowledged_dt = utcnow()
    assessment.acknowledged_by_id = actor.id
    db.session.flush()
    _audit(actor, "state", assessment, state="acknowledged")
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
