"""Courses: enrolment -> started -> completed funnel per course and language, median time to
complete, pass rates, lessons where learners stop, and quiz item analysis."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import case, distinct, func, select

from analytics.dash.common import Filters, days_between, median, ratio, scope_conds, table, where
from analytics.models import Certificate, ChildReach, ItemStat, LearnerProgress
from lms.db import db

SUPPORTS = {"resource", "language", "region", "country", "start", "end"}
# Workshops too: their attendance certificates are counted with the certificates of the modules (the
# overview's total), so the rows of every kind that issues certificates add up to that total.
COURSE_KINDS = ("course", "kit", "workshop")
FUNNEL_COLUMNS = [
    "registered",
    "started",
    "completed",
    "completion_rate",
    "median_days_to_complete",
    "attempted",
    "passed",
    "pass_rate",
    "certificates",
]


def _funnel(f: Filters, kinds, by_language: bool) -> list[list]:
    L = LearnerProgress
    dims = [L.kind, L.key] + ([L.language] if by_language else [])
    conds = [L.kind.in_(kinds), *where(L, f, month=None, dt="first_dt")]
    stmt = (
        select(
            *dims,
            func.count(L.registered_dt),
            func.count(L.started_dt),
            func.count(L.completed_dt),
            func.sum(case(((L.n_passed + L.n_failed) > 0, 1), else_=0)),
            func.count(L.passed_dt),
        )
        .where(*conds)
        .group_by(*dims)
    )
    agg = {tuple(r[: len(dims)]): r[len(dims) :] for r in db.session.execute(stmt)}

    durations: dict = defaultdict(list)
    stmt = select(*dims, L.registered_dt, L.first_dt, L.completed_dt).where(
        *conds, L.completed_dt.is_not(None)
    )
    for r in db.session.execute(stmt):
        k = tuple(r[: len(dims)])
        durations[k].append(days_between(r[-2] if r[-3] is None else r[-3], r[-1]))

    C = Certificate
    cdims = [C.kind, C.key] + ([C.language] if by_language else [])
    certs = {
        tuple(r[:-1]): r[-1]
        for r in db.session.execute(
            select(*cdims, func.count(C.id))
            .where(C.kind.in_(kinds), *where(C, f, month=None, dt="issued_dt"))
            .group_by(*cdims)
        )
    }

    rows = []
    for k in sorted(set(agg) | set(certs)):
        registered, started, completed, attempted, passed = (int(x or 0) for x in agg.get(k, (0, 0, 0, 0, 0)))
        ref = f"{k[0]}:{k[1]}"
        rows.append(
            [
                ref,
                *k[2:],
                registered,
                started,
                completed,
                ratio(completed, registered),  # none without enrolments, as for the other rates
                median(durations.get(k, [])),
                attempted,
                passed,
                ratio(passed, attempted),
                certs.get(k, 0),
            ]
        )
    return rows


def compute(f: Filters) -> dict:
    return {
        "tables": {
            "by_course": table(["resource", *FUNNEL_COLUMNS], _funnel(f, COURSE_KINDS, False)),
            "by_course_language": table(
                ["resource", "language", *FUNNEL_COLUMNS], _funnel(f, COURSE_KINDS, True)
            ),
        }
    }


def compute_detail(f: Filters, kind: str, key: str) -> dict:
    f = Filters(**{**f.as_dict(), "resource": f"{kind}:{key}"})
    L, R = LearnerProgress, ChildReach
    lang_cond = [R.language == f.language] if f.language else []
    reached = dict(
        db.session.execute(
            select(R.child, func.count(distinct(R.actor_key)))
            .where(R.kind == kind, R.key == key, *lang_cond)
            .group_by(R.child)
        ).all()
    )
    stopped = dict(
        db.session.execute(
            select(L.last_child, func.count(L.id))
            .where(
                *where(L, f, month=None, dt="first_dt"), L.completed_dt.is_(None), L.last_child.is_not(None)
            )
            .group_by(L.last_child)
        ).all()
    )
    lessons = sorted(set(reached) | set(stopped), key=lambda c: (-reached.get(c, 0), c))
    lesson_rows = [
        [c, reached.get(c, 0), stopped.get(c, 0), ratio(stopped.get(c, 0), reached.get(c, 0))]
        for c in lessons
    ]
    scores = db.session.execute(
        select(func.avg(L.best_score), func.count(L.best_score)).where(
            *where(L, f, month=None, dt="first_dt")
        )
    ).one()
    items = db.session.execute(
        select(func.count(ItemStat.id), func.sum(case((ItemStat.is_flagged.is_(True), 1), else_=0))).where(
            ItemStat.kind == kind, ItemStat.key == key
        )
    ).one()
    summary = [
        ["average_best_score", None if scores[0] is None else round(float(scores[0]), 4)],
        ["scored_learners", int(scores[1] or 0)],
        ["quiz_items", int(items[0] or 0)],
        ["flagged_items", int(items[1] or 0)],
    ]
    return {
        "tables": {
            "funnel": table(["resource", "language", *FUNNEL_COLUMNS], _funnel(f, (kind,), True)),
            "lessons": table(["lesson", "reached", "stopped_here", "stop_rate"], lesson_rows),
            "summary": table(["measure", "value"], summary),
        }
    }


def compute_items(
    f: Filters | None = None, kind: str | None = None, key: str | None = None, flagged_only: bool = False
) -> dict:
    """Item analysis of one course, or (``kind`` None) the flagged items of every course in the
    reader's scope."""
    stmt = select(ItemStat)
    if f is not None:
        stmt = stmt.where(*scope_conds(ItemStat, f.scope))
    if kind is not None:
        stmt = stmt.where(ItemStat.kind == kind, ItemStat.key == key)
    if flagged_only:
        stmt = stmt.where(ItemStat.is_flagged.is_(True))
    items, by_lang, distractors, names, choice_names = [], [], [], {}, {}
    for s in db.session.scalars(stmt.order_by(ItemStat.kind, ItemStat.key, ItemStat.item)):
        ref = f"{s.kind}:{s.key}"
        flagged = sorted(lang for lang, e in (s.by_language or {}).items() if e.get("flag"))
        items.append(
            [
                ref,
                s.item,
                _interaction_type(s.interaction_type, s.correct),
                s.n,
                s.n_correct,
                None if s.difficulty is None else round(s.difficulty, 4),
                None if s.discrimination is None else round(s.discrimination, 4),
                " ".join(flagged),
            ]
        )
        names[f"{ref}|{s.item}"] = s.names or {}
        for lang, e in sorted((s.by_language or {}).items()):
            by_lang.append(
                [
                    ref,
                    s.item,
                    lang,
                    e.get("n"),
                    e.get("p"),
                    e.get("n_ref"),
                    e.get("p_ref"),
                    e.get("mh_d_dif"),
                    e.get("chi2"),
                    bool(e.get("flag")),
                ]
            )
        total = sum((s.distractors or {}).values())
        correct = set(s.correct or [])
        choice_names[f"{ref}|{s.item}"] = {c["id"]: c.get("description") or {} for c in (s.choices or [])}
        choice_ids = [c["id"] for c in (s.choices or [])] or sorted(s.distractors or {})
        for cid in dict.fromkeys([*choice_ids, *sorted(s.distractors or {})]):
            n = (s.distractors or {}).get(cid, 0)
            distractors.append([ref, s.item, cid, n, ratio(n, total), cid in correct])
    return {
        "tables": {
            "items": table(
                [
                    "resource",
                    "item",
                    "interaction_type",
                    "responses",
                    "correct",
                    "difficulty",
                    "discrimination",
                    "flagged_languages",
                ],
                items,
            ),
            "item_languages": table(
                [
                    "resource",
                    "item",
                    "language",
                    "responses",
                    "difficulty",
                    "reference_responses",
                    "reference_difficulty",
                    "mh_d_dif",
                    "chi2",
                    "flagged",
                ],
                by_lang,
            ),
            "distractors": table(
                ["resource", "item", "choice", "picked", "pick_rate", "is_correct"], distractors
            ),
        },
        "names": names,
        "choice_names": choice_names,
    }


def _interaction_type(itype: str, correct: list | None) -> str:
    """xAPI calls single and multiple choice questions both "choice": one whose correct responses are
    each a single choice (no "[,]") is a single-choice question."""
    if itype == "choice" and correct and all("[,]" not in str(p) for p in correct):
        return "single-choice"
    return itype
