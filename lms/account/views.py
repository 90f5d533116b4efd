"""Accounts: register, confirm, sign in/out, password reset, profile, data export, deletion request."""

from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/login", methods=["GET", "POST"])
def login():
    return "TODO"


@bp.route("/register", methods=["GET", "POST"])
def register():
    return "TODO"


@bp.post("/logout")
def logout():
    return "TODO"


@bp.get("/profile")
def profile():
    return "TODO"
