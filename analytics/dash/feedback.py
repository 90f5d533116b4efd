"""Feedback aggregates per resource and language ("Was this useful?", problem reports, end-of-course
evaluations). Read live: these tables are small and change with every answer."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import case, func, select

from analytics.dash.common import Filters, ratio, scope_conds, table
from analytics.models_feedback import Evaluation, Feedback, ProblemReport
from lms.db import db

SUPPORTS = {"resource", "language"}
RECENT = 50  # free-text comments shown (newest first); learners are not named
COLUMNS = [
    "resource",
    "language",
    "useful_yes",
    "useful_no",
    "useful_rate",
    "comments",
    "reports_total",
    "reports_open",
    "evaluations",
    "mean_relevance",
    "mean_clarity",
    "mean_language_quality",
]


def _conds(model, f: Filters) -> list:
    conds = []
    if f.kind_key:
        conds += [model.kind == f.kind_key[0], model.key == f.kind_key[1]]
    if f.language:
        conds.append(model.language == f.language)
    return conds + scope_conds(model, f.scope)


def compute(f: Filters) -> dict:
    # counts, then the evaluations' means: none (not 0) without evaluations
    acc: dict = defaultdict(lambda: [0] * 6 + [None] * 3)
    F, P, E = Feedback, ProblemReport, Evaluation
    for kind, key, lang, yes, no, comments in db.session.execute(
        select(
            F.kind,
            F.key,
            F.language,
            func.sum(case((F.is_useful.is_(True), 1), else_=0)),
            func.sum(case((F.is_useful.is_(False), 1), else_=0)),
            func.sum(case((F.comment != "", 1), else_=0)),
        )
        .where(*_conds(F, f))
        .group_by(F.kind, F.key, F.language)
    ):
        a = acc[(kind, key, lang)]
        a[0], a[1], a[2] = int(yes or 0), int(no or 0), int(comments or 0)
    for kind, key, lang, total, open_ in db.session.execute(
        select(
            P.kind,
            P.key,
            P.language,
            func.count(P.id),
            func.sum(case((P.status.in_(("new", "in_progress")), 1), else_=0)),
        )
        .where(*_conds(P, f))
        .group_by(P.kind, P.key, P.language)
    ):
        a = acc[(kind, key, lang)]
        a[3], a[4] = int(total), int(open_ or 0)
    for kind, key, lang, n, rel, cla, lq in db.session.execute(
        select(
            E.kind,
            E.key,
            E.language,
            func.count(E.id),
            func.avg(E.relevance),
            func.avg(E.clarity),
            func.avg(E.language_quality),
        )
        .where(*_conds(E, f))
        .group_by(E.kind, E.key, E.language)
    ):
        a = acc[(kind, key, lang)]
        a[5] = int(n)
        a[6], a[7], a[8] = (None if v is None else round(float(v), 2) for v in (rel, cla, lq))
    rows = [
        [
            f"{kind}:{key}",
            lang or "und",
            a[0],
            a[1],
            ratio(a[0], a[0] + a[1]),
            a[2],
            a[3],
            a[4],
            a[5],
            a[6],
            a[7],
            a[8],
        ]
        for (kind, key, lang), a in sorted(acc.items())
    ]
    cats = db.session.execute(
        select(P.category, P.status, func.count(P.id))
        .where(*_conds(P, f))
        .group_by(P.category, P.status)
        .order_by(P.category, P.status)
    ).all()
    comments = [
        [
            c.created_dt.date().isoformat(),
            f"{c.kind}:{c.key}",
            c.part,
            c.language or "und",
            c.is_useful,
            c.comment,
        ]
        for c in db.session.scalars(
            select(F)
            .where(*_conds(F, f), F.comment != "")
            .order_by(F.created_dt.desc(), F.id.desc())
            .limit(RECENT)
        )
    ]
    suggestions = [
        [e.updated_dt.date().isoformat(), f"{e.kind}:{e.key}", e.language or "und", e.suggestions]
        for e in db.session.scalars(
            select(E)
            .where(*_conds(E, f), E.suggestions != "")
            .order_by(E.updated_dt.desc(), E.id.desc())
            .limit(RECENT)
        )
    ]
    return {
        "tables": {
            "by_resource_language": table(COLUMNS, rows),
            "reports_by_category": table(["category", "status", "count"], [list(r) for r in cats]),
            "recent_comments": table(["date", "resource", "part", "language", "useful", "comment"], comments),
            "recent_suggestions": table(["date", "resource", "language", "suggestions"], suggestions),
        }
    }
