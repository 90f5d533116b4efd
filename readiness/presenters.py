"""Turning stored results into what the pages show: translated level names and meanings, reasons from
rule facts, localised texts with a fallback language marked up, and the coordinates of the SVG charts."""

from __future__ import annotations

import math

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from lms.i18n import list_text, percent_text
from readiness.questionnaire import DONT_KNOW, NOT_APPLICABLE, Questionnaire, pick

LEVEL_NAMES = {
    1: _l("Initial"),
    2: _l("Developing"),
    3: _l("Defined"),
    4: _l("Managed"),
    5: _l("Optimising"),
}
LEVEL_MEANINGS = {
    1: _l("Digital tools are used occasionally and depend on individuals; little is documented."),
    2: _l(
        "Some tools and practices are in place but not used consistently; much depends on deadlines "
        "and on a few people."
    ),
    3: _l("Documented practices and tools are used regularly by the team."),
    4: _l("Practices are monitored and improved, and the work continues when staff change."),
    5: _l("The country keeps improving, shares its practice with others and adapts quickly to new tools."),
}
STATE_NAMES = {
    "draft": _l("Draft"),
    "in_review": _l("In review"),
    "submitted": _l("Submitted"),
    "acknowledged": _l("Acknowledged"),
}
ACTION_NAMES = {
    "started": _l("Assessment started"),
    "member_set": _l("Team member invited or changed"),
    "member_removed": _l("Team member removed"),
    "submitter_set": _l("Submitter named"),
    "benchmark_opt_in": _l("Benchmark choice"),
    "answer_saved": _l("Answer saved"),
    "note_added": _l("Note added"),
    "state": _l("State changed"),
    "rescored": _l("Scored again"),
    "path_enrolled": _l("Enrolled in the learning path"),
    "advice_requested": _l("Advisory service requested"),
    "advice_updated": _l("Advisory request updated"),
}
NOT_ASKED = {
    # "skipped": an earlier answer rules the question out (it counts as 0 in the score);
    # "hidden": the question it depends on is not answered yet (it is neither counted nor scored).
    "skipped": _l("not asked: ruled out by an earlier answer"),
    "hidden": _l("not asked yet: depends on a question not answered yet"),
}
"""What the result, review, print and CSV show instead of an answer for an item not asked."""

KIND_NAMES = {
    "course": _l("Module"),
    "webinar": _l("Webinar"),
    "webinar_chapter": _l("Webinar chapter"),
    "kit": _l("Workshop kit"),
    "workshop": _l("Workshop"),
    "advisory": _l("Advisory service"),
}


def ltext(texts: dict | None, lang: str, source: str = "en") -> Markup:
    """The text in ``lang``; a fallback is wrapped in an element carrying its ``lang``."""
    text, fallback = pick(texts, lang, source)
    if fallback and fallback != lang:
        return Markup('<span lang="%s">%s</span>') % (fallback, text)
    return escape(text)


def median_level(value: float) -> str:
    """A median level with one decimal, in the reader's number format ("2.0", "4.5"; "2,0" in French)."""
    return format_decimal(value, format="#,##0.0")


def percent(score: float | None) -> str:
    return "" if score is None else percent_text(score)


def score_change(delta: float | None) -> str:
    """A dimension's change of score since the previous cycle, in whole points with the plural form of
    the reader's language ("up 1 point", "рост на 3 балла"); "unchanged" when it rounds to no point."""
    if delta is None:
        return ""
    points = round(abs(delta) * 100)
    if points == 0:
        return _("unchanged")
    if delta > 0:
        return ngettext("up %(num)d point", "up %(num)d points", points)
    return ngettext("down %(num)d point", "down %(num)d points", points)


def answer_text(q: Questionnaire, item_id: str, value, lang: str) -> str:
    item = q.item(item_id)
    if item is None or value is None:
        return _("no answer")
    if value == NOT_APPLICABLE:
        return _("Not applicable")
    if value == DONT_KNOW:
        return _("Don't know")
    if item.type == "rubric" and isinstance(value, int) and 0 <= value <= 4:
        text = pick(item.levels[value], lang, q.source_language)[0].rstrip(".。")
        return _("%(n)s of 4: %(text)s", n=value, text=text)
    if item.type == "yesno":
        return {"yes": _("Yes"), "partly": _("Partly"), "no": _("No")}.get(value, str(value))
    labels = {o.id: pick(o.label, lang, q.source_language)[0] for o in item.options}
    if item.type == "checklist":
        if not value:
            return _("None of these")
        return list_text(labels.get(v, str(v)) for v in value)
    return labels.get(value, str(value))


def fact_text(fact: dict, q: Questionnaire, lang: str) -> str:
    call, subject, actual = fact.get("call"), fact.get("subject", ""), fact.get("actual")
    if call in ("answer", "item_score", "answered", "checked"):
        item_id = subject.split("/")[0]
        item = q.item(item_id)
        question = pick(item.text, lang, q.source_language)[0] if item else item_id
        if call == "answer":
            return _(
                "question %(item)s (“%(text)s”) was answered “%(answer)s”",
                item=item_id,
                text=question,
                answer=answer_text(q, item_id, actual, lang),
            )
        if call == "item_score":
            return _(
                "question %(item)s (“%(text)s”) scored %(score)s",
                item=item_id,
                text=question,
                score=percent(actual),
            )
        if call == "answered":
            return _("question %(item)s (“%(text)s”) was answered", item=item_id, text=question)
        option = subject.split("/", 1)[1] if "/" in subject else ""
        label = next(
            (
                pick(o.label, lang, q.source_language)[0]
                for o in (item.options if item else ())
                if o.id == option
            ),
            option,
        )
        return _("“%(option)s” was ticked in question %(item)s", option=label, item=item_id)
    dim = q.dimension(subject)
    title = pick(dim.title, lang, q.source_language)[0] if dim else subject
    if call == "level":
        if actual is None:
            return _("“%(dimension)s” has no level yet (too few answers)", dimension=title)
        return _(
            "the level of “%(dimension)s” is %(level)s (%(name)s)",
            dimension=title,
            level=actual,
            name=LEVEL_NAMES.get(actual, ""),
        )
    if call == "score":
        return _("the score of “%(dimension)s” is %(score)s", dimension=title, score=percent(actual))
    return _("a rule of the secretariat applies")


def reasons(rec: dict, q: Questionnaire, lang: str) -> list[str]:
    """One readable reason per rule that recommended ``rec``."""
    out = []
    for reason in rec.get("reasons", []):
        facts = [fact_text(f, q, lang) for f in reason.get("facts", [])]
        text = _("Because: %(facts)s.", facts=_("; and ").join(facts)) if facts else ""
        extra = pick(reason.get("text"), lang, "en")[0] if reason.get("text") else ""
        out.append(" ".join(t for t in (text, extra) if t) or _("A rule of the secretariat applies."))
    return out


ROLE_NAMES = {"editor": _l("Section editor"), "reviewer": _l("Reviewer"), "coordinator": _l("Coordinator")}


def audit_details(
    entry, q: Questionnaire, lang: str, names: dict[str, str], services: dict | None = None
) -> list[str]:
    """An audit entry's details as readable phrases in the reader's language: names for user ids,
    translated roles, section titles, answers and states; ``services`` maps a service id to its title."""
    details = dict(entry.details or {}) if isinstance(entry.details, dict) else {}
    action = entry.action.split(".", 1)[-1]

    def dim_title(dim_id):
        dim = q.dimension(dim_id)
        return pick(dim.title, lang, q.source_language)[0] if dim else dim_id

    def who():
        return names.get(details.pop("user", None) or "", None) or _("a former team member")

    out: list[str] = []
    if action == "started":
        out.append(
            _(
                "Cycle %(cycle)s, questionnaire version %(version)s",
                cycle=details.pop("cycle", "–"),
                version=details.pop("questionnaire", "–"),
            )
        )
    elif action == "member_set":
        name, role = who(), details.pop("role", "")
        sections = [dim_title(d) for d in details.pop("sections", None) or []]
        if role == "editor":
            out.append(
                _("%(name)s, section editor for: %(sections)s", name=name, sections=list_text(sections))
            )
        elif role == "reviewer":
            out.append(_("%(name)s, reviewer", name=name))
        else:
            out.append(_("%(name)s, %(role)s", name=name, role=ROLE_NAMES.get(role, role)))
    elif action in ("member_removed", "submitter_set"):
        out.append(who())
    elif action == "benchmark_opt_in":
        opted = details.pop("opt_in", False)
        out.append(_("Counted in the benchmark") if opted else _("Not counted in the benchmark"))
    elif action == "answer_saved":
        item_id = details.pop("item", "")
        old, new = details.pop("old", None), details.pop("new", None)
        if old != new:
            out.append(
                _(
                    "Question %(item)s: “%(old)s” changed to “%(new)s”",
                    item=item_id,
                    old=answer_text(q, item_id, old, lang),
                    new=answer_text(q, item_id, new, lang),
                )
            )
        else:
            out.append(
                _("Question %(item)s: “%(answer)s”", item=item_id, answer=answer_text(q, item_id, new, lang))
            )
        if details.pop("comment_changed", False):
            out.append(_("comment changed"))
        if details.pop("evidence_changed", False):
            out.append(_("evidence link changed"))
    elif action == "note_added":
        dim_id = details.pop("dimension", None)
        out.append(
            _("On the section “%(section)s”", section=dim_title(dim_id))
            if dim_id
            else _("On the whole assessment")
        )
    elif action == "state":
        state = details.pop("state", "")
        label = STATE_NAMES.get(state, state)
        out.append(_("Recalled to review") if details.pop("recalled", False) else str(label))
    elif action == "path_enrolled":
        out.append(
            _(
                "Enrolled in %(accepted)s of %(requested)s resources",
                accepted=details.pop("accepted", 0),
                requested=details.pop("requested", 0),
            )
        )
    elif action in ("advice_requested", "advice_updated"):
        service = details.pop("service", None)
        if service:
            title = (services or {}).get(service)
            out.append(ltext(title, lang) if title else service)
        status = details.pop("status", None)
        if status:
            from readiness.results import status_label

            out.append(_("Status: %(status)s", status=status_label(status)))
    # Ids of results and requests are for the record, not for reading; anything else is shown as stored.
    for key in ("result", "request"):
        details.pop(key, None)
    out += [f"{key}: {value}" for key, value in details.items()]
    return out


def radar(dims: list[tuple[str, float | None]], radius: float = 100.0) -> dict:
    """Coordinates for an SVG radar chart centred on 0,0: axes, rings and the polygon of scores."""
    n = max(len(dims), 3)
    axes, points = [], []
    for i, (label, score) in enumerate(dims):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        x, y = math.cos(angle), math.sin(angle)
        axes.append(
            {
                "x": round(x * radius, 1),
                "y": round(y * radius, 1),
                "label": label,
                "lx": round(x * (radius + 14), 1),
                "ly": round(y * (radius + 14) + 4, 1),
            }
        )
        r = (score or 0) * radius
        points.append(f"{round(x * r, 1)},{round(y * r, 1)}")
    rings = []
    for level in range(1, 6):
        r = radius * level / 5
        ring = []
        for i in range(len(dims)):
            angle = -math.pi / 2 + 2 * math.pi * i / n
            ring.append(f"{round(math.cos(angle) * r, 1)},{round(math.sin(angle) * r, 1)}")
        rings.append(" ".join(ring))
    return {"axes": axes, "polygon": " ".join(points), "rings": rings}
