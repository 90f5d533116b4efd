"""courses: authoring_quiz views."""

from courses.views import bp  # noqa: F401
