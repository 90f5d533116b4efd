from flask import Blueprint, render_template

bp = Blueprint("courses", __name__, template_folder="templates")


@bp.get("/")
def catalogue():
    return render_template("courses/catalogue.html")


@bp.get("/kits")
def kits():
    return render_template("courses/catalogue.html")
