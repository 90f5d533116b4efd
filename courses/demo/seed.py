"""Seed the four demo modules (course packages under ``courses/data/demo/``) and the demo xAPI activity.
Idempotent: a module that already exists is left as it is (a trainer may have edited it)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import select

from courses.models import Course
from lms.db import db
from lms.models import User

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
MODULES = ["the-convention-and-you", "mercury-supply-and-trade", "products-and-processes", "emissions"]
PACKAGE_ITEM_UUID = "3fe8d182-f9c7-5c55-9668-c768328e2f2b"
PACKAGE_MODULE = "products-and-processes"


def seed(app: Flask) -> list[str]:
    from courses.demo.xapi_package import build
    from courses.services import package_io, publishing
    from courses.services.xapi_packages import add_package

    trainer = db.session.scalar(select(User).filter_by(email="trainer@example.org"))
    done = []
    for slug in MODULES:
        if db.session.scalar(select(Course.id).filter_by(slug=slug)) is not None:
            continue
        course, _created = package_io.import_files(trainer, package_io.files_from_folder(DEMO_DIR / slug))
        if slug == PACKAGE_MODULE:
            add_package(
                trainer,
                course.units[0],
                slug="article-4-self-check",
                title="",
                required=True,
                data=build("tincan"),
                item_uuid=PACKAGE_ITEM_UUID,
            )
        publishing.publish(trainer, course, note="Demo content")
        done.append(slug)
    db.session.flush()
    return done
