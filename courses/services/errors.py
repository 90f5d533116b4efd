"""Exceptions raised by the courses services. Each carries a user-readable (translated) message that the
view shows; none of them leaves anything half-written (the view rolls back)."""

from __future__ import annotations


class CourseError(Exception):
    """A refused action, with a message for the user."""

    def __init__(self, message, *, errors=None):
        super().__init__(str(message))
        self.message = message
        self.errors = list(errors or [])

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(CourseError):
    """The user may not do this (the view answers 403)."""


class BadSubmission(CourseError):
    """A tampered, replayed or cross-attempt quiz submission (the view answers 400)."""


class PackageError(CourseError):
    """An invalid course or xAPI package; ``errors`` lists ``(file, line, reason)`` tuples."""
