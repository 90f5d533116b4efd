"""Demo content of tier 3: the four kits (kit packages under ``courses/demo/kits_data/``, the mercury trade
kit also in French and Spanish) and the four 2024 workshops of the secretariat's Article 14 note
(UNEP/MC/COP.6/13, paragraph 10) as events, with registered participants, attendance, pre-test and
post-test results (on paper, and online for some), certificates of attendance and feedback; and one
demonstration workshop two months after the day the demo is loaded, open for registration.

Idempotent: a kit or workshop that exists is left as it is; participants, check-ins, results,
certificates and feedback are only added where missing. Exact venues and days are illustrative where the
source documents give only the country and the month."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from lms.db import db

DATA_DIR = Path(__file__).resolve().parent / "kits_data"
KITS = ["mercury-trade", "emissions-inventory", "article-8-projects", "contaminated-sites"]
NS = uuid.UUID("0b5c2b8e-6f4d-4f1e-9a53-2c1e8d7a6b40")
TRAINER = "trainer@example.org"
LEARNER = "learner@example.org"

WORKSHOPS = [
    {
        "key": "trade-2024",
        "kit": "mercury-trade",
        "title": "Workshop on mercury trade",
        "description": "Held alongside the global forum of the GEF-funded **planetGOLD** programme on "
        "artisanal and "
        "small-scale gold mining (Talisay, Batangas, 3–6 June 2024). Funded by the European Union.",
        "start": date(2024, 6, 7),
        "end": date(2024, 6, 7),
        "city": "Talisay, Batangas",
        "country": "PH",
        "format": "in_person",
        "languages": ["en", "fr", "es"],
        "partners": "European Union; planetGOLD programme",
        "organiser": "Secretariat of the Minamata Convention on Mercury",
        "people": [
            ("Maria Santos", "PH", "Environmental Management Bureau"),
            ("Jose Reyes", "PH", "Bureau of Customs"),
            ("Awa Traoré", "BF", "Ministère de l'Environnement"),
            ("Carlos Mejía", "CO", "Ministerio de Ambiente"),
            ("Rosa Quispe", "PE", "Ministerio del Ambiente"),
            ("Koffi Mensah", "GH", "Environmental Protection Agency"),
            ("Bat-Erdene Dorj", "MN", "Ministry of Environment"),
            ("Aminata Diallo", "SN", "Direction de l'Environnement"),
        ],
    },
    {
        "key": "inventory-2024",
        "kit": "emissions-inventory",
        "title": "Specialised workshop on mercury emissions inventories",
        "description": "Held alongside the 16th International Conference on Mercury as a Global Pollutant "
        "(Cape Town, "
        "21–26 July 2024). Funded by the European Union.",
        "start": date(2024, 7, 20),
        "end": date(2024, 7, 20),
        "city": "Cape Town",
        "country": "ZA",
        "format": "in_person",
        "languages": ["en"],
        "partners": "European Union",
        "organiser": "Secretariat of the Minamata Convention on Mercury",
        "people": [
            ("Thandi Nkosi", "ZA", "Department of Forestry, Fisheries and the Environment"),
            ("Sipho Dlamini", "ZA", "South African Weather Service"),
            ("Grace Wanjiru", "KE", "NEMA"),
            ("Tendai Moyo", "ZW", "Environmental Management Agency"),
            ("Fatima Bello", "NG", "NESREA"),
            ("Joseph Banda", "ZM", "Zambia Environmental Management Agency"),
        ],
    },
    {
        "key": "article8-2024",
        "kit": "article-8-projects",
        "title": "Article 8 project-enabling workshops",
        "description": "Working sessions in partnership with Macquarie University to help South Africa, "
        "Pakistan and "
        "Viet Nam implement Article 8 (May–June 2024). Funded by the European Union.",
        "start": date(2024, 5, 28),
        "end": date(2024, 6, 6),
        "city": "Sydney",
        "zone": "Australia/Sydney",  # Australia has several
        "country": "AU",
        "format": "hybrid",
        "languages": ["en"],
        "partners": "Macquarie University; European Union",
        "organiser": "Secretariat of the Minamata Convention on Mercury",
        "people": [
            ("Lerato Mokoena", "ZA", "Department of Forestry, Fisheries and the Environment"),
            ("Ayesha Khan", "PK", "Ministry of Climate Change"),
            ("Bilal Ahmed", "PK", "Pakistan EPA"),
            ("Nguyen Thi Lan", "VN", "Ministry of Natural Resources and Environment"),
            ("Tran Van Minh", "VN", "Vietnam Environment Administration"),
            ("Pieter van Wyk", "ZA", "Eskom Research"),
        ],
    },
    {
        "key": "iccl-2024",
        "kit": "contaminated-sites",
        "title": "Article 12 session at the 15th ICCL meeting",
        "description": "Technical session on mercury and contaminated sites at the 15th meeting of the "
        "International "
        "Committee on Contaminated Land, hosted by the Swiss Federal Office for the Environment. "
        "Funded by Switzerland.",
        "start": date(2024, 10, 17),
        "end": date(2024, 10, 17),
        "city": "Bern",
        "country": "CH",
        "format": "hybrid",
        "languages": ["en"],
        "partners": "Swiss Federal Office for the Environment (FOEN); ICCL",
        "organiser": "Secretariat of the Minamata Convention on Mercury",
        "people": [
            ("Elena Petrovska", "MK", "Ministry of Environment and Physical Planning"),
            ("Mpho Kgosi", "BW", "Department of Waste Management and Pollution Control"),
            ("Lucía Fernández", "ES", "Ministerio para la Transición Ecológica"),
            ("Ana Marte", "DO", "Ministerio de Medio Ambiente"),
            ("Jure Novak", "SI", "Slovenian Environment Agency"),
            ("Sarah Namono", "UG", "National Environment Management Authority"),
        ],
    },
    {
        # Dated from the day the demo is loaded, so that there is always a workshop to register for.
        "key": "inventory-upcoming",
        "kit": "emissions-inventory",
        "title": "Follow-up workshop on mercury emissions inventories (demonstration)",
        "description": "A demonstration workshop, dated two months after the demo data was loaded, so that "
        "registering, the calendar file and the pre-test can be tried. Hosted by the Secretariat in Geneva, "
        "with remote participation.",
        "days_ahead": 60,
        "city": "Geneva",
        "country": "CH",
        "format": "hybrid",
        "online_url": "https://meet.example.org/minamata-inventory-follow-up",
        "languages": ["en", "fr", "es"],
        "partners": "",
        "organiser": "Secretariat of the Minamata Convention on Mercury",
        "is_registration_open": True,
        "people": [],
    },
]
COMMENTS = [
    "The case studies were close to our own situation.",
    "More time for the exercise, please.",
    "Very useful to meet customs officers from other countries.",
    "",
    "Clear and practical.",
    "The handout will help our next national report.",
    "",
    "Good mix of law and practice.",
]


def _email(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return ".".join(plain.replace("'", "").split()) + "@example.org"


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def seed_kits(app: Flask) -> list[str]:
    """Create the demo kits and workshops (see module doc); returns the keys of what was created."""
    from courses.models_kits import Kit, Workshop
    from courses.services import kits_package
    from courses.services.kits_snapshot import publish
    from courses.services.workshops import create_workshop, today
    from lms.models import User

    trainer = db.session.scalar(select(User).filter_by(email=TRAINER))
    done = []
    for slug in KITS:
        if db.session.scalar(select(Kit.id).filter_by(slug=slug)) is None:
            kit, _created = kits_package.import_files(
                trainer, kits_package.files_from_folder(DATA_DIR / slug)
            )
            publish(trainer, kit, note="Demo content")
            done.append(slug)
    for spec in WORKSHOPS:
        key = str(uuid.uuid5(NS, spec["key"]))
        workshop = db.session.scalar(select(Workshop).filter_by(uuid=key))
        if workshop is None:
            kit = db.session.scalar(select(Kit).filter_by(slug=spec["kit"]))
            if "days_ahead" in spec:
                spec = {**spec, "start": today() + timedelta(days=spec["days_ahead"])}
                spec["end"] = spec["start"]
            workshop = create_workshop(
                trainer,
                kit,
                uuid=key,
                title=spec["title"],
                description=spec["description"],
                start_date=spec["start"],
                end_date=spec["end"],
                city=spec["city"],
                country_code=spec["country"],
                format=spec["format"],
                online_url=spec.get("online_url", ""),
                daily_start=time(9),
                daily_end=time(17),
                time_zone=spec.get("zone"),
                languages=spec["languages"],
                organiser=spec["organiser"],
                partners=spec["partners"],
                capacity=30,
                is_registration_open=spec.get("is_registration_open", False),
            )
            done.append(spec["key"])
        _people(trainer, workshop, spec)
    db.session.flush()
    return done


def _people(trainer, workshop, spec) -> None:
    from courses.services import workshops_attendance as attendance
    from courses.services import workshops_certs as wcerts
    from courses.services.workshops_registration import register_participant
    from lms.account.creation import ensure_demo_user
    from lms.account.services import find_user_by_email
    from lms.demo import DEMO_PASSWORD

    users = []
    for name, country, organisation in spec["people"]:
        email = _email(name)
        user = find_user_by_email(email) or ensure_demo_user(email, name, "learner", country, DEMO_PASSWORD)
        if not user.organisation:
            user.organisation = organisation
        users.append(user)
    if spec["key"] == "trade-2024":
        users.append(find_user_by_email(LEARNER))
    for n, user in enumerate(u for u in users if u is not None):
        participant = register_participant(workshop, user, source="import")
        participant.registered_dt = min(participant.registered_dt, _at(spec["start"], 8))
        absent = n == 5  # one registered participant did not come
        if not absent and participant.attended_dt is None:
            attendance.mark_attended(trainer, participant, "qr" if n % 2 else "sheet")
            participant.attended_dt = _at(spec["start"], 9)
        _results(trainer, participant, n, absent)
        if participant.attended_dt is not None:
            cert, new = wcerts.issue(trainer, participant, notify=False)
            if new:
                cert.issued_dt = _at(spec["end"], 17)
            if wcerts.feedback_of(participant) is None:
                row = wcerts.give_feedback(
                    participant,
                    rating=(5, 4, 4, 5, 3, 4, 5, 4, 4)[n % 9],
                    comment=COMMENTS[n % len(COMMENTS)],
                )
                row.created_dt = row.updated_dt = _at(spec["end"], 18)


def _results(trainer, participant, n: int, absent: bool) -> None:
    """Pre-test on paper for everyone present; post-test online for two participants of the trade
    workshop (the demo learner among them), on paper for the others. Post-test answers are mostly right,
    pre-test answers mostly wrong, so the results page shows a gain."""
    from courses.services import workshops_tests as tests

    if absent:
        return
    workshop = participant.workshop
    view = tests.kit_view(workshop, "en")
    questions = [q["uuid"] for q in view.s["questions"]]
    day = workshop.start_date
    if tests.result_of(participant, "pre") is None:
        marks = {q: (n + j) % 3 == 0 for j, q in enumerate(questions)}
        result = tests.enter_paper(trainer, participant, "pre", marks, "en")
        result.started_dt = result.submitted_dt = _at(day, 9)
    if tests.result_of(participant, "post") is None:
        right = {q for j, q in enumerate(questions) if (n + j) % 5 != 0}
        if workshop.kit.slug == "mercury-trade" and (n in (1, 8) or participant.user.email == LEARNER):
            result = _online(participant, view, right)
        else:
            result = tests.enter_paper(trainer, participant, "post", {q: q in right for q in questions}, "en")
        result.started_dt = result.submitted_dt = _at(workshop.end_date, 16)


def _online(participant, view, right: set[str]):
    """Take the post-test online, answering the questions in ``right`` correctly (the test is opened for
    the time of the submission and closed again, as a facilitator would)."""
    from courses.services import workshops_tests as tests

    workshop = participant.workshop
    was_open = workshop.is_post_test_open
    workshop.is_post_test_open = True
    result = tests.start_test(participant, "post", "en")
    form: dict[str, list[str]] = {"result": [result.uuid]}
    for drawn in result.drawn:
        q = view.question(drawn["uuid"])
        good = q["uuid"] in right
        name = f"q_{q['uuid']}"
        if q["kind"] in ("single", "multiple"):
            wanted = {o["id"] for o in q["spec"]["options"] if bool(o.get("correct")) == good}
            tokens = [t for t, ident in drawn["tokens"].items() if ident in wanted]
            form[name] = tokens[:1] if q["kind"] == "single" else tokens
        elif q["kind"] == "truefalse":
            form[name] = [str(bool(q["spec"]["answer"]) == good).lower()]
        elif q["kind"] == "fillin":
            form[name] = [q["texts"][view.source_language]["accepted"][0] if good else "?"]
    tests.submit_test(participant, result, form)
    workshop.is_post_test_open = was_open
    return result
