"""webinars: the exception every service raises when it refuses input."""

from __future__ import annotations

from lms import problems


class WebinarError(Exception):
    """Input refused; ``str(exc)`` is a translated, user-readable reason. ``details`` lists further
    reasons (e.g. one per bad CSV row or caption line). ``field`` names the input the reason is about
    (e.g. ``"answer"``), so a page can show it at that field; ``None`` when it concerns the whole form.
    ``problems`` lists every ``(field, reason)`` of a refused form at once (the first one is also
    ``field`` and ``str(exc)``); a refusal about one thing has that one pair."""

    def __init__(
        self,
        message: str,
        details: list[str] | None = None,
        field: str | None = None,
        problems: list[tuple[str | None, str]] | None = None,
    ):
        super().__init__(str(message))
        self.message = str(message)
        self.details = [str(d) for d in (details or [])]
        self.field = field
        self.problems = [(f, str(m)) for f, m in problems] if problems else [(field, self.message)]

    def __str__(self) -> str:
        return self.message


class Problems(problems.Problems):
    """Every refusal of one form's input (see :mod:`lms.problems`), raised as one :class:`WebinarError`."""

    refusal = WebinarError

    @staticmethod
    def problems_of(exc: WebinarError) -> list[tuple[str | None, str]]:
        return exc.problems

    @staticmethod
    def error(items) -> WebinarError:
        field, message = items[0]
        return WebinarError(message, field=field, problems=items)
