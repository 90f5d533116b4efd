"""CSV and JSON exports of an assessment's result. CSV cells are safe against formula injection: a cell
starting with ``= + - @``, a tab or a carriage return is prefixed with a single quote."""

from __future__ import annotations

import csv
import io

from readiness.questionnaire import DONT_KNOW, NOT_APPLICABLE, Questionnaire, pick

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


def answer_label(q: Questionnaire, item_id: str, value, lang: str) -> str:
    """A readable answer in ``lang`` (language-neutral codes for yes/partly/no, "na", "dk")."""
    item = q.item(item_id)
    if value is None or item is None:
        return ""
    if value == NOT_APPLICABLE:
        return "not applicable"
    if value == DONT_KNOW:
        return "don't know"
    if item.type == "rubric":
        text, _fb = (
            pick(item.levels[value], lang, q.source_language) if isinstance(value, int) else ("", None)
        )
        return f"{value} - {text}"
    if item.type == "yesno":
        return str(value)
    labels = {o.id: pick(o.label, lang, q.source_language)[0] for o in item.options}
    if item.type == "checklist":
        return "; ".join(labels.get(v, v) for v in value) if value else "none"
    return labels.get(value, str(value))


def result_rows(assessment, result, answers: dict, q: Questionnaire, lang: str) -> list[list]:
    header = [
        "record",
        "dimension_id",
        "dimension",
        "item_id",
        "question",
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
            "",
            "",
            f"questionnaire {result.questionnaire_version}; scoring {result.scoring_version}; "
            f"rules {result.rules_version}",
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
                f"{d.get('answered', 0)}/{d.get('applicable', 0)} answered",
                "" if d.get("score") is None else f"{d['score']:.3f}",
                d.get("level") or "",
                "capped by a gate item" if d.get("is_capped") else "",
                "",
            ]
        )
        for item in dim.items:
            row = answers.get(item.id)
            value = result.answers.get(item.id)
            state = result.profile.get("items", {}).get(item.id, {})
            rows.append(
                [
                    "item",
                    dim.id,
                    "",
                    item.id,
                    pick(item.text, lang, q.source_language)[0],
                    "(skipped)"
                    if state.get("status") == "skipped"
                    else answer_label(q, item.id, value, lang),
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
