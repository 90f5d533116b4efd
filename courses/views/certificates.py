"""Certificates: the holder's page (printable), the Open Badges 3.0 credential, the issuer profile, and
the public verification page (name, course, date; nothing else)."""

from __future__ import annotations

import json

from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from courses.forms import VerifyForm
from courses.models import Certificate
from courses.permissions import can_see_certificate
from courses.services import certificates as certs
from courses.views import bp
from courses.views.common import lang
from lms.db import db


def _certificate_or_404(cert_uuid: str) -> Certificate:
    cert = db.session.scalar(select(Certificate).filter_by(uuid=cert_uuid))
    if cert is None:
        abort(404)
    if not current_user.is_authenticated:
        abort(404)
    if not can_see_certificate(current_user, cert):
        abort(403)
    return cert


@bp.get("/certificates/<cert_uuid>")
def certificate(cert_uuid):
    cert = _certificate_or_404(cert_uuid)
    url = certs.verification_url(cert)
    title, title_lang = certs.title_in(cert, lang())
    return render_template(
        "courses/certificate.html",
        cert=cert,
        title=title,
        title_lang=title_lang,
        verify_url=url,
        qr=certs.qr_data_uri(url),
    )


@bp.get("/certificates/<cert_uuid>/badge.json")
def badge(cert_uuid):
    cert = _certificate_or_404(cert_uuid)
    from courses.services.publishing import published_view

    view = published_view(cert.course, cert.language)
    summary = view.course_texts.get("summary", "") if view is not None else ""
    body = json.dumps(certs.badge_credential(cert, summary), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/ld+json",
        headers={"Content-Disposition": f'attachment; filename="badge-{cert.code}.json"'},
    )


def certificate_pdf_response(folder: str, parts: dict, page_url: str, filename: str):
    """The certificate PDF built from ``parts`` (see :func:`courses.services.pdf.certificate_pdf`), once
    per certificate and language under ``folder`` of the PDF cache; when no installed font can draw the
    name or title, back to the printable page (``page_url``) with how to save it as PDF there."""
    from flask import flash
    from flask_babel import gettext as _

    from courses.services.pdf import certificate_pdf as build
    from lms.pdf import cached

    # Built once per certificate and language (about a second for Chinese text), then read back.
    data = cached(folder, parts, lambda: build(**parts))
    if data is None:
        flash(
            _(
                "A PDF cannot show this name or title; use your browser's Print dialogue and choose "
                '"Save as PDF" instead.'
            ),
            "info",
        )
        return redirect(page_url)
    disposition = f'attachment; filename="{filename}"'
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": disposition})


@bp.get("/certificates/<cert_uuid>/certificate.pdf")
def certificate_pdf(cert_uuid):
    """The certificate as a PDF in every script; when no installed font can draw the name or title, the
    printable page explains how to save it as PDF from the browser."""
    from flask_babel import format_date
    from flask_babel import gettext as _

    cert = _certificate_or_404(cert_uuid)
    # The PDF needs no language mark: its text shaping finds each line's direction from its letters.
    title, _title_lang = certs.title_in(cert, lang())
    parts = dict(
        issuer=_("Secretariat of the Minamata Convention on Mercury"),
        heading=_("Certificate of completion"),
        intro=_("This certifies that"),
        name=cert.learner_name,
        middle=_("has completed the self-paced module"),
        course=title,
        # The UTC date, the same for every reader (a datetime would be moved to the reader's zone).
        date_line=_("on %(date)s", date=format_date(cert.issued_dt.date(), "long")),
        code_label=_("Verification code:"),
        code=cert.code,
        url_label=_("Verification page:"),
        url=certs.verification_url(cert),
        title=title,
        locale=lang(),
    )
    return certificate_pdf_response(
        f"certificates/{cert.uuid}",
        parts,
        url_for("courses.certificate", cert_uuid=cert.uuid),
        f"certificate-{cert.code}.pdf",
    )


@bp.get("/badges/issuer.json")
def issuer():
    return Response(json.dumps(certs.issuer_profile(), indent=2), mimetype="application/ld+json")


@bp.get("/verify")
def verify():
    form = VerifyForm(request.args)
    if request.args.get("code") and form.validate():
        return redirect(url_for("courses.verified", code=certs.normalise_code(form.code.data)))
    return render_template("courses/verify.html", form=form, cert=None, searched=False)


@bp.get("/verify/<code>")
def verified(code):
    cert = certs.find_by_code(code)
    form = VerifyForm(data={"code": code})
    status = 200 if cert is not None else 404
    title, title_lang = certs.title_in(cert, lang()) if cert else (None, None)
    return render_template(
        "courses/verify.html",
        form=form,
        cert=cert,
        searched=True,
        title=title,
        title_lang=title_lang,
    ), status
