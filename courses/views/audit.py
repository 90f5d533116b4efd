"""The audit trails of a module, a kit and a workshop: who changed what, newest first, for the
resource's team and admins."""

from __future__ import annotations

from flask import render_template

from courses.services.audit import resource_trail
from courses.views import bp
from courses.views.common import author_course_or_404
from courses.views.kits_manage import kit_or_404
from courses.views.workshops_manage import managed_workshop_or_404
from lms.auth import trainer_required


@bp.get("/manage/<slug>/audit")
@trainer_required
def audit_trail(slug):
    course = author_course_or_404(slug)
    return render_template(
        "courses/manage/audit.html", kind="course", course=course, rows=resource_trail("course", course.uuid)
    )


@bp.get("/kits/manage/<slug>/audit")
@trainer_required
def kit_audit_trail(slug):
    kit = kit_or_404(slug)
    return render_template(
        "courses/manage/audit.html", kind="kit", kit=kit, rows=resource_trail("kit", kit.uuid)
    )


@bp.get("/workshops/<workshop_uuid>/audit")
@trainer_required
def workshop_audit_trail(workshop_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    return render_template(
        "courses/manage/audit.html",
        kind="workshop",
        workshop=workshop,
        rows=resource_trail("workshop", workshop.uuid),
    )
