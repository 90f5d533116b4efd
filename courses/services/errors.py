"""Exceptions raised by the courses services. Each carries a user-readable (translated) message that the
view shows; none of them leaves anything half-written (the view rolls back)."""

from __future__ import annotations

from lms import problems


class CourseError(Exception):
    """A refused action, with a message for the user."""

    def __init__(self, message, *, errors=None, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.errors = list(errors or [])
        self.field = field  # the form field the refusal is about, when there is one

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(CourseError):
    """The user may not do this (the view answers 403)."""


class BadSubmission(CourseError):
    """A tampered, replayed or cross-attempt quiz submission (the view answers 400)."""


class UnclearAnswer(BadSubmission):
    """An answer the learner can correct (a word where a number is asked, two steps in one place):
    nothing is recorded, no attempt is used, and the sheet is shown again with the reason.
    ``by_question`` maps question UUIDs to their reason."""

    def __init__(self, message, *, by_question=None):
        super().__init__(message)
        self.by_question = dict(by_question or {})


class SomeUnanswered(UnclearAnswer):
    """A sheet with some questions left unanswered (or only partly answered), sent without saying it
    is meant so: nothing is recorded and no attempt is used; the sheet is shown again with those
    questions named, and the learner submits it as it is (``unanswered=submit``) or answers them."""


class NothingAnswered(UnclearAnswer):
    """A sheet submitted with no question answered: there is nothing to grade, so nothing is recorded and
    no attempt is used (the view answers 400 with the sheet and the reason)."""


class NothingToPublish(CourseError):
    """The draft is the same as the version learners already see: publishing again would change nothing."""


class PackageError(CourseError):
    """An invalid course or xAPI package; ``errors`` lists ``(file, line, reason)`` tuples."""


class InvalidFields(CourseError):
    """A form's input refused for several reasons at once, all found before anything was written:
    ``problems`` lists ``(field, message)`` pairs (``field`` is ``None`` when a reason concerns the whole
    form); ``message`` and ``field`` are the first pair's and ``errors`` the other reasons, for callers
    that show a refusal without a form (a flash message, the command line)."""

    def __init__(self, problems):
        problems = [(field, message) for field, message in problems]
        others = [message for _field, message in problems[1:]]
        super().__init__(problems[0][1], field=problems[0][0], errors=others)
        self.problems = problems


def problems_of(exc: CourseError) -> list[tuple[str | None, object]]:
    """Every ``(field, message)`` of a refusal: those of :class:`InvalidFields`, else its one reason."""
    return list(getattr(exc, "problems", None) or [(exc.field, exc.message)])


class Problems(problems.Problems):
    """Every refusal of one form's input (see :mod:`lms.problems`), raised as one :class:`InvalidFields`."""

    refusal = CourseError

    @staticmethod
    def problems_of(exc: CourseError) -> list[tuple[str | None, object]]:
        return problems_of(exc)

    @staticmethod
    def error(items) -> InvalidFields:
        return InvalidFields(items)
