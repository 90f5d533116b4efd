"""A generator of realistic learning activity (for the demo data set and the benchmark).

Skewed like real use: a few countries and courses get most of the activity (Zipf-like weights), the
language follows the country's region, most learners drop out somewhere along a course, webinar
viewers leave early, and readiness assessments come from a minority of countries. One quiz item per
course is written badly in Spanish (its translation is much harder), which item analysis must flag.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from analytics import parsing as p
from analytics.labels import DIMENSION_TITLES
from analytics.synth import build
from lms.countries import country_rows

NS = uuid.UUID("6f1c1c52-6a1e-4c47-9a43-6ad2b7a0c0de")

REGION_LANGUAGES = {
    "africa": [("fr", 45), ("en", 40), ("ar", 15)],
    "asia_pacific": [("en", 60), ("zh", 15), ("ar", 15), ("ru", 10)],
    "ceeg": [("ru", 55), ("en", 45)],
    "grulac": [("es", 80), ("en", 20)],
    "weog": [("en", 60), ("fr", 25), ("es", 15)],
}
# The readiness questionnaire's dimensions (kept equal to its file by a test; no import of the plugin).
DIMENSIONS = tuple(DIMENSION_TITLES)


@dataclass
class Question:
    key: str
    names: dict
    choices: list[tuple[str, dict]]
    correct: str
    difficulty: float
    hard_in: str | None = None  # a language whose translation is faulty


@dataclass
class CourseSpec:
    kind: str
    key: str
    lessons: list[tuple[str, dict]]
    questions: list[Question]
    weight: float = 1.0


@dataclass
class Plan:
    base_url: str
    courses: list[CourseSpec]
    webinars: list[tuple[str, int]]  # (key, length in seconds)
    workshops: list[str]  # kit keys with pre/post tests
    questionnaire: str = "digital-readiness"
    start: datetime = field(default_factory=lambda: datetime(2024, 1, 1, tzinfo=UTC))
    months: int = 24
    countries: int = 150
    seed: int = 7
    readiness: bool = True
    """Generate readiness submissions too (the benchmark); the demo leaves them to the readiness plugin."""


def default_questions(course_index: int) -> list[Question]:
    """Ten quiz items per course; the fourth is the one with a faulty Spanish translation."""
    from analytics.demo_questions import QUESTIONS

    out = []
    for i, (names, choices, correct, difficulty) in enumerate(QUESTIONS):
        out.append(
            Question(
                key=f"q{course_index:02d}-{i:02d}",
                names=names,
                choices=choices,
                correct=correct,
                difficulty=difficulty + 0.1 * (course_index % 3),
                hard_in="es" if i == 3 else None,
            )
        )
    return out


def _weights(n: int, s: float = 1.0) -> list[float]:
    return [1 / (rank + 1) ** s for rank in range(n)]


class Generator:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.rng = random.Random(plan.seed)
        rows = [r for r in country_rows()][: plan.countries]
        self.rng.shuffle(rows)
        self.countries = [(code, region) for code, _a3, region in rows]
        self.country_w = _weights(len(self.countries), 0.9)
        self.course_w = [c.weight for c in plan.courses] or [1]
        self.webinar_w = _weights(len(plan.webinars), 0.8)
        self.count = 0
        self.n_learners = 0

    # -- helpers -------------------------------------------------------------------------------------
    def iri(self, *parts: str) -> str:
        return f"{self.plan.base_url.rstrip('/')}/xapi/activities/{'/'.join(parts)}"

    def _ts(self) -> datetime:
        # growth: later months are busier
        m = int(self.plan.months * math.sqrt(self.rng.random()))
        return self.plan.start + timedelta(
            days=30.4 * m + self.rng.random() * 30, seconds=self.rng.randrange(86400)
        )

    def _sid(self) -> str:
        self.count += 1
        return str(uuid.uuid5(NS, f"{self.plan.seed}-{self.count}"))

    def _st(self, learner: dict, verb: str, activity: str, ts: datetime, **kw) -> tuple:
        return build(
            base_url=self.plan.base_url,
            actor=learner["name"],
            verb=verb,
            activity_id=activity,
            ts=ts,
            language=learner["lang"],
            country=learner["country"],
            user_id=learner.get("user_id"),
            statement_id=self._sid(),
            **kw,
        )

    def new_learner(self) -> dict:
        self.n_learners += 1
        country, region = self.rng.choices(self.countries, self.country_w)[0]
        langs, w = zip(*REGION_LANGUAGES[region], strict=True)
        return {
            "name": str(uuid.uuid5(NS, f"learner-{self.plan.seed}-{self.n_learners}")),
            "country": country,
            "region": region,
            "lang": self.rng.choices(langs, w)[0],
            "ability": self.rng.gauss(0, 1),
        }

    # -- journeys ------------------------------------------------------------------------------------
    def course_journey(self, learner: dict, course: CourseSpec) -> list[tuple]:
        rng, out = self.rng, []
        ts = self._ts()
        reg = str(uuid.uuid5(NS, f"reg-{learner['name']}-{course.key}"))
        root = self.iri(course.kind, course.key)
        out.append(self._st(learner, "registered", root, ts, registration=reg))
        for lesson_key, names in course.lessons:
            if rng.random() < 0.09 + 0.05 * (learner["ability"] < -1):
                return out  # dropped out
            ts += timedelta(hours=rng.uniform(1, 72))
            out.append(
                self._st(
                    learner,
                    "experienced",
                    self.iri(course.kind, course.key, "lesson", lesson_key),
                    ts,
                    registration=reg,
                    definition={"name": names},
                    parents=[root],
                    result={"_duration_s": rng.uniform(120, 1500)},
                )
            )
        correct = 0
        for q in course.questions:
            ts += timedelta(minutes=rng.uniform(0.5, 3))
            penalty = 2.2 if q.hard_in == learner["lang"] else 0.0
            ok = rng.random() < 1 / (1 + math.exp(-(learner["ability"] * 1.3 - q.difficulty - penalty + 1.2)))
            wrong = [c for c, _d in q.choices if c != q.correct]
            response = q.correct if ok else rng.choices(wrong, [3, 2, 1][: len(wrong)])[0]
            correct += ok
            definition = {
                "name": {learner["lang"]: q.names.get(learner["lang"], q.names["en"])},
                "interactionType": "choice",
                "correctResponsesPattern": [q.correct],
                "choices": [
                    {"id": c, "description": {learner["lang"]: d.get(learner["lang"], d["en"])}}
                    for c, d in q.choices
                ],
            }
            out.append(
                self._st(
                    learner,
                    "answered",
                    self.iri(course.kind, course.key, "question", q.key),
                    ts,
                    registration=reg,
                    definition=definition,
                    parents=[root],
                    result={"response": response, "success": ok},
                )
            )
        if course.questions:
            score = correct / len(course.questions)
            verb = "passed" if score >= 0.7 else "failed"
            out.append(
                self._st(
                    learner,
                    verb,
                    self.iri(course.kind, course.key, "quiz", "final"),
                    ts,
                    registration=reg,
                    parents=[root],
                    result={"success": verb == "passed", "score": {"scaled": round(score, 3)}},
                )
            )
            if verb == "failed":
                return out
        ts += timedelta(minutes=5)
        out.append(self._st(learner, "completed", root, ts, registration=reg, result={"completion": True}))
        return out

    def webinar_journey(self, learner: dict, key: str, length: int) -> list[tuple]:
        rng, out = self.rng, []
        ts = self._ts()
        session = str(uuid.uuid5(NS, f"session-{learner['name']}-{key}-{ts.isoformat()}"))
        ctx = {p.EXT_LENGTH: length, p.EXT_SESSION_ID: session}
        activity = self.iri("webinar", key)
        out.append(self._st(learner, "initialized", activity, ts, context_extensions=ctx))
        out.append(
            self._st(
                learner,
                "played",
                activity,
                ts,
                context_extensions=ctx,
                result={"extensions": {"https://w3id.org/xapi/video/extensions/time": 0}},
            )
        )
        watched = min(length, length * rng.betavariate(1.2, 1.6))
        start = 0.0 if rng.random() < 0.8 else rng.uniform(0, length / 2)
        end = min(length, start + watched)
        segments = f"{start:.1f}[.]{end:.1f}"
        ts += timedelta(seconds=end - start)
        verb = "completed" if end >= length - 1 else "paused"
        out.append(
            self._st(
                learner,
                verb,
                activity,
                ts,
                context_extensions=ctx,
                result={"extensions": {p.EXT_PLAYED_SEGMENTS: segments}},
            )
        )
        if rng.random() < 0.06:
            out.append(
                self._st(
                    learner,
                    "asked",
                    self.iri("webinar", key, "question", session[:8]),
                    ts,
                    parents=[activity],
                )
            )
        return out

    def workshop_journey(self, learner: dict, key: str) -> list[tuple]:
        rng = self.rng
        ts = self._ts()
        root = self.iri("kit", key)
        pre = min(1.0, max(0.0, rng.gauss(0.45 + 0.1 * learner["ability"], 0.15)))
        post = min(1.0, max(0.0, pre + rng.gauss(0.25, 0.12)))
        return [
            self._st(learner, "attended", root, ts),
            self._st(
                learner,
                "scored",
                self.iri("kit", key, "pre-test"),
                ts,
                parents=[root],
                result={"score": {"scaled": round(pre, 3)}},
            ),
            self._st(
                learner,
                "scored",
                self.iri("kit", key, "post-test"),
                ts + timedelta(hours=6),
                parents=[root],
                result={"score": {"scaled": round(post, 3)}},
            ),
        ]

    def readiness_journey(self, learner: dict) -> list[tuple]:
        rng = self.rng
        base = rng.uniform(1, 4)
        levels = {d: max(1, min(5, round(base + rng.gauss(0, 0.8)))) for d in DIMENSIONS}
        return [
            self._st(
                learner,
                "submitted",
                self.iri("readiness", self.plan.questionnaire),
                self._ts(),
                result={
                    "score": {"scaled": round(sum(levels.values()) / (5 * len(levels)), 3)},
                    "extensions": {self.iri("readiness", "extensions", "levels"): levels},
                },
            )
        ]

    # -- the stream ----------------------------------------------------------------------------------
    def statements(self, total: int) -> Iterator[tuple]:
        """Yield built statements until ``total`` have been produced."""
        produced = 0
        rng = self.rng
        while produced < total:
            learner = self.new_learner()
            batch: list[tuple] = []
            if self.plan.courses:
                for course in {
                    id(c): c
                    for c in rng.choices(self.plan.courses, self.course_w, k=rng.choice((1, 1, 1, 2, 3)))
                }.values():
                    batch += self.course_journey(learner, course)
            if self.plan.webinars and rng.random() < 0.6:
                for _ in range(rng.choice((1, 1, 2, 4))):
                    key, length = rng.choices(self.plan.webinars, self.webinar_w)[0]
                    batch += self.webinar_journey(learner, key, length)
            if self.plan.workshops and rng.random() < 0.08:
                batch += self.workshop_journey(learner, rng.choice(self.plan.workshops))
            if rng.random() < 0.03 and self.plan.readiness:
                batch += self.readiness_journey(learner)
            yield from batch[: total - produced]
            produced += min(len(batch), total - produced)
