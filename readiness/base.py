"""What the readiness services share: the error they raise, the audit helper, the questionnaire of an
assessment."""

from __future__ import annotations

from lms.models import audit
from readiness import catalog
from readiness.models import Assessment
from readiness.questionnaire import Questionnaire

TARGET = "readiness_assessment"


class ReadinessError(Exception):
    """A refused action; ``str(exc)`` is a translated message for the user, ``field`` the name of the form
    field it is about (if any), so that a form can show it there."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def questionnaire_for(assessment: Assessment) -> Questionnaire:
    return catalog.questionnaire_of(assessment.questionnaire_version)


def record_audit(actor, action: str, assessment: Assessment, **details) -> None:
    audit(actor, f"readiness.{action}", TARGET, assessment.uuid, **details)
