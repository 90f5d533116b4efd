"""Workshops: certificates of attendance (the participant's page, PDF and Open Badges credential, also
read by the workshop's team) and their public verification by code."""

from __future__ import annotations

import json

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from courses.forms import VerifyForm
from courses.models_kits import AttendanceCertificate
from courses.permissions import can_edit
from courses.services import certificates as certs
from courses.services import workshops_certs as wcerts
from courses.views import bp
from courses.views.certificates import certificate_pdf_response
from courses.views.common import lang
from lms.countries import country_name
from lms.db import db
from lms.i18n import date_range_text, details_text


def _certificate_or_404(cert_uuid: str) -> AttendanceCertificate:
    cert = db.session.scalar(select(AttendanceCertificate).filter_by(uuid=cert_uuid))
    if cert is None or not current_user.is_authenticated:
        abort(404)
    if cert.user_id != current_user.id and not can_edit(current_user, cert.workshop):
        abort(403)
    return cert


@bp.get("/workshops/certificates/<cert_uuid>")
def attendance_certificate(cert_uuid):
    cert = _certificate_or_404(cert_uuid)
    url = wcerts.verification_url(cert)
    kit_title, kit_title_lang = wcerts.kit_title(cert, lang())
    return render_template(
        "courses/workshops/certificate.html",
        cert=cert,
        verify_url=url,
        qr=certs.qr_data_uri(url),
        kit_title=kit_title,
        kit_title_lang=kit_title_lang,
    )


@bp.get("/workshops/certificates/<cert_uuid>/certificate.pdf")
def attendance_certificate_pdf(cert_uuid):
    """The certificate of attendance as a PDF (the printable page when no installed font can draw it)."""
    cert = _certificate_or_404(cert_uuid)
    place = details_text([cert.city, country_name(cert.country_code)]).unescape()
    title = cert.workshop_title
    parts = dict(
        issuer=_("Secretariat of the Minamata Convention on Mercury"),
        heading=_("Certificate of attendance"),
        intro=_("This certifies that"),
        name=cert.participant_name,
        middle=_("attended the workshop"),
        course=title,
        date_line=f"{place} — {date_range_text(cert.start_date, cert.end_date)}",
        code_label=_("Verification code:"),
        code=cert.code,
        url_label=_("Verification page:"),
        url=wcerts.verification_url(cert),
        title=title,
        locale=lang(),
    )
    return certificate_pdf_response(
        f"attendance-certificates/{cert.uuid}",
        parts,
        url_for("courses.attendance_certificate", cert_uuid=cert.uuid),
        f"attendance-{cert.code}.pdf",
    )


@bp.get("/workshops/certificates/<cert_uuid>/badge.json")
def attendance_badge(cert_uuid):
    cert = _certificate_or_404(cert_uuid)
    body = json.dumps(wcerts.badge_credential(cert), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/ld+json",
        headers={"Content-Disposition": f'attachment; filename="attendance-{cert.code}.json"'},
    )


@bp.get("/workshops/verify")
def verify_attendance():
    form = VerifyForm(request.args)
    if request.args.get("code") and form.validate():
        return redirect(url_for("courses.verified_attendance", code=certs.normalise_code(form.code.data)))
    return render_template("courses/workshops/verify.html", form=form, cert=None, searched=False)


@bp.get("/workshops/verify/<code>")
def verified_attendance(code):
    cert = wcerts.find_by_code(code)
    form = VerifyForm(data={"code": code})
    return render_template(
        "courses/workshops/verify.html", form=form, cert=cert, searched=True
    ), 200 if cert is not None else 404
