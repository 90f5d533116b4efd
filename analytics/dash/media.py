"""Webinars (views, unique viewers, watch-through from played segments, Q&A, by language) and
workshops (attendance, pre/post gains)."""

from __future__ import annotations

import math
from collections import defaultdict

from sqlalchemy import distinct, func, select

from analytics.dash.common import Filters, ratio, table, where
from analytics.models import LearnerProgress, MonthlyCount, VideoMinute, VideoSession, VideoStat, VideoViewer
from lms.db import db

WEBINAR_SUPPORTS = {"resource", "language"}
WORKSHOP_SUPPORTS = {"resource", "language", "region", "country", "start", "end"}
WORKSHOP_KINDS = ("workshop", "kit")


def _webinar_rows(f: Filters, kind: str = "webinar") -> list[list]:
    S, V, M = VideoSession, VideoViewer, MonthlyCount
    base = [S.kind == kind, *where(S, f, month=None, region=False, country=False)]
    views = {
        (r[0], r[1]): (int(r[2]), int(r[3]))
        for r in db.session.execute(
            select(S.key, S.language, func.count(S.id), func.count(distinct(S.actor_key)))
            .where(*base)
            .group_by(S.key, S.language)
        )
    }
    watched = defaultdict(lambda: [0, 0])
    for key, lang, minutes in db.session.execute(
        select(V.key, V.language, V.minutes).where(
            V.kind == kind, *where(V, f, month=None, region=False, country=False)
        )
    ):
        w = watched[(key, lang)]
        w[0] += 1
        w[1] += len(minutes or [])
    lengths = {
        (k, lang): n
        for k, lang, n in db.session.execute(
            select(VideoStat.key, VideoStat.language, VideoStat.length_s).where(VideoStat.kind == kind)
        )
    }
    counts = defaultdict(lambda: {"completed": 0, "asked": 0, "attended": 0, "registered": 0})
    for key, lang, verb, n in db.session.execute(
        select(M.key, M.language, M.verb, func.sum(M.n))
        .where(
            M.kind == kind,
            M.verb.in_(("completed", "asked", "attended", "registered"))
            | M.verb.like("asked@%")
            | M.verb.like("completed@%"),  # the player completes the recording (webinar/<key>/recording)
            *where(M, f, month=None, region=False, country=False),
        )
        .group_by(M.key, M.language, M.verb)
    ):
        counts[(key, lang)][verb.split("@")[0]] += int(n or 0)
    rows = []
    for k in sorted(set(views) | set(watched) | set(counts)):
        n_views, unique = views.get(k, (0, 0))
        viewers, minutes = watched.get(k, (0, 0))
        length = lengths.get(k)
        total_minutes = math.ceil(length / 60) if length else None
        avg_minutes = round(minutes / viewers, 2) if viewers else None
        through = ratio(avg_minutes, total_minutes) if avg_minutes is not None and total_minutes else None
        rows.append(
            [
                f"{kind}:{k[0]}",
                k[1],
                n_views,
                unique,
                counts[k]["completed"],
                avg_minutes,
                None if length is None else round(length),
                through,
                counts[k]["asked"],
                counts[k]["registered"],
                counts[k]["attended"],
            ]
        )
    return rows


WEBINAR_COLUMNS = [
    "resource",
    "language",
    "views",
    "unique_viewers",
    "completions",
    "average_minutes_watched",
    "length_seconds",
    "watch_through",
    "questions_asked",
    "registered",
    "attended",
]


def compute_webinars(f: Filters) -> dict:
    return {"tables": {"by_session_language": table(WEBINAR_COLUMNS, _webinar_rows(f))}}


def compute_webinar_detail(f: Filters, kind: str, key: str) -> dict:
    f = Filters(**{**f.as_dict(), "resource": f"{kind}:{key}"})
    V = VideoMinute
    conds = [V.kind == kind, V.key == key] + ([V.language == f.language] if f.language else [])
    per_minute: dict = defaultdict(int)
    by_lang: dict = defaultdict(dict)
    for lang, minute, viewers in db.session.execute(select(V.language, V.minute, V.viewers).where(*conds)):
        per_minute[minute] += viewers
        by_lang[lang][minute] = viewers
    langs = sorted(by_lang)
    last = max(per_minute) if per_minute else -1
    minutes = [
        [m, per_minute.get(m, 0), *[by_lang[lang].get(m, 0) for lang in langs]] for m in range(last + 1)
    ]
    return {
        "tables": {
            "summary": table(WEBINAR_COLUMNS, _webinar_rows(f, kind)),
            "minutes": table(["minute", "viewers", *[f"viewers_{lang}" for lang in langs]], minutes),
        }
    }


def compute_workshops(f: Filters) -> dict:
    L = LearnerProgress
    conds = [L.kind.in_(WORKSHOP_KINDS), *where(L, f, month=None, dt="first_dt")]
    acc: dict = defaultdict(lambda: {"attended": 0, "pairs": [], "pre": [], "post": []})
    for kind, key, lang, attended, pre, post in db.session.execute(
        select(L.kind, L.key, L.language, L.attended_dt, L.pre_score, L.post_score).where(*conds)
    ):
        a = acc[(kind, key, lang)]
        if attended is not None:
            a["attended"] += 1
        if pre is not None:
            a["pre"].append(pre)
        if post is not None:
            a["post"].append(post)
        if pre is not None and post is not None:
            a["pairs"].append((pre, post))
    rows = []
    for (kind, key, lang), a in sorted(acc.items()):
        if not (a["attended"] or a["pre"] or a["post"]):
            continue
        pairs = a["pairs"]
        gain = round(sum(post - pre for pre, post in pairs) / len(pairs), 4) if pairs else None
        norm = [(post - pre) / (1 - pre) for pre, post in pairs if pre < 1]
        rows.append(
            [
                f"{kind}:{key}",
                lang,
                a["attended"],
                len(a["pre"]),
                len(a["post"]),
                len(pairs),
                _mean(a["pre"]),
                _mean(a["post"]),
                gain,
                _mean(norm),
            ]
        )
    return {
        "tables": {
            "by_workshop_language": table(
                [
                    "resource",
                    "language",
                    "attended",
                    "pre_tests",
                    "post_tests",
                    "paired",
                    "mean_pre",
                    "mean_post",
                    "mean_gain",
                    "normalised_gain",
                ],
                rows,
            )
        }
    }


def _mean(values) -> float | None:
    return round(sum(values) / len(values), 4) if values else None
