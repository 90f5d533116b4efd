"""Imported xAPI (TinCan) and cmi5 packages: upload, serve, launch."""

from __future__ import annotations

from courses.views import bp


@bp.get("/manage/<slug>/units/<unit_uuid>/packages/new")
def new_package(slug, unit_uuid):
    return "TODO"


@bp.get("/manage/<slug>/packages/<item_uuid>")
def edit_package(slug, item_uuid):
    return "TODO"
