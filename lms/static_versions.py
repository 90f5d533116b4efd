"""Versioned static URLs: every ``url_for("static", ...)`` and ``url_for("<plugin>.static", ...)`` gets
``?v=<content hash>``, and a file requested with its current hash is served as cacheable for a year
(``immutable``). On a high-latency link this saves the two conditional requests (304 round trips) per
page that ``no-cache`` costs; a changed file gets a new URL, so nobody keeps a stale copy.

Without ``v`` (or with an outdated one) the file is served as before: the browser revalidates.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from flask import Flask, request

LONG_CACHE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def _static_folder(app: Flask, endpoint: str) -> str | None:
    if endpoint == "static":
        return app.static_folder
    bp_name, _sep, last = endpoint.rpartition(".")
    if last != "static" or not bp_name:
        return None
    bp = app.blueprints.get(bp_name)
    return bp.static_folder if bp is not None else None


@lru_cache(maxsize=1024)
def _hash(path: str, mtime_ns: int, size: int) -> str:
    # Keyed by modification time and size: computed once per version of a file, recomputed when a
    # developer edits it.
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()[:12]


def file_version(folder: str | None, filename: str) -> str | None:
    """The content hash of ``filename`` under ``folder``; ``None`` when it is not a file there."""
    if not folder or not filename:
        return None
    root = Path(folder).resolve()
    path = (root / filename).resolve()
    if not path.is_relative_to(root):
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return _hash(str(path), st.st_mtime_ns, st.st_size)


def init_app(app: Flask) -> None:
    @app.url_defaults
    def _add_version(endpoint: str, values: dict) -> None:
        if "filename" not in values or "v" in values:
            return
        if endpoint != "static" and not endpoint.endswith(".static"):
            return
        version = file_version(_static_folder(app, endpoint), values["filename"])
        if version:
            values["v"] = version

    @app.after_request
    def _cache_headers(response):
        endpoint = request.endpoint or ""
        if endpoint != "static" and not endpoint.endswith(".static"):
            return response
        if response.status_code not in (200, 206, 304):
            return response
        given = request.args.get("v")
        filename = (request.view_args or {}).get("filename", "")
        if given and given == file_version(_static_folder(app, endpoint), filename):
            response.headers["Cache-Control"] = LONG_CACHE
        else:
            response.headers["Cache-Control"] = REVALIDATE
        return response
