"""courses: translate views."""

from courses.views import bp  # noqa: F401
