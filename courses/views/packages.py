"""courses: packages views."""

from courses.views import bp  # noqa: F401


@bp.get("/<slug>/offline.zip")
def offline(slug):
    return "TODO"
