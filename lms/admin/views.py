"""Administration: users, roles, countries, deletion requests. The LRS clients and forwarding pages are
the ``xapi_admin`` blueprint's (under ``/admin/lrs/``); the index links to them.

Every route is for administrators only (:func:`lms.auth.admin_required`).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.account import creation
from lms.account.csv_rows import MAX_BYTES, ImportRefused
from lms.account.errors import AccountError
from lms.account.privacy import execute_deletion
from lms.account.services import find_user
from lms.account.views import refuse
from lms.admin import services
from lms.admin.audit_labels import action_details, action_label
from lms.admin.coordinators import CoordinatorTaken
from lms.admin.forms import (
    STATUS_LABELS,
    ActionForm,
    CountryForm,
    ExecuteDeletionForm,
    InviteCsvForm,
    InviteForm,
    RejectDeletionForm,
    RoleForm,
    UserSearchForm,
)
from lms.auth import admin_required
from lms.countries import REGION_NAMES, country_name
from lms.db import db
from lms.i18n import current_language, sort_key
from lms.models import ROLES

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.add_app_template_global(country_name, "country_name")
bp.add_app_template_global(action_label, "audit_action_label")
bp.add_app_template_global(action_details, "audit_action_details")

LRS_FALLBACK_URL = "/admin/lrs/"


def _endpoint_url(endpoint: str, fallback: str | None = None) -> str | None:
    return url_for(endpoint) if endpoint in current_app.view_functions else fallback


@bp.get("/")
@admin_required
def index():
    links = {
        "lrs": _endpoint_url("xapi_admin.index", LRS_FALLBACK_URL),
        "analytics": _endpoint_url("analytics.index"),
    }
    return render_template(
        "admin/index.html", links=links, open_requests=len(services.open_deletion_requests())
    )


# --- users ----------------------------------------------------------------------------------------


@bp.get("/users")
@admin_required
def users():
    form = UserSearchForm(request.args)
    page = request.args.get("page", 1, type=int)
    if not form.validate() or page < 1:
        return render_template("admin/users.html", form=form, pagination=None, args={}), 400
    args = {
        k: v
        for k, v in (
            ("q", form.q.data),
            ("country", form.country.data),
            ("role", form.role.data),
            ("status", form.status.data),
        )
        if v
    }
    pagination = services.search_users(
        q=form.q.data or "",
        country_code=form.country.data or "",
        role=form.role.data or "",
        status=form.status.data or "",
        page=page,
    )
    if page > max(pagination.pages, 1):
        # A page past the end (the list shrank, or an old link): the last page that exists.
        last = pagination.pages if pagination.pages > 1 else None
        return redirect(url_for("admin.users", page=last, **args))
    return render_template("admin/users.html", form=form, pagination=pagination, args=args)


def _invite_page(form=None, csv_form=None, existing=None, errors=(), status=200):
    if form is None:
        form = InviteForm(data={"locale": current_language()})
    return render_template(
        "admin/invite.html",
        form=form,
        csv_form=csv_form or InviteCsvForm(data={"csv_locale": current_language()}),
        existing=existing,
        errors=errors,
        role_codes=ROLES,
    ), status


@bp.route("/users/invite", methods=["GET", "POST"])
@admin_required
def invite():
    """Invite one person: their account is created and they are mailed a link to choose a password."""
    if request.method == "GET":
        return _invite_page()
    form = InviteForm()
    existing = None
    if form.validate_on_submit():
        try:
            user = services.invite_user(
                current_user,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                country_code=form.country.data,
                locale=form.locale.data,
            )
        except CoordinatorTaken as exc:
            db.session.rollback()
            flash(str(exc), "error")
        except AccountError as exc:
            db.session.rollback()
            existing = getattr(exc, "user", None)
            refuse(form, exc)
        else:
            db.session.commit()
            flash(
                _(
                    "%(name)s is invited: the invitation is on its way to %(email)s.",
                    name=user.name,
                    email=user.email,
                ),
                "success",
            )
            return redirect(url_for("admin.user", user_uuid=user.uuid))
    return _invite_page(form=form, existing=existing, status=400)


@bp.post("/users/invite/csv")
@admin_required
def invite_csv():
    """Invite the people of a CSV list: all of them, or none with every bad row named."""
    csv_form = InviteCsvForm()
    errors = []
    if csv_form.validate_on_submit():
        upload = csv_form.file.data
        data = upload.read(MAX_BYTES + 1)
        upload.close()  # a large upload is a temporary file: closed at once
        try:
            invited = services.invite_from_csv(
                current_user, data, default_locale=csv_form.csv_locale.data or current_language()
            )
        except ImportRefused as exc:
            db.session.rollback()
            errors = exc.errors
            csv_form.file.errors.append(str(exc))
        else:
            db.session.commit()
            flash(
                ngettext("%(num)d person is invited.", "%(num)d people are invited.", len(invited)), "success"
            )
            return redirect(url_for("admin.users", status="unconfirmed"))
    return _invite_page(csv_form=csv_form, errors=errors, status=400)


def _user_or_404(user_uuid: str):
    user = find_user(user_uuid)
    if user is None:
        abort(404)
    return user


def _user_page(user, role_form=None, country_form=None, status=200):
    role_form = role_form or RoleForm(data={"role": user.role})
    return render_template(
        "admin/user.html",
        user=user,
        role_form=role_form,
        country_form=country_form or CountryForm(data={"country": user.country_code}),
        action_form=ActionForm(),
        invitation=creation.invitation_of(user),
        history=services.user_history(user),
        open_request=services.open_request_for(user.uuid),
        status_labels=STATUS_LABELS,
    ), status


@bp.get("/users/<user_uuid>")
@admin_required
def user(user_uuid: str):
    return _user_page(_user_or_404(user_uuid))


@bp.post("/users/<user_uuid>/role")
@admin_required
def change_role(user_uuid: str):
    return _save_one_field(user_uuid, RoleForm(), "role", services.change_role, _("The role is saved."))


@bp.post("/users/<user_uuid>/country")
@admin_required
def change_country(user_uuid: str):
    return _save_one_field(
        user_uuid, CountryForm(), "country", services.change_country, _("The country is saved.")
    )


def _save_one_field(user_uuid: str, form, name: str, save, done: str):
    """The role or country form of a user's page: ``save(admin, user, value)``; a refusal is shown at
    the field, on the page again; one about another account (the country's coordinator) above it."""
    target = _user_or_404(user_uuid)
    if form.validate_on_submit():
        try:
            save(current_user, target, form[name].data)
        except CoordinatorTaken as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return _user_page(target, status=400)
        except AccountError as exc:
            db.session.rollback()
            form[name].errors = [*form[name].errors, str(exc)]
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for("admin.user", user_uuid=target.uuid))
    return _user_page(target, status=400, **{f"{name}_form": form})


def _user_action(user_uuid: str, act, done):
    """A button of a user's page: ``act(admin, user)``, then the message ``done(user)``; a refusal is
    shown on the page again."""
    target = _user_or_404(user_uuid)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        act(current_user, target)
    except AccountError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _user_page(target, status=400)
    db.session.commit()
    flash(done(target), "success")
    return redirect(url_for("admin.user", user_uuid=target.uuid))


def _set_active(user_uuid: str, active: bool):
    return _user_action(
        user_uuid,
        lambda admin, user: services.set_active(admin, user, active),
        lambda _user: _("The account is active again.") if active else _("The account is deactivated."),
    )


@bp.post("/users/<user_uuid>/invitation")
@admin_required
def resend_invitation(user_uuid: str):
    return _user_action(
        user_uuid,
        creation.resend_invitation,
        lambda user: _("The invitation is sent again to %(email)s, with a new link.", email=user.email),
    )


@bp.post("/users/<user_uuid>/deactivate")
@admin_required
def deactivate(user_uuid: str):
    return _set_active(user_uuid, False)


@bp.post("/users/<user_uuid>/reactivate")
@admin_required
def reactivate(user_uuid: str):
    return _set_active(user_uuid, True)


# --- deletion requests ----------------------------------------------------------------------------


@bp.get("/deletion-requests")
@admin_required
def deletion_requests():
    return render_template(
        "admin/deletion_requests.html",
        open_requests=services.open_deletion_requests(),
        handled=services.handled_deletion_requests(),
    )


def _open_request_or_404(user_uuid: str):
    req = services.open_request_for(user_uuid)
    if req is None:
        abort(404)
    return req


def _request_page(req, execute_form=None, reject_form=None, status=200):
    return render_template(
        "admin/deletion_request.html",
        req=req,
        execute_form=execute_form or ExecuteDeletionForm(),
        reject_form=reject_form or RejectDeletionForm(),
    ), status


@bp.get("/deletion-requests/<user_uuid>")
@admin_required
def deletion_request(user_uuid: str):
    return _request_page(_open_request_or_404(user_uuid))


@bp.post("/deletion-requests/<user_uuid>/execute")
@admin_required
def execute_deletion_request(user_uuid: str):
    req = _open_request_or_404(user_uuid)
    form = ExecuteDeletionForm()
    if form.validate_on_submit():
        try:
            execute_deletion(req, current_user)
        except AccountError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The account is deleted and its learning records are pseudonymised."), "success")
            return redirect(url_for("admin.deletion_requests"))
    return _request_page(req, execute_form=form, status=400)


@bp.post("/deletion-requests/<user_uuid>/reject")
@admin_required
def reject_deletion_request(user_uuid: str):
    req = _open_request_or_404(user_uuid)
    form = RejectDeletionForm()
    if form.validate_on_submit():
        try:
            services.reject_deletion_request(req, current_user, form.note.data)
        except AccountError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The request is rejected."), "success")
            return redirect(url_for("admin.deletion_requests"))
    return _request_page(req, reject_form=form, status=400)


# --- countries ------------------------------------------------------------------------------------


@bp.get("/countries")
@admin_required
def countries():
    rows = sorted(
        ((c, country_name(c.code), n) for c, n in services.country_overview()),
        key=lambda row: (row[0].region, sort_key(row[1])),
    )
    return render_template("admin/countries.html", rows=rows, region_names=REGION_NAMES)
