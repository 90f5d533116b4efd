"""CSV and JSON exports of an assessment's result. The CSV is in the reader's language, with the stable
codes in columns of their own; the JSON carries the codes. CSV cells are safe against formula injection:
a cell starting with ``= + - @``, a tab or a carriage return is prefixed with a single quote."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from lms.i18n import list_text
from readiness.presenters import NOT_ASKED, STATE_NAMES, answer_text
from readiness.questionnaire import Questionnaire, pick

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(DANGEROUS_PREFIXES):
        return "'" + text
    return text


def write_csv(rows: list[list]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buf.getvalue()


def answer_code(value) -> str:
    """The answer as stored, for machines: a rubric level, ``yes``/``partly``/``no``, ``na``, ``dk``, an
    option id, or the ticked option ids separated by ``;``."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return str(value)


def result_rows(assessment, result, answers: dict, q: Questionnaire, lang: str) -> list[list]:
    """The rows of the CSV export: readable texts in ``lang`` and, beside them, the stable codes
    (``answer_code``: the answer, the assessment's state, a dimension's ``answered/applicable``)."""
    header = [
        "record",
        "dimension_id",
        "dimension",
        "item_id",
        "question",
        "answer_code",
        "answer",
        "score",
        "level",
        "comment",
        "evidence_url",
    ]
    rows = [header]
    rows.append(
        [
            "assessment",
            "",
            f"{assessment.country_code} {assessment.cycle}",
            "",
            "",
            assessment.state,
            STATE_NAMES.get(assessment.state, assessment.state),
            "",
            "",
            _(
                "questionnaire %(q)s, scoring %(s)s, rules %(r)s",
                q=result.questionnaire_version,
                s=result.scoring_version,
                r=result.rules_version,
            ),
            "",
        ]
    )
    dims = result.profile["dimensions"]
    for dim in q.dimensions:
        d = dims.get(dim.id, {})
        rows.append(
            [
                "dimension",
                dim.id,
                pick(dim.title, lang, q.source_language)[0],
                "",
                "",
                f"{d.get('answered', 0)}/{d.get('applicable', 0)}",
                _(
                    "%(answered)s of %(applicable)s",
                    answered=d.get("answered", 0),
                    applicable=d.get("applicable", 0),
                ),
                "" if d.get("score") is None else f"{d['score']:.3f}",
                d.get("level") or "",
                _(
                    "Capped at level 2 by a key question (%(items)s).",
                    items=list_text(d.get("capped_by") or []),
                )
                if d.get("is_capped")
                else "",
                "",
            ]
        )
        for item in dim.items:
            row = answers.get(item.id)
            value = result.answers.get(item.id)
            state = result.profile.get("items", {}).get(item.id, {})
            not_asked = NOT_ASKED.get(state.get("status"))
            rows.append(
                [
                    "item",
                    dim.id,
                    "",
                    item.id,
                    pick(item.text, lang, q.source_language)[0],
                    state["status"] if not_asked else answer_code(value),
                    str(not_asked)
                    if not_asked
                    else ("" if value is None else answer_text(q, item.id, value, lang)),
                    "" if state.get("score") is None else f"{state['score']:.3f}",
                    "",
                    row.comment if row else "",
                    row.evidence_url if row else "",
                ]
            )
    for rec in result.recommendations:
        title = pick(rec.get("titles"), lang, "en")[0]
        rows.append(
            [
                "recommendation",
                rec.get("dimension", ""),
                "",
                "",
                title,
                "",
                rec.get("url", ""),
                f"{rec.get('priority', 0):.3f}",
                "",
                ", ".join(rec.get("rules", [])),
                "",
            ]
        )
    return rows


def result_json(assessment, result, answers: dict, q: Questionnaire, trend: dict | None) -> dict:
    return {
        "assessment": {
            "id": assessment.uuid,
            "country": assessment.country_code,
            "cycle": assessment.cycle,
            "state": assessment.state,
            "language": assessment.language,
            "submitted": assessment.submitted_dt.isoformat() if assessment.submitted_dt else None,
            "acknowledged": assessment.acknowledged_dt.isoformat() if assessment.acknowledged_dt else None,
        },
        "result": {
            "id": result.uuid,
            "computed": result.computed_dt.isoformat() if result.computed_dt else None,
            "questionnaire_version": result.questionnaire_version,
            "scoring_version": result.scoring_version,
            "rules_version": result.rules_version,
            "trigger": result.trigger,
        },
        "profile": result.profile,
        "answers": {
            item_id: {
                "value": result.answers.get(item_id),
                "comment": answers[item_id].comment if item_id in answers else "",
                "evidence_url": answers[item_id].evidence_url if item_id in answers else "",
            }
            for item_id in q.items
        },
        "recommendations": result.recommendations,
        "trend": trend,
    }
