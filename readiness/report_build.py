"""The texts of the PDF result (:mod:`readiness.report_pdf`) in the reader's language, from the same
context as the result page (:func:`readiness.views_results._context`)."""

from __future__ import annotations

from flask_babel import format_date, pgettext
from flask_babel import gettext as _

from lms.countries import country_name
from lms.db import utcnow
from lms.i18n import details_text, labelled, list_text
from readiness.presenters import KIND_NAMES, LEVEL_MEANINGS, LEVEL_NAMES, percent, score_change
from readiness.questionnaire import pick
from readiness.report_pdf import DimensionLine, Report


def _level(level: int | None) -> str:
    if not level:
        return _("no level yet (too few answers)")
    return _("Level %(n)s · %(name)s", n=level, name=LEVEL_NAMES[level])


def _labelled(label: str, value: str) -> str:
    return labelled(label, value).unescape()


def _trend_line(t: dict | None, cycle: str) -> str:
    if t is None:
        return ""
    previous = _level(t["previous_level"]) if t.get("previous_level") else "–"
    change = score_change(t.get("delta"))
    line = _("Previous cycle (%(cycle)s): %(level)s", cycle=cycle, level=previous)
    return details_text([line, change]).unescape()


def build_report(ctx: dict, lang: str) -> Report:
    a, q, dims, profile, trend = ctx["a"], ctx["q"], ctx["dims"], ctx["profile"], ctx["trend"]
    stored = ctx["stored"]

    def lt(texts: dict | None) -> str:
        return pick(texts, lang, q.source_language)[0]

    when = stored.computed_dt if stored is not None else utcnow()
    facts = [
        _("Country: %(country)s", country=country_name(a.country_code, lang)),
        _("Cycle: %(cycle)s", cycle=a.cycle),
        _("Questionnaire: %(title)s, version %(version)s", title=lt(q.title), version=q.version),
        _("Date: %(date)s", date=format_date(when, "long")),
    ]
    if stored is not None:
        facts.append(_("Scoring %(s)s, rules %(r)s.", s=stored.scoring_version, r=stored.rules_version))
    else:
        facts.append(
            _(
                "Provisional result from the answers saved so far; it is stored when the assessment is "
                "submitted."
            )
        )
    lines = []
    for d in q.dimensions:
        s = dims[d.id]
        detail = _(
            "%(answered)s of %(applicable)s answered", answered=s["answered"], applicable=s["applicable"]
        )
        if s.get("is_capped"):
            detail += " · " + _(
                "Capped at level 2 by a key question (%(items)s).", items=list_text(s["capped_by"])
            )
        lines.append(
            DimensionLine(
                title=lt(d.title),
                level=_level(s["level"]),
                score=s["score"],
                score_text=percent(s["score"]) if s["score"] is not None else "–",
                detail=detail,
                trend=_trend_line(trend["dimensions"].get(d.id), trend["cycle"]) if trend else "",
            )
        )
    recs = []
    for rec, why in ctx["rec_rows"]:
        kind = KIND_NAMES.get(rec.get("kind") if rec.get("type") == "resource" else "advisory", "")
        dim = q.dimension(rec.get("dimension", ""))
        meta = " · ".join(str(x) for x in (kind, lt(dim.title) if dim else rec.get("dimension", "")) if x)
        recs.append((lt(rec.get("titles")), meta, list(why)))
    report = Report(
        language=lang,
        title=_(
            "Digital readiness of %(country)s, %(cycle)s",
            country=country_name(a.country_code, lang),
            cycle=a.cycle,
        ),
        facts=facts,
        headings={
            "profile": pgettext("readiness result", "Profile"),
            "levels": _("What the levels mean"),
            "strengths": _("Strengths"),
            "gaps": _("Where to start"),
            "recommendations": _("Recommendations"),
            "trend": _("Change since %(cycle)s", cycle=trend["cycle"]) if trend else "",
        },
        dimensions=lines,
        # In the report's language's punctuation ("：" in Chinese, " :" in French), as the page writes them.
        levels=[_labelled(f"{n} {LEVEL_NAMES[n]}", LEVEL_MEANINGS[n]) for n in range(1, 6)],
        strengths=[
            _labelled(lt(q.dimension(d).title), _level(dims[d]["level"]))
            for d in profile.get("strengths", [])
        ],
        gaps=[_labelled(lt(q.dimension(d).title), _level(dims[d]["level"])) for d in profile.get("gaps", [])],
        no_strength=_("No dimension has reached level 3 yet."),
        recommendations=recs,
        no_recommendation=_("No recommendation: no rule of the secretariat applies to these answers."),
        footer=_("Each dimension has its own level; there is no overall rank."),
    )
    if trend:
        report.trend_intro = _(
            "Every dimension is compared with the previous cycle (questionnaire %(version)s).",
            version=trend["questionnaire_version"],
        )
        if not trend.get("is_same_version", True):
            report.trend_intro += " " + _(
                "The questionnaire has changed since then. To compare like with like, the change in each "
                "dimension is computed, then and now, over the questions both versions share."
            )
            texts = trend.get("item_texts", {})
            if trend.get("new_items"):
                report.trend_items.append(
                    (
                        _("New questions, not compared"),
                        [f"{i} {lt(texts.get('new', {}).get(i))}" for i in trend["new_items"]],
                    )
                )
            if trend.get("removed_items"):
                report.trend_items.append(
                    (
                        _("Questions removed since then, not compared"),
                        [f"{i} {lt(texts.get('old', {}).get(i))}" for i in trend["removed_items"]],
                    )
                )
    return report
