"""Workshop kits (tier 3, issue 6): a placeholder list until kits are built."""

from flask import render_template

from courses.views import bp


@bp.get("/kits")
def kits():
    return render_template("courses/kits.html")
