"""Localised error pages. The xAPI blueprint answers with its own JSON errors."""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from lms.db import db


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        # routing errors (404, 405) have no blueprint: the LRS's URL space answers in JSON too
        if request.blueprint == "xapi" or request.path.startswith("/xapi/"):
            from lms.xapi.errors import xapi_error_response

            return xapi_error_response(exc)
        if exc.code in (400, 403, 404, 405, 413, 429):
            return render_template("errors/error.html", error=exc), exc.code
        return exc

    @app.errorhandler(500)
    def _server_error(exc):
        db.session.rollback()
        return render_template("errors/error.html", error=None), 500
