"""Fixtures of the kit and workshop tests: a published kit built through the services, a workshop that
delivers it, and helpers to read statements and answer a test sheet."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.db import db


@pytest.fixture
def client(app):
    """The test client (as pytest-flask's), reading each response whole: a file sent from disk (a kit's
    file, a cached offline bundle) is closed at once rather than left open for the test to close."""

    class BufferedClient(app.test_client_class or FlaskClient):
        def open(self, *args, buffered=True, **kwargs):
            return super().open(*args, buffered=buffered, **kwargs)

    with BufferedClient(app, app.response_class, use_cookies=True) as client:
        yield client


@pytest.fixture
def as_user(client, login_without_form):
    """``as_user(user)``: the test client, signed in as ``user`` alone (None: a visitor)."""

    def _client(user):
        with client.session_transaction() as sess:
            sess.clear()
        if user is not None:
            login_without_form(user)
        return client

    return _client


@pytest.fixture
def trainer(make_user):
    return make_user(role="trainer", name="Tomás Trainer", country_code="CH")


@pytest.fixture
def learner(make_user):
    return make_user(role="learner", name="Léa Learner", country_code="SN")


KIT_TEXTS = {
    "title": "Controlling mercury trade",
    "summary": "A one-day workshop on Article 3: sources of mercury supply and trade.",
    "overview": "Focal points practise the **prior informed consent** procedure.",
    "objectives": "- Explain Article 3\n- Fill in a consent form",
    "audience": "National focal points and customs officers",
    "facilitator_notes": "Start with the case study.",
}


def build_kit(trainer, *, slug="trade", publish=True, french=False):
    """A kit with two case studies, a best practice, an agenda of two sessions, an exercise, a
    discussion question, a handout, a resource and a three-question test (single choice, true/false,
    fill-in)."""
    from courses.services import kits as authoring
    from courses.services.kits_snapshot import publish as publish_kit

    kit = authoring.create_kit(
        trainer, slug=slug, source_language="en", articles="3, 7", pass_mark=60, **KIT_TEXTS
    )
    authoring.add_part(
        trainer,
        kit,
        "case_study",
        settings={"country": "PH"},
        fields={
            "title": "Tracing mercury in gold mining areas",
            "sector": "Artisanal gold mining",
            "problem": "Mercury reached mining areas without records.",
            "action": "Customs and mining offices shared data.",
            "results": "Seizures were documented.",
            "lessons": "Share data early.",
        },
    )
    authoring.add_part(
        trainer,
        kit,
        "case_study",
        settings={},
        fields={
            "title": "A regional consent register",
            "problem": "Exports lacked consent.",
            "action": "A register was set up.",
            "results": "Every export had consent.",
            "lessons": "Keep it simple.",
        },
    )
    authoring.add_part(
        trainer, kit, "practice", fields={"title": "Use HS codes", "body": "Use the *HS codes*."}
    )
    authoring.add_part(
        trainer, kit, "agenda", settings={"minutes": 45}, fields={"title": "Opening and pre-test"}
    )
    authoring.add_part(
        trainer,
        kit,
        "agenda",
        settings={"minutes": 90},
        fields={"title": "Case study work", "description": "In groups of four."},
    )
    authoring.add_part(
        trainer,
        kit,
        "exercise",
        settings={"minutes": 40},
        fields={
            "title": "Fill in a consent form",
            "instructions": "Use handout 1.",
            "expected_outcome": "A complete form.",
        },
    )
    authoring.add_part(trainer, kit, "discussion", fields={"prompt": "Which agency keeps the records?"})
    authoring.add_part(
        trainer, kit, "handout", fields={"title": "Consent form checklist", "body": "1. Quantity"}
    )
    authoring.add_part(
        trainer,
        kit,
        "resource",
        settings={"url": "https://minamataconvention.org/", "type": "link"},
        fields={"title": "Convention website"},
    )
    authoring.add_question(
        trainer,
        kit,
        kind="single",
        data={
            "prompt": "Which article covers mercury trade?",
            "options": [{"id": "a", "text": "Article 3", "correct": True}, {"id": "b", "text": "Article 12"}],
        },
    )
    authoring.add_question(
        trainer,
        kit,
        kind="truefalse",
        data={"prompt": "Export needs the written consent of the importing Party.", "answer": True},
    )
    authoring.add_question(
        trainer, kit, kind="fillin", data={"prompt": "The Convention is about ____.", "accepted": ["mercury"]}
    )
    if french:
        add_french(trainer, kit)
    if publish:
        publish_kit(trainer, kit)
    db.session.commit()
    return kit


def add_french(trainer, kit):
    """Translate every part of the kit into French (through the translation service)."""
    from courses.services import kits_texts

    for entry in kits_texts.overview(kit, "fr"):
        src = entry["source"]
        fields = {k: f"[fr] {v}" for k, v in src.items() if isinstance(v, str)}
        if entry["type"] == "question":
            for key in ("options", "pairs"):
                if src.get(key):
                    fields[key] = {i: {s: f"[fr] {t}" for s, t in v.items()} for i, v in src[key].items()}
            if src.get("accepted"):
                fields["accepted"] = ["mercure"]
        kits_texts.save_translation(trainer, kit, entry["uuid"], "fr", fields)


@pytest.fixture
def kit(trainer):
    return build_kit(trainer)


def build_workshop(trainer, kit, *, start=None, days=2, capacity=30, **extra):
    from courses.services.workshops import create_workshop

    start = start or (date.today() + timedelta(days=10))
    values = dict(
        title="Workshop on mercury trade",
        description="Alongside the *planetGOLD* forum.",
        start_date=start,
        end_date=start + timedelta(days=days - 1),
        city="Manila",
        country_code="PH",
        format="in_person",
        languages=["en"],
        organiser="Minamata Convention secretariat",
        partners="planetGOLD",
        capacity=capacity,
    )
    values.update(extra)
    workshop = create_workshop(trainer, kit, **values)
    db.session.commit()
    return workshop


@pytest.fixture
def workshop(trainer, kit):
    """A workshop ten days ahead: attendance cannot be recorded yet."""
    return build_workshop(trainer, kit)


@pytest.fixture
def started_workshop(trainer, kit):
    """A workshop whose first day is today (UTC): attendance can be recorded, certificates issued."""
    from courses.services.workshops import today

    return build_workshop(trainer, kit, start=today())


def statements(verb: str | None = None, **filters):
    from lms.xapi.models import Statement

    stmt = select(Statement)
    if verb:
        stmt = stmt.where(Statement.verb_id.endswith("/" + verb))
    for key, value in filters.items():
        stmt = stmt.where(getattr(Statement, key) == value)
    return db.session.scalars(stmt.order_by(Statement.id)).all()


def sheet_form(view, result, *, right=True) -> dict[str, list[str]]:
    """The form a participant posts for an online test: every answer right (or every answer wrong)."""
    form = {"result": [result.uuid]}
    for drawn in result.drawn:
        q = view.question(drawn["uuid"])
        name = f"q_{q['uuid']}"
        if q["kind"] in ("single", "multiple"):
            wanted = {o["id"] for o in q["spec"]["options"] if bool(o.get("correct")) == right}
            form[name] = [t for t, ident in drawn["tokens"].items() if ident in wanted][
                : 1 if q["kind"] == "single" else None
            ]
        elif q["kind"] == "truefalse":
            form[name] = [str(q["spec"]["answer"] == right).lower()]
        elif q["kind"] == "fillin":
            form[name] = [q["texts"]["en"]["accepted"][0] if right else "lead"]
    return form


def register_people(workshop, make_user, n):
    """``n`` new users P0… (p0@example.org …) registered to ``workshop``; their registrations."""
    from courses.services import workshops_registration as registration

    return [
        registration.self_register(make_user(name=f"P{i}", email=f"p{i}@example.org"), workshop)[0]
        for i in range(n)
    ]


def workshop_form(start: date | None = None, end: date | None = None, **changes) -> dict:
    """The workshop form as a trainer fills it in (kit "trade", in Manila, 25 places, from ``start``,
    30 days ahead by default, to ``end``, the next day by default), with ``changes``."""
    start = start or date.today() + timedelta(days=30)
    data = {
        "kit": "trade",
        "title": "Trade workshop",
        "start_date": start.isoformat(),
        "end_date": (end or start + timedelta(days=1)).isoformat(),
        "city": "Manila",
        "country_code": "PH",
        "format": "in_person",
        "languages": ["en"],
        "organiser": "Secretariat",
        "capacity": "25",
        "is_registration_open": "y",
    }
    return {**data, **changes}


# Files a kit's resources may hold, made in memory (the smallest bytes each format is recognised by).
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
OOXML_MAIN = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
ODF_MIMETYPES = {
    "odp": "application/vnd.oasis.opendocument.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def office_file(ext: str) -> bytes:
    """A minimal OOXML (pptx, docx, xlsx) or ODF (odp, odt, ods) package."""
    from courses.services.archive import write_zip

    if ext in ODF_MIMETYPES:
        return write_zip({"mimetype": ODF_MIMETYPES[ext].encode(), "content.xml": b"<document-content/>"})
    manifest = f'<Types><Override PartName="/main.xml" ContentType="{OOXML_MAIN[ext]}"/></Types>'
    return write_zip({"[Content_Types].xml": manifest.encode(), "main.xml": b"<doc/>"})


def add_file_resource(trainer, kit, data=PDF, filename="Slides day 1.pdf", rtype="slides", title="Day 1"):
    """A resource holding a file, added to the kit's draft through the service (committed)."""
    from courses.services import kits as authoring

    part = authoring.add_part(
        trainer,
        kit,
        "resource",
        settings={"type": rtype, "upload": (filename, data)},
        fields={"title": title},
    )
    db.session.commit()
    return part


def stored_blobs(app) -> set:
    from pathlib import Path

    root = Path(app.config["MEDIA_DIR"]) / "courses" / "blobs"
    return {p.name for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def lookups(monkeypatch):
    """Every gettext lookup, in code (lazy ones included) and in templates, as ``(msgid, locale)``."""
    import flask_babel
    from babel import support

    seen: list[tuple[str, str]] = []
    for cls in (support.NullTranslations, support.Translations):
        real = cls.ugettext

        def spy(self, message, _real=real):
            seen.append((message, str(flask_babel.get_locale())))
            return _real(self, message)

        monkeypatch.setattr(cls, "ugettext", spy)
    return seen
