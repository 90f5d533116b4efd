"""Administration of the built-in LRS (``/admin/lrs/``, administrators only): LRS clients (create —
the key and secret are shown once —, deactivate) and forwarding to external LRSs (endpoints with their
queue depth, last success and last error; the dead letters, retried one by one or all at once)."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select

from lms.auth import admin_required
from lms.db import db, utcnow
from lms.models import audit
from lms.xapi.admin_forms import FILTER_LABELS, SCOPE_LABELS, ActionForm, ClientForm, EndpointForm
from lms.xapi.auth import LRSClient, client_created_by_request, create_client, deactivate_client
from lms.xapi.forwarding import (
    ForwardEndpoint,
    ForwardError,
    ForwardItem,
    queue_stats,
    retry_dead,
    save_endpoint,
)

bp = Blueprint("xapi_admin", __name__, url_prefix="/admin/lrs")
DEAD_PAGE_SIZE = 100

# The start of a forwarding error as the delivery job records it (the exception's class, or "HTTP nnn").
_ERROR_KINDS = (
    ("gaierror", _l("The external LRS's host name could not be found.")),
    ("ConnectionRefusedError", _l("The external LRS refused the connection.")),
    ("TimeoutError", _l("The external LRS did not answer in time.")),
    ("timeout", _l("The external LRS did not answer in time.")),
    ("SSLCertVerificationError", _l("The external LRS's certificate could not be verified.")),
    ("SSLError", _l("The secure connection to the external LRS failed.")),
    ("the statement is no longer in the LRS", _l("The statement is no longer in this LRS.")),
)


@bp.app_template_global()
def forwarding_error(raw: str | None) -> str:
    """What a recorded forwarding error means, in the reader's language; the page shows the recorded
    text (the server's answer or the system's message, untranslated) beside it for diagnosis."""
    if not raw:
        return ""
    head = raw.split(":", 1)[0].strip()
    if head.startswith("HTTP "):
        return _("The external LRS answered with HTTP status %(status)s.", status=head[5:])
    for prefix, meaning in _ERROR_KINDS:
        if head == prefix:
            return str(meaning)
    return _("The statement could not be sent.")


@bp.before_request
@admin_required
def _admins_only():
    return None


def _lrs_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/") + "/xapi/"


def _endpoint_or_404(endpoint_uuid: str) -> ForwardEndpoint:
    endpoint = db.session.scalar(select(ForwardEndpoint).where(ForwardEndpoint.uuid == endpoint_uuid))
    if endpoint is None:
        abort(404)
    return endpoint


@bp.get("/")
def index():
    clients = db.session.scalars(
        select(LRSClient).where(LRSClient.user_id.is_(None)).order_by(LRSClient.created_dt.desc())
    ).all()
    launch_count = db.session.scalar(
        select(func.count())
        .select_from(LRSClient)
        .where(
            LRSClient.user_id.is_not(None),
            LRSClient.is_active.is_(True),
            (LRSClient.expires_dt.is_(None)) | (LRSClient.expires_dt > utcnow()),
        )
    )
    endpoints = db.session.scalars(select(ForwardEndpoint).order_by(ForwardEndpoint.name)).all()
    return render_template(
        "admin/lrs_index.html",
        clients=clients,
        launch_count=launch_count,
        endpoints=endpoints,
        stats=queue_stats(),
        scope_labels=SCOPE_LABELS,
        filter_labels=FILTER_LABELS,
        now=utcnow(),
        lrs_url=_lrs_url(),
    )


# --- LRS clients -------------------------------------------------------------------------------------------


@bp.route("/clients/new", methods=["GET", "POST"])
def client_new():
    form = ClientForm()
    if not form.is_submitted():
        form.request_id.data = uuid4().hex
    elif form.validate() and (earlier := client_created_by_request(current_user, form.request_id.data)):
        return render_template(
            "admin/lrs_client_created.html", client=earlier, key=earlier.key, secret=None, lrs_url=_lrs_url()
        )
    if form.validate_on_submit():
        expires = utcnow() + timedelta(days=form.expires_days.data) if form.expires_days.data else None
        try:
            client, key, secret = create_client(form.name.data, form.scopes.data, expires_dt=expires)
        except ValueError as exc:
            form.name.errors.append(str(exc))
        else:
            audit(
                current_user,
                "lrs.client_created",
                "lrs_client",
                key,
                name=client.name,
                scopes=client.scopes,
                request=form.request_id.data or None,
            )
            db.session.commit()
            return render_template(
                "admin/lrs_client_created.html", client=client, key=key, secret=secret, lrs_url=_lrs_url()
            )
    status = 400 if form.is_submitted() else 200
    return render_template("admin/lrs_client_form.html", form=form, scope_labels=SCOPE_LABELS), status


@bp.post("/clients/<key>/deactivate")
def client_deactivate(key: str):
    client = db.session.scalar(select(LRSClient).where(LRSClient.key == key))
    if client is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    deactivate_client(client)
    audit(current_user, "lrs.client_deactivated", "lrs_client", key, name=client.name)
    db.session.commit()
    flash(_("The client %(name)s can no longer use the LRS.", name=client.name), "success")
    return redirect(url_for(".index"))


# --- forwarding endpoints ----------------------------------------------------------------------------------


def _save_from_form(endpoint: ForwardEndpoint | None, form: EndpointForm) -> ForwardEndpoint | None:
    try:
        return save_endpoint(
            endpoint,
            name=form.name.data,
            url=form.endpoint.data,
            username=form.username.data or "",
            password=form.password.data if (form.password.data or endpoint is None) else None,
            version=form.version.data,
            filter_kind=form.filter_kind.data,
            filter_values=form.filter_values.data or "",
            is_active=form.is_active.data,
        )
    except ForwardError as exc:
        db.session.rollback()
        target = getattr(form, exc.field, None) if exc.field else None
        (target.errors if target is not None else form.form_errors).append(str(exc))
        return None


@bp.route("/endpoints/new", methods=["GET", "POST"])
def endpoint_new():
    form = EndpointForm()
    if form.validate_on_submit():
        endpoint = _save_from_form(None, form)
        if endpoint is not None:
            audit(
                current_user,
                "lrs.endpoint_created",
                "lrs_endpoint",
                endpoint.uuid,
                name=endpoint.name,
                endpoint=endpoint.endpoint,
            )
            db.session.commit()
            flash(_("Statements will be forwarded to %(name)s.", name=endpoint.name), "success")
            return redirect(url_for(".index"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/lrs_endpoint_form.html", form=form, endpoint=None), status


@bp.route("/endpoints/<endpoint_uuid>/edit", methods=["GET", "POST"])
def endpoint_edit(endpoint_uuid: str):
    endpoint = _endpoint_or_404(endpoint_uuid)
    if request.method == "GET":
        form = EndpointForm(
            data={
                "name": endpoint.name,
                "endpoint": endpoint.endpoint,
                "username": endpoint.username,
                "version": endpoint.version,
                "filter_kind": endpoint.filter_kind,
                "filter_values": "\n".join(endpoint.filter_values or []),
                "is_active": endpoint.is_active,
            }
        )
    else:
        form = EndpointForm()
        if form.validate_on_submit() and _save_from_form(endpoint, form) is not None:
            audit(
                current_user,
                "lrs.endpoint_updated",
                "lrs_endpoint",
                endpoint.uuid,
                name=endpoint.name,
                endpoint=endpoint.endpoint,
                is_active=endpoint.is_active,
            )
            db.session.commit()
            flash(_("The endpoint %(name)s is saved.", name=endpoint.name), "success")
            return redirect(url_for(".index"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/lrs_endpoint_form.html", form=form, endpoint=endpoint), status


@bp.post("/endpoints/<endpoint_uuid>/toggle")
def endpoint_toggle(endpoint_uuid: str):
    endpoint = _endpoint_or_404(endpoint_uuid)
    if not ActionForm().validate_on_submit():
        abort(400)
    endpoint.is_active = not endpoint.is_active
    audit(
        current_user,
        "lrs.endpoint_enabled" if endpoint.is_active else "lrs.endpoint_disabled",
        "lrs_endpoint",
        endpoint.uuid,
        name=endpoint.name,
    )
    db.session.commit()
    if endpoint.is_active:
        flash(_("Forwarding to %(name)s is on again.", name=endpoint.name), "success")
    else:
        flash(
            _("Forwarding to %(name)s is off; statements are no longer queued for it.", name=endpoint.name),
            "success",
        )
    return redirect(url_for(".index"))


# --- dead letters ------------------------------------------------------------------------------------------


@bp.get("/dead")
def dead_letters():
    endpoint = None
    if request.args.get("target"):
        endpoint = _endpoint_or_404(request.args["target"])
    query = select(ForwardItem).where(ForwardItem.status == "dead")
    count_query = select(func.count()).select_from(ForwardItem).where(ForwardItem.status == "dead")
    if endpoint is not None:
        query = query.where(ForwardItem.endpoint_id == endpoint.id)
        count_query = count_query.where(ForwardItem.endpoint_id == endpoint.id)
    items = db.session.scalars(query.order_by(ForwardItem.id.desc()).limit(DEAD_PAGE_SIZE)).all()
    return render_template(
        "admin/lrs_dead.html",
        items=items,
        endpoint=endpoint,
        total=db.session.scalar(count_query),
        page_size=DEAD_PAGE_SIZE,
    )


@bp.post("/endpoints/<endpoint_uuid>/dead/<statement_id>/retry")
def dead_retry(endpoint_uuid: str, statement_id: str):
    endpoint = _endpoint_or_404(endpoint_uuid)
    item = db.session.scalar(
        select(ForwardItem).where(
            ForwardItem.endpoint_id == endpoint.id,
            ForwardItem.statement_id == statement_id,
            ForwardItem.status == "dead",
        )
    )
    if item is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    retry_dead(item=item)
    audit(current_user, "lrs.forward_retried", "lrs_endpoint", endpoint.uuid, statement=statement_id)
    db.session.commit()
    flash(_("The statement is queued again."), "success")
    return redirect(url_for(".dead_letters", target=endpoint.uuid))


@bp.post("/dead/retry-all")
def dead_retry_all():
    endpoint = None
    if request.form.get("target"):
        endpoint = _endpoint_or_404(request.form["target"])
    if not ActionForm().validate_on_submit():
        abort(400)
    count = retry_dead(endpoint=endpoint)
    audit(
        current_user,
        "lrs.forward_retried_all",
        "lrs_endpoint",
        endpoint.uuid if endpoint else "*",
        count=count,
    )
    db.session.commit()
    flash(
        ngettext("%(num)d statement is queued again.", "%(num)d statements are queued again.", count),
        "success",
    )
    return redirect(url_for(".dead_letters", **({"target": endpoint.uuid} if endpoint else {})))
