"""courses: the blueprint (thin views: parse a form, call a service, commit once, redirect or render).

Modules: :mod:`.learner` (catalogue, course, lessons, my learning), :mod:`.learner_quiz` (attempts),
:mod:`.certificates` (certificates, badges, public verification), :mod:`.authoring` and
:mod:`.authoring_quiz` (trainers), :mod:`.translate` (translation view), :mod:`.packages`
(import/export, xAPI/cmi5 packages), :mod:`.kits` (kit pages; trainers: :mod:`.kits_manage`,
:mod:`.kits_questions`, :mod:`.kits_transfer`, :mod:`.kits_translate`), :mod:`.workshops` (trainers:
:mod:`.workshops_manage`, :mod:`.workshops_attendance`), :mod:`.teams`, :mod:`.audit` (the audit trails
of modules, kits and workshops).
"""

from pathlib import Path

from flask import Blueprint

_PACKAGE = Path(__file__).resolve().parent.parent
bp = Blueprint(
    "courses", __name__, template_folder=str(_PACKAGE / "templates"), static_folder=str(_PACKAGE / "static")
)


@bp.context_processor
def _courses_globals():
    # ``language_name`` is the core's: a language's name in the reader's language ("anglais",
    # "الإنجليزية"), for running text such as "not yet available in %(language)s".
    from courses.forms import LEVEL_LABELS

    return {"level_labels": LEVEL_LABELS}


from courses.views import (  # noqa: E402,F401,I001  (routes register on bp)
    audit,
    authoring,
    authoring_lessons,
    authoring_quiz,
    certificates,
    kits,
    learner,
    learner_quiz,
    learners,
    media,
    packages,
    translate,
    xapi_packages,
)
from courses.views import kits_manage, kits_questions, kits_transfer, kits_translate  # noqa: E402,F401,I001
from courses.views import workshops, workshops_manage, workshops_attendance, workshops_certs  # noqa: E402,F401,I001
from courses.views import teams  # noqa: E402,F401,I001  (after kits_manage and workshops_manage)

from courses.services.receivers import connect  # noqa: E402

connect()
