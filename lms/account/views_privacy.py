"""Accounts: the person's privacy page, their data export and their deletion request. Routes of the
``account`` blueprint."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.account import services
from lms.account.errors import AccountError
from lms.account.forms import DeletionRequestForm
from lms.account.privacy import export_json
from lms.account.views import bp, refuse
from lms.auth import login_required
from lms.db import db, utcnow


@bp.get("/privacy")
@login_required
def privacy():
    return _privacy_page(DeletionRequestForm())


def _privacy_page(form: DeletionRequestForm, status: int = 200):
    return render_template(
        "account/privacy.html",
        form=form,
        open_request=services.open_deletion_request(current_user),
        rejected=services.rejected_deletion_request(current_user),
    ), status


@bp.get("/export")
@login_required
def export():
    data = services.export_user_data(current_user)
    filename = f"minamata-lms-my-data-{utcnow():%Y%m%d}.json"
    return Response(
        export_json(data),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@bp.post("/delete")
@login_required
def request_deletion():
    form = DeletionRequestForm()
    if form.validate_on_submit():
        try:
            services.request_deletion(current_user, form.reason.data)
        except AccountError as exc:
            db.session.rollback()
            refuse(form, exc)
        else:
            db.session.commit()
            flash(_("Your request is sent. An administrator will delete your account."), "success")
            return redirect(url_for("account.privacy"))
    return _privacy_page(form, 400)


@bp.post("/delete/withdraw")
@login_required
def withdraw_deletion():
    # The CSRF token is checked for every POST by the app's CSRFProtect.
    try:
        services.withdraw_deletion(current_user)
    except AccountError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Your deletion request is withdrawn: your account stays as it is."), "success")
    return redirect(url_for("account.privacy"))
