from flask import Blueprint, render_template

bp = Blueprint("analytics", __name__, template_folder="templates")


@bp.get("/open-data")
def open_data():
    return render_template("analytics/open_data.html")
