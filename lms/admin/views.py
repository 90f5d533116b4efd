"""Administration: users, roles, countries, deletion requests, LRS clients and forwarding."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
def index():
    return "TODO"
