"""The kit and workshop pages the browser harness checks (en and ar): kits, a kit (with the fallback
notice in Arabic), the facilitator guide, a handout, workshops, a workshop, the participant's ticket,
test, answer sheet, feedback and certificate, the public verification, and the trainer's pages (kit
authoring, translation, import, audit trails, the workshop roster, check-in, paper results, results,
feedback summary).

Pages are found from the demo content; the state a page needs (an online test in progress) is created on
demand through the services, inside the live app."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from lms.db import db
from tests.browser.pages import PageSpec

TRADE = "mercury-trade"
NS = uuid.UUID("0b5c2b8e-6f4d-4f1e-9a53-2c1e8d7a6b40")  # courses.demo.kits_seed.NS


def _workshop_uuid(key: str = "trade-2024") -> str:
    return str(uuid.uuid5(NS, key))


def _learner_participant(key: str = "trade-2024"):
    from courses.models_kits import Participant, Workshop
    from lms.models import User

    user = db.session.scalar(select(User).filter_by(email="learner@example.org"))
    workshop = db.session.scalar(select(Workshop).filter_by(uuid=_workshop_uuid(key)))
    return db.session.scalar(select(Participant).filter_by(workshop_id=workshop.id, user_id=user.id))


def _certificate(public: bool):
    def _find():
        from courses.services.workshops_certs import certificate_of

        cert = certificate_of(_learner_participant())
        return (
            f"/courses/workshops/verify/{cert.code}"
            if public
            else f"/courses/workshops/certificates/{cert.uuid}"
        )

    return _find


def _sheet():
    """The demo learner registered in the ICCL session with its pre-test open and started online."""
    from courses.models_kits import Workshop
    from courses.services import workshops_registration as registration
    from courses.services import workshops_tests as tests
    from lms.models import User

    workshop = db.session.scalar(select(Workshop).filter_by(uuid=_workshop_uuid("iccl-2024")))
    user = db.session.scalar(select(User).filter_by(email="learner@example.org"))
    participant = registration.register_participant(workshop, user, source="self")
    workshop.is_pre_test_open = True
    if tests.result_of(participant, "pre") is None:
        tests.start_test(participant, "pre", "en")
    db.session.commit()
    return f"/courses/workshops/{workshop.uuid}/tests/pre/sheet"


def _part(kind: str, suffix: str = ""):
    def _find():
        from courses.models_kits import Kit

        kit = db.session.scalar(select(Kit).filter_by(slug=TRADE))
        part = kit.parts_of(kind)[0]
        if kind == "question":
            return f"/courses/kits/manage/{TRADE}/questions/{part.uuid}"
        if kind == "handout":
            return f"/courses/kits/{TRADE}/handouts/{part.uuid}"
        if suffix:
            return f"/courses/kits/manage/{TRADE}{suffix}/{part.uuid}"
        return f"/courses/kits/manage/{TRADE}/parts/{part.uuid}"

    return _find


def _check_in():
    from courses.services.workshops_attendance import check_in_token

    return f"/courses/workshops/check-in/{check_in_token(_learner_participant())}"


def _paper():
    participant = _learner_participant()
    return f"/courses/workshops/{_workshop_uuid()}/paper/pre/{participant.uuid}"


def _w(suffix: str = "", key: str = "trade-2024"):
    return lambda: f"/courses/workshops/{_workshop_uuid(key)}{suffix}"


def _spec(name, path, role=None):
    return PageSpec(f"kits-{name}", path, role=role, plugin="courses")


KITS_PAGES = [
    _spec("list", "/courses/kits"),
    _spec("kit", f"/courses/kits/{TRADE}"),
    _spec("kit-fallback", "/courses/kits/contaminated-sites"),
    _spec("guide", f"/courses/kits/{TRADE}/guide"),
    _spec("handout", _part("handout")),
    _spec("workshops", "/courses/workshops"),
    _spec("workshop", _w()),
    _spec("workshop-participant", _w(), role="learner"),
    _spec("workshop-upcoming", _w(key="inventory-upcoming"), role="trainer"),  # hours, online address
    _spec("ticket", _w("/ticket"), role="learner"),
    _spec("test", _w("/tests/post"), role="learner"),
    _spec("sheet", _sheet, role="learner"),
    _spec("feedback", _w("/feedback"), role="learner"),
    _spec("certificate", _certificate(public=False), role="learner"),
    _spec("verification", _certificate(public=True)),
    _spec("verify-form", "/courses/workshops/verify"),
    _spec("manage", "/courses/kits/manage/", role="trainer"),
    _spec("manage-kit", f"/courses/kits/manage/{TRADE}", role="trainer"),
    _spec("manage-new-kit", "/courses/kits/manage/new", role="trainer"),
    _spec("manage-part", _part("case_study"), role="trainer"),
    _spec("manage-question", _part("question"), role="trainer"),
    _spec("manage-preview", f"/courses/kits/manage/{TRADE}/preview", role="trainer"),
    _spec("manage-translations", f"/courses/kits/manage/{TRADE}/translations?language=ar", role="trainer"),
    _spec("manage-translate-part", _part("practice", "/translations/ar"), role="trainer"),
    _spec("manage-copy", f"/courses/kits/manage/{TRADE}/copy", role="trainer"),
    _spec("manage-import", "/courses/kits/manage/import", role="trainer"),
    _spec("manage-audit", f"/courses/kits/manage/{TRADE}/audit", role="trainer"),
    _spec("workshop-new", "/courses/workshops/new", role="trainer"),
    _spec("workshop-manage", _w("/manage"), role="trainer"),
    _spec("workshop-edit", _w("/edit", key="inventory-upcoming"), role="trainer"),
    _spec("workshop-import", _w("/import"), role="trainer"),
    _spec("workshop-attendance", _w("/attendance"), role="trainer"),
    _spec("workshop-codes", _w("/check-in-codes"), role="trainer"),
    _spec("check-in", _check_in, role="trainer"),
    _spec("paper", _paper, role="trainer"),
    _spec("results", _w("/results"), role="trainer"),
    _spec("feedback-summary", _w("/feedback-summary"), role="trainer"),
    _spec("workshop-audit", _w("/audit"), role="trainer"),
]
