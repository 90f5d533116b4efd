"""Workshop kits, public pages (tier 3): the list of published kits, a kit's page, its facilitator guide,
a printable handout, and the offline bundle (one zip per kit and language). Authoring is in
:mod:`.kits_manage` and :mod:`.kits_translate`; workshops in :mod:`.workshops`."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import abort, render_template, request, send_file
from flask_login import current_user
from sqlalchemy import select

from courses.forms import CatalogueFilterForm
from courses.forms_kits import PART_LABELS, RESOURCE_LABELS
from courses.models_kits import Kit, KitPart, Workshop
from courses.permissions import can_edit, may_see_answer_keys
from courses.services.kits_files import FORMAT_NAMES, lost_files
from courses.services.kits_offline import bundle_name, cached_bundle
from courses.services.kits_snapshot import get_version, is_visible, published_view, published_views
from courses.services.media import blob_path
from courses.services.workshops import today
from courses.views import bp
from courses.views.common import lang
from lms.config import LANGUAGES
from lms.db import db


def visible_kit_or_404(slug: str) -> Kit:
    kit = db.session.scalar(select(Kit).filter_by(slug=slug))
    if kit is None or not is_visible(kit):
        abort(404)
    return kit


def upcoming_workshops(kit: Kit | None = None) -> list[Workshop]:
    """Workshops not over yet, the cancelled ones included (marked so): someone who registered, or
    meant to, finds it there and sees it will not take place."""
    stmt = select(Workshop).where(Workshop.end_date >= today())
    if kit is not None:
        stmt = stmt.where(Workshop.kit_id == kit.id)
    return list(db.session.scalars(stmt.order_by(Workshop.start_date)))


def past_workshops(kit: Kit) -> list[Workshop]:
    return list(
        db.session.scalars(
            select(Workshop)
            .where(Workshop.kit_id == kit.id, Workshop.is_cancelled.is_(False), Workshop.end_date < today())
            .order_by(Workshop.start_date.desc())
        )
    )


@bp.get("/kits")
def kits():
    rows = db.session.scalars(
        select(Kit).where(Kit.status == "published", Kit.published_version.is_not(None)).order_by(Kit.slug)
    ).all()
    published = published_views(rows, lang())
    views = [(k, published[k.id]) for k in rows]
    articles = sorted({a for _k, v in views for a in v.s["articles"]})
    form = CatalogueFilterForm(request.args).setup(articles)
    chosen_lang = form.language.data if form.language.data in {c.value for c in form.language.choices} else ""
    chosen_article = form.article.data if form.article.data in {c.value for c in form.article.choices} else ""
    shown = [
        (k, v)
        for k, v in views
        if (not chosen_lang or chosen_lang in v.s["languages"])
        and (not chosen_article or int(chosen_article) in v.s["articles"])
    ]
    return render_template(
        "courses/kits.html",
        kits=shown,
        form=form,
        filtered=bool(chosen_lang or chosen_article),
        workshops=upcoming_workshops()[:10],
    )


def _kit_page(kit: Kit, view, *, preview: bool = False):
    return render_template(
        "courses/kits/kit.html",
        kit=kit,
        view=view,
        preview=preview,
        upcoming=upcoming_workshops(kit),
        past=past_workshops(kit),
        part_labels=PART_LABELS,
        resource_labels=RESOURCE_LABELS,
        bundle_languages=bundle_languages(view),
        may_see_answers=may_see_answer_keys(current_user, kit),
        lost_files=lost_files(view.parts("resource")),
    )


def bundle_languages(view) -> list[str]:
    """Languages offered for the offline bundle: the kit's complete languages first, then the others
    (shown with the fallback notice)."""
    complete = list(view.s["languages"])
    return complete + [code for code in LANGUAGES if code not in complete]


@bp.get("/kits/<slug>")
def kit(slug):
    kit = visible_kit_or_404(slug)
    return _kit_page(kit, published_view(kit, lang()))


@bp.get("/kits/<slug>/guide")
def kit_guide(slug):
    kit = visible_kit_or_404(slug)
    view = published_view(kit, lang())
    facilitator = may_see_answer_keys(current_user, kit)
    return render_template(
        "courses/kits/guide.html",
        kit=kit,
        view=view,
        preview=False,
        show_answers=facilitator,
        show_outcomes=facilitator,
    )


@bp.get("/kits/<slug>/handouts/<part_uuid>")
def kit_handout(slug, part_uuid):
    kit = visible_kit_or_404(slug)
    view = published_view(kit, lang())
    handout = next((h for h in view.parts("handout") if h["uuid"] == part_uuid), None)
    if handout is None:
        abort(404)
    return render_template("courses/kits/handout.html", kit=kit, view=view, handout=handout)


@bp.get("/kits/<slug>/offline/<language>.zip")
def kit_offline(slug, language):
    """The offline bundle in ``language`` (parts not yet translated fall back to the source language).
    Those who may read the test's answer key (:func:`~courses.permissions.may_see_answer_keys`) add it
    with ``?answers=1`` (with the test sheet and the exercises' expected outcomes); anyone else asking
    for it gets the bundle without them."""
    kit = visible_kit_or_404(slug)
    if language not in LANGUAGES:
        abort(404)
    version = get_version(kit)
    view = published_view(kit, language)
    answers = request.args.get("answers") == "1" and may_see_answer_keys(current_user, kit)
    name = bundle_name(view).replace(".zip", "-facilitator.zip") if answers else bundle_name(view)
    try:
        path = cached_bundle(version, view, answers=answers)
        response = send_file(path, mimetype="application/zip", etag=path.stem, conditional=True)
    except FileNotFoundError:  # replaced by a newer bundle (another version, a deployment) just then
        path = cached_bundle(version, view, answers=answers)
        response = send_file(path, mimetype="application/zip", etag=path.stem, conditional=True)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    # Private: the facilitator bundle is not everyone's, and a withdrawn kit's bundle must not linger.
    response.cache_control.public = False
    response.cache_control.private = True
    return response


@bp.get("/kits/<slug>/files/<part_uuid>/<sha256>")
def kit_file(slug, part_uuid, sha256):
    """The file of a resource: as the published version holds it (whoever may see the kit), or as the
    draft holds it (the kit's team). Never by digest alone: the part must hold this very file."""
    kit = db.session.scalar(select(Kit).filter_by(slug=slug))
    if kit is None:
        abort(404)
    meta = None
    if is_visible(kit):
        version = get_version(kit)
        parts = version.snapshot["parts"] if version is not None else []
        meta = next((p["settings"].get("file") for p in parts if p["uuid"] == part_uuid), None)
    if (meta is None or meta.get("sha256") != sha256) and can_edit(current_user, kit):
        part = db.session.scalar(select(KitPart).filter_by(kit_id=kit.id, uuid=part_uuid))
        meta = (part.settings or {}).get("file") if part is not None else None
    if not meta or meta.get("sha256") != sha256:
        abort(404)
    path = blob_path(sha256)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=meta["content_type"], etag=sha256, conditional=True, max_age=86400)
    response.headers["Content-Disposition"] = attachment_header(meta["name"])
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Private even when published: a shared cache would keep serving the file for a day after the kit is
    # unpublished or the file replaced; the ETag still spares a reader's browser the download.
    response.cache_control.public = False
    response.cache_control.private = True
    return response


def attachment_header(name: str) -> str:
    """``attachment`` with an ASCII fallback name and the real one (RFC 6266 ``filename*``)."""
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    fallback = re.sub(r"[^A-Za-z0-9._ -]+", "-", fallback).strip() or "file"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@bp.context_processor
def _kits_globals():
    from lms.countries import country_name

    return {"country_name": country_name, "file_formats": FORMAT_NAMES}
