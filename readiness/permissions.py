"""Who may do what with an assessment. Pure checks on explicit arguments (no ``current_user``).

- the country's coordinator (``role == "coordinator"`` and same country) starts and manages it and may
  answer every section;
- invited section editors answer their sections; reviewers read everything and leave notes;
- the named submitter submits and may recall before the secretariat acknowledges;
- the secretariat (admins) reads submitted assessments (drafts stay with the team), acknowledges them
  and handles advisory requests;
- other users, trainers included, have no access.
"""

from __future__ import annotations

from lms.models import User
from readiness.models import Assessment, Member

EDITABLE_STATES = ("draft", "in_review")


def is_secretariat(user: User | None) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.role == "admin")


def can_start(user: User | None) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.role == "coordinator"
        and user.country_code
    )


def member_of(user: User | None, assessment: Assessment) -> Member | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return next((m for m in assessment.members if m.user_id == user.id), None)


def is_coordinator(user: User | None, assessment: Assessment) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.coordinates(assessment.country_code)
    )


def is_team(user: User | None, assessment: Assessment) -> bool:
    """The coordinator or an invited colleague (still of the same country)."""
    if is_coordinator(user, assessment):
        return True
    member = member_of(user, assessment)
    return member is not None and user.country_code == assessment.country_code


def can_view(user: User | None, assessment: Assessment) -> bool:
    """The team always; the secretariat once the assessment is submitted (drafts stay with the team)."""
    if is_team(user, assessment):
        return True
    return is_secretariat(user) and assessment.state in ("submitted", "acknowledged")


def can_manage(user: User | None, assessment: Assessment) -> bool:
    return is_coordinator(user, assessment)


def editable_sections(user: User | None, assessment: Assessment, all_sections: list[str]) -> list[str]:
    if assessment.state not in EDITABLE_STATES:
        return []
    if is_coordinator(user, assessment):
        return list(all_sections)
    member = member_of(user, assessment)
    if member is None or member.role != "editor" or user.country_code != assessment.country_code:
        return []
    return [s for s in all_sections if s in (member.sections or [])]


def can_edit_section(user: User | None, assessment: Assessment, dimension_id: str) -> bool:
    return dimension_id in editable_sections(user, assessment, [dimension_id])


def can_note(user: User | None, assessment: Assessment) -> bool:
    if assessment.state not in EDITABLE_STATES:
        return False
    if is_coordinator(user, assessment):
        return True
    member = member_of(user, assessment)
    return member is not None and member.role == "reviewer" and user.country_code == assessment.country_code


def is_submitter(user: User | None, assessment: Assessment) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and assessment.submitter_id == user.id
        and is_team(user, assessment)
    )


def can_submit(user: User | None, assessment: Assessment) -> bool:
    return assessment.state == "in_review" and is_submitter(user, assessment)


def can_recall(user: User | None, assessment: Assessment) -> bool:
    return assessment.state == "submitted" and (
        is_submitter(user, assessment) or is_coordinator(user, assessment)
    )


def can_request_advice(user: User | None, assessment: Assessment) -> bool:
    return is_coordinator(user, assessment) and assessment.state in ("submitted", "acknowledged")
