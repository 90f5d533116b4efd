"""Rendering helpers for lesson bodies (Markdown through the core's sanitising renderer)."""

from __future__ import annotations

import re

from markupsafe import Markup

from courses.services.questions import normalise_blank
from courses.views import bp
from lms.i18n import collation_key
from lms.markdown import render_markdown

_MEDIA_LINK = re.compile(r"\]\(\s*(?:\./)?media/")


def lesson_html(body: str, slug: str, media_base: str | None = None) -> Markup:
    """Render a lesson's Markdown; ``media/x.png`` links point at the course's media route (or at
    ``media_base`` for offline copies)."""
    base = media_base if media_base is not None else f"/courses/{slug}/media/"
    return render_markdown(_MEDIA_LINK.sub(f"]({base}", body or ""))


def answer_number(value) -> str:
    """A number as typed for an answer (a year, a count, a constant): the reader's decimal mark but no
    grouping separator, so that 2017 is not shown as "2,017" or "2 017", and every decimal kept (3.14159
    is not rounded to the pattern's three)."""
    if value is None or value == "":
        return ""
    from babel.numbers import format_decimal
    from flask_babel import get_locale

    return format_decimal(
        value, locale=get_locale() or "en", group_separator=False, decimal_quantization=False
    )


@bp.context_processor
def _rendering_helpers():
    return {"answer_number": answer_number}


def _distinct_spellings(accepted: list[str]) -> list[str]:
    """The accepted answers a reader would tell apart: a spelling without its accents, there for
    keyboards that lack them ("Japon" beside "Japón"), is not shown as another answer."""
    seen, out = set(), []
    for answer in accepted:
        key = collation_key(normalise_blank(answer))
        if key not in seen:
            seen.add(key)
            out.append(answer)
    return out


def _alternatives(items: list[str]) -> str:
    """Accepted spellings of one answer, any of which counts: "mercury or Hg", "mercury ou Hg"."""
    from babel.lists import format_list
    from flask_babel import get_locale

    return format_list([str(i) for i in items], style="or", locale=get_locale() or "en")


def describe_result(question: dict, texts: dict, outcome: dict, show_answers: bool) -> dict:
    """What the result page says about one graded question: the learner's answer and the feedback
    as text, and the correct answer when it may be shown."""
    from flask_babel import gettext as _

    kind, spec = question["kind"], question.get("spec") or {}
    response = outcome.get("response")
    options = texts.get("options") or {}
    pairs = texts.get("pairs") or {}
    items = texts.get("items") or {}
    yours, right, feedback = [], [], []
    if kind in ("single", "multiple"):
        for ident in response or []:
            opt = options.get(ident) or {}
            yours.append(opt.get("text", ident))
            if opt.get("feedback"):
                feedback.append(opt["feedback"])
        right = [
            (options.get(o["id"]) or {}).get("text", o["id"])
            for o in spec.get("options", [])
            if o.get("correct")
        ]
    elif kind == "truefalse":
        if response is not None:
            yours = [_("True") if response else _("False")]
        right = [_("True") if spec.get("answer") else _("False")]
    elif kind == "numeric":
        if response is not None:
            yours = [str(response)]
        tol = float(spec.get("tolerance") or 0)
        right = [answer_number(spec["answer"]) + (f" ± {answer_number(tol)}" if tol else "")]
    elif kind == "fillin":
        if response is not None:
            yours = [str(response)]
        right = (
            [_alternatives(_distinct_spellings(texts.get("accepted") or [])[:3])]
            if texts.get("accepted")
            else []
        )
    elif kind == "matching":
        for source, target in sorted(
            (response or {}).items(),
            key=lambda kv: spec.get("pairs", []).index(kv[0]) if kv[0] in spec.get("pairs", []) else 0,
        ):
            yours.append(
                f"{(pairs.get(source) or {}).get('source', source)} → "
                f"{(pairs.get(target) or {}).get('target', target)}"
            )
        right = [
            f"{(pairs.get(p) or {}).get('source', p)} → {(pairs.get(p) or {}).get('target', p)}"
            for p in spec.get("pairs", [])
        ]
    elif kind == "ordering":
        yours = [items.get(i, i) for i in response or []]
        right = [items.get(i, i) for i in spec.get("items", [])]
    general = texts.get("feedback_correct" if outcome.get("correct") else "feedback_incorrect")
    if general:
        feedback.insert(0, general)
    return {
        "yours": yours,
        "right": right if show_answers else [],
        "feedback": feedback,
        "correct": bool(outcome.get("correct")),
        "score": outcome.get("score", 0),
        "max": outcome.get("max", 0),
    }
