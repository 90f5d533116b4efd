"""courses: authoring views."""

from courses.views import bp  # noqa: F401


@bp.get("/manage/")
def manage():
    return "TODO"


@bp.get("/manage/<slug>")
def edit_course(slug):
    return "TODO"


@bp.get("/manage/<slug>/preview/<item_slug>")
def preview(slug, item_slug):
    return "TODO"
