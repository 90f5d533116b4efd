"""xAPI statements of the readiness assessment: started, submitted (per-dimension scores as result
extensions) and acknowledged, with the assessed country and cycle as context extensions. No free-text
answer, comment or evidence link ever goes into a statement."""

from __future__ import annotations

from flask import current_app

from lms.xapi import activity_iri, record_statement

ACTIVITY_KIND = "readiness-assessment"


def extension(name: str) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/xapi/extensions/{name}"


def assessment_iri(assessment) -> str:
    return activity_iri(ACTIVITY_KIND, assessment.uuid)


def record(
    user,
    verb: str,
    assessment,
    questionnaire_title: dict,
    *,
    result: dict | None = None,
    result_extensions: dict | None = None,
) -> dict:
    return record_statement(
        user=user,
        verb=verb,
        activity_id=assessment_iri(assessment),
        activity_type="assessment",
        activity_name={
            lang: f"{title} ({assessment.country_code}, {assessment.cycle})"
            for lang, title in questionnaire_title.items()
        },
        registration=assessment.uuid,
        language=assessment.language,
        extensions={
            extension("assessment-country"): assessment.country_code,
            extension("assessment-cycle"): assessment.cycle,
            extension("questionnaire-version"): assessment.questionnaire_version.version,
        },
        result=result,
        result_extensions=result_extensions,
    )


def submitted_result(profile: dict) -> tuple[dict, dict]:
    """The xAPI ``result`` and its extensions for a submitted profile: completion plus, per dimension,
    the score (0-1) and level (1-5 or null)."""
    dims = profile["dimensions"]
    return (
        {"completion": True},
        {
            extension("dimension-scores"): {k: d["score"] for k, d in dims.items()},
            extension("dimension-levels"): {k: d["level"] for k, d in dims.items()},
        },
    )
