from flask import Blueprint, render_template

bp = Blueprint("webinars", __name__, template_folder="templates")


@bp.get("/")
def archive():
    return render_template("webinars/archive.html")
