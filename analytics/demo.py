"""Demo content of the analytics plugin: a few thousand generated statements about the resources the
other plugins published (or demo keys when there are none), some feedback and problem reports, then
a rollup so the dashboards have figures at once. Idempotent: the statements have fixed ids."""

from __future__ import annotations

import uuid

from flask import Flask
from sqlalchemy import select

from analytics import synth
from analytics.demo_questions import LESSONS
from analytics.generator import NS, CourseSpec, Generator, Plan, default_questions
from analytics.models_feedback import Feedback, ProblemReport
from lms.db import db
from lms.registry import find_resources
from lms.xapi.models import ActivityDefinition, Statement

DEMO_SEED = 2024
DEMO_STATEMENTS = 7000
FINAL_QUIZ = {
    "en": "Final quiz",
    "fr": "Quiz final",
    "es": "Cuestionario final",
    "ar": "الاختبار النهائي",
    "zh": "期末测验",
    "ru": "Итоговый тест",
}


def demo_plan(base_url: str) -> Plan:
    courses = find_resources(kinds=["course"])[:4]
    kits = find_resources(kinds=["kit"])[:2]
    webinars = find_resources(kinds=["webinar"])[:6]
    course_keys = [("course", c.key) for c in courses] or [
        ("course", f"demo-course-{i}") for i in range(1, 4)
    ]
    kit_keys = [k.key for k in kits] or ["demo-kit-1"]
    specs = []
    for i, (kind, key) in enumerate(course_keys + [("kit", k) for k in kit_keys[:1]]):
        lessons = [(f"{key[:12]}-l{j}", names) for j, names in enumerate(LESSONS)]
        specs.append(
            CourseSpec(
                kind=kind,
                key=key,
                lessons=lessons,
                questions=default_questions(i),
                weight=6.0 if i == 0 else 1.0,
            )
        )
    webinar_keys = [(w.key, 3600) for w in webinars] or [
        (f"demo-session-{i}", 3000 + 300 * i) for i in range(1, 4)
    ]
    # Readiness figures come from the assessments the readiness plugin's demo submits: none invented here.
    return Plan(
        base_url=base_url,
        courses=specs,
        webinars=webinar_keys,
        workshops=kit_keys,
        seed=DEMO_SEED,
        readiness=False,
    )


def _definitions(gen: Generator) -> None:
    """Names of the demo lessons and questions, as the LRS keeps them (for the dashboards' labels)."""
    wanted = {}
    for course in gen.plan.courses:
        for lesson_key, names in course.lessons:
            wanted[gen.iri(course.kind, course.key, "lesson", lesson_key)] = {"name": names}
        wanted[gen.iri(course.kind, course.key, "quiz", "final")] = {"name": FINAL_QUIZ}
        for q in course.questions:
            wanted[gen.iri(course.kind, course.key, "question", q.key)] = {
                "name": q.names,
                "interactionType": "choice",
            }
    have = set(
        db.session.scalars(
            select(ActivityDefinition.activity_id).where(ActivityDefinition.activity_id.in_(list(wanted)))
        )
    )
    for iri, definition in wanted.items():
        if iri not in have:
            db.session.add(ActivityDefinition(activity_id=iri, definition=definition))


def seed_demo(app: Flask) -> int:
    """Create the demo activity once; returns how many statements were added (0 when already there)."""
    first = str(uuid.uuid5(NS, f"{DEMO_SEED}-1"))
    if db.session.scalar(select(Statement.id).filter_by(statement_id=first)) is not None:
        return 0
    gen = Generator(demo_plan(app.config["BASE_URL"]))
    batch, added = [], 0
    for built in gen.statements(DEMO_STATEMENTS):
        batch.append(built)
        if len(batch) == 2000:
            synth.insert_rows(batch)
            added += len(batch)
            batch = []
    synth.insert_rows(batch)
    added += len(batch)
    _definitions(gen)
    _feedback(gen)
    db.session.commit()
    from analytics.rollup import run_rollup

    run_rollup(settle_seconds=0)
    return added


def _feedback(gen: Generator) -> None:
    first = gen.plan.courses[0]
    rows = [
        (True, "en", "Clear and to the point, thank you."),
        (True, "fr", "Très utile pour préparer notre rapport."),
        (False, "es", "La pregunta sobre el artículo 8 no se entiende."),
        (True, "es", ""),
        (True, "ar", ""),
        (False, "en", "The lesson on trade could use a worked example."),
    ]
    for useful, lang, comment in rows:
        db.session.add(
            Feedback(kind=first.kind, key=first.key, language=lang, is_useful=useful, comment=comment)
        )
    db.session.add(
        ProblemReport(
            kind=first.kind,
            key=first.key,
            part=f"question/{first.questions[3].key}",
            language="es",
            category="translation_error",
            description="La pregunta dice «emisiones de mercurio al agua», pero el artículo 8 trata de las "
            "emisiones a la atmósfera. La versión inglesa dice «to air».",
        )
    )
    db.session.add(
        ProblemReport(
            kind=first.kind,
            key=first.key,
            part=f"lesson/{first.lessons[1][0]}",
            language="fr",
            category="broken_media",
            description="La vidéo de la leçon ne se charge pas.",
        )
    )
