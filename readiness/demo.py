"""Demo content (idempotent): the shipped questionnaire and rules; France's team (the core's demo
coordinator plus two colleagues) with a 2024 assessment acknowledged by the secretariat and a 2026 one
submitted, so the trend shows; and eleven more countries that submitted in 2026 and opted in, six of them
in France's region, so the benchmark shows."""

from __future__ import annotations

import random

from flask import Flask
from sqlalchemy import select

from lms.db import db
from lms.models import User
from readiness import catalog, services
from readiness.models import Assessment

PASSWORD = "minamata-demo"  # noqa: S105 - local demo accounts only (same as the core's demo users)
CURRENT, PREVIOUS = "2026", "2024"
FR_COLLEAGUES = [
    # email, name, role in the team, sections
    (
        "camille.reporting@example.org",
        "Camille Rapporteure",
        "editor",
        ["reporting", "data", "opendata", "exchange"],
    ),
    ("hugo.reviewer@example.org", "Hugo Relecteur", "reviewer", []),
]
OTHER_COUNTRIES = {
    # code: (coordinator name, working language, strength 0-1)
    "DE": ("Jonas Koordinator", "en", 0.75),
    "ES": ("Lucía Coordinadora", "es", 0.6),
    "IT": ("Giulia Coordinatrice", "en", 0.55),
    "PT": ("João Coordenador", "en", 0.5),
    "BE": ("Sofie Coördinator", "fr", 0.65),
    "CH": ("Anna Koordinatorin", "fr", 0.8),
    "SN": ("Awa Coordinatrice", "fr", 0.4),
    "KE": ("Wanjiru Coordinator", "en", 0.45),
    "BR": ("Ana Coordenadora", "es", 0.5),
    "MX": ("Diego Coordinador", "es", 0.55),
    "JP": ("Haruto Coordinator", "en", 0.7),
}
# France 2026: a fairly mature team whose reporting tool accounts are missing (a reason to show).
FR_2026 = {
    "1.1": 3,
    "1.2": "yes",
    "1.3": "partly",
    "1.4": ["environment", "health", "customs", "statistics"],
    "1.5": "3-5",
    "2.1": 3,
    "2.2": "yes",
    "2.3": "no",
    "2.4": "1",
    "2.5": ["report", "sources", "contacts"],
    "3.1": 2,
    "3.2": "yes",
    "3.3": "no",
    "3.4": ["technical", "alternatives", "health"],
    "3.5": "partly",
    "4.1": 3,
    "4.2": "yes",
    "4.3": ["supply", "products", "emissions", "releases", "waste"],
    "4.4": 2,
    "4.5": "3-5",
    "5.1": "partly",
    "5.2": 1,
    "5.3": "no",
    "5.4": ["formats", "metadata"],
    "5.5": "dk",
    "6.1": "yes",
    "6.2": "0",
    "6.3": 3,
    "6.4": ["backups", "updates", "access"],
    "6.5": "yes",
    "7.1": 3,
    "7.2": "yes",
    "7.3": ["spreadsheets", "collaboration", "security"],
    "7.4": "no",
    "7.5": "1-8",
    "8.1": "yes",
    "8.2": 2,
    "8.3": "partly",
    "8.4": ["alt", "structure"],
    "8.5": "yes",
}
FR_COMMENTS = {
    "2.3": (
        "Only the focal point has an account; the customs and statistics colleagues send their data by "
        "e-mail.",
        "https://mercuryconvention.org/en/parties/reporting",
    ),
    "4.1": ("Inventory updated with the UNEP Toolkit (level 2).", ""),
}


def _user(email: str, name: str, role: str, country: str, locale: str = "en") -> User:
    from lms.account.creation import ensure_demo_user

    user = ensure_demo_user(email=email, name=name, role=role, country_code=country, password=PASSWORD)
    if user.locale != locale:
        user.locale = locale
    return user


def _admin() -> User | None:
    return db.session.scalar(
        select(User).where(User.role == "admin", User.deleted_dt.is_(None)).order_by(User.id)
    )


def generated_answers(q, country: str, cycle: str, strength: float) -> dict:
    """Plausible answers, the same on every run for a country and cycle."""
    rng = random.Random(f"{country}-{cycle}")  # noqa: S311 - demo data
    out = {}
    for item in q.items.values():
        roll = min(1.0, max(0.0, rng.gauss(strength, 0.22)))
        if rng.random() < 0.05 and item.allow_dk:
            out[item.id] = "dk"
        elif item.type == "rubric":
            out[item.id] = round(roll * 4)
        elif item.type == "yesno":
            out[item.id] = "yes" if roll > 0.66 else ("partly" if roll > 0.33 else "no")
        elif item.type == "checklist":
            out[item.id] = [o.id for o in item.options if rng.random() < roll]
        else:
            out[item.id] = item.options[min(len(item.options) - 1, int(roll * len(item.options)))].id
    return out


def _fill_and_submit(assessment: Assessment, coordinator: User, answers: dict, comments=None) -> None:
    q = services.questionnaire_for(assessment)
    comments = comments or {}
    for dim in q.dimensions:
        inputs = [
            services.ItemInput(item.id, answers.get(item.id), *comments.get(item.id, ("", "")), version=0)
            for item in dim.items
            if item.id in answers
        ]
        services.save_section(assessment, coordinator, dim.id, inputs)
    services.send_to_review(assessment, coordinator)
    services.submit(assessment, coordinator)


def _assessment(country: str, cycle: str) -> Assessment | None:
    return db.session.scalar(select(Assessment).filter_by(country_code=country, cycle=cycle))


def seed(app: Flask) -> None:
    catalog.sync_shipped()
    q = catalog.questionnaire_of(catalog.current_questionnaire_row())
    coordinator = db.session.scalar(select(User).filter_by(email="coordinator@example.org"))
    if coordinator is None:
        coordinator = _user("coordinator@example.org", "Chloé Coordinator", "coordinator", "FR", "fr")
    team = [
        (_user(email, name, "learner", "FR", "fr"), role, sections)
        for email, name, role, sections in FR_COLLEAGUES
    ]
    admin = _admin()

    if _assessment("FR", PREVIOUS) is None:
        earlier = services.start_assessment(coordinator, cycle=PREVIOUS, language="fr")
        services.set_benchmark_opt_in(earlier, coordinator, True)
        _fill_and_submit(earlier, coordinator, generated_answers(q, "FR", PREVIOUS, 0.45))
        if admin is not None:
            services.acknowledge(earlier, admin)

    if _assessment("FR", CURRENT) is None:
        current = services.start_assessment(coordinator, cycle=CURRENT, language="fr")
        for user, role, sections in team:
            services.invite(current, coordinator, user_id=user.id, role=role, sections=sections)
        services.set_submitter(current, coordinator, team[0][0].id)
        services.set_benchmark_opt_in(current, coordinator, True)
        _fill_and_submit_team(current, coordinator, team[0][0], team[1][0])

    for code, (name, lang, strength) in OTHER_COUNTRIES.items():
        if _assessment(code, CURRENT) is not None:
            continue
        user = _user(f"coordinator.{code.lower()}@example.org", name, "coordinator", code, lang)
        other = services.start_assessment(user, cycle=CURRENT, language=lang)
        services.set_benchmark_opt_in(other, user, True)
        _fill_and_submit(other, user, generated_answers(q, code, CURRENT, strength))
    db.session.flush()


def _fill_and_submit_team(assessment: Assessment, coordinator: User, editor: User, reviewer: User) -> None:
    """France 2026: the editor answers her sections, the coordinator the rest, the reviewer leaves a
    note, and the editor (the named submitter) submits."""
    q = services.questionnaire_for(assessment)
    member = next(m for m in assessment.members if m.user_id == editor.id)
    for dim in q.dimensions:
        author = editor if dim.id in member.sections else coordinator
        inputs = [
            services.ItemInput(item.id, FR_2026[item.id], *FR_COMMENTS.get(item.id, ("", "")), version=0)
            for item in dim.items
        ]
        services.save_section(assessment, author, dim.id, inputs)
    services.send_to_review(assessment, coordinator)
    services.add_note(
        assessment,
        reviewer,
        "Les comptes de l'outil de communication en ligne manquent pour les "
        "douanes et la statistique : à demander au secrétariat.",
        "reporting",
    )
    services.submit(assessment, editor)
