from flask import Blueprint, render_template

bp = Blueprint("readiness", __name__, template_folder="templates")


@bp.get("/")
def index():
    return render_template("readiness/index.html")
