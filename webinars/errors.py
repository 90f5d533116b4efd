"""webinars: the exception every service raises when it refuses input."""

from __future__ import annotations


class WebinarError(Exception):
    """Input refused; ``str(exc)`` is a translated, user-readable reason. ``details`` lists further
    reasons (e.g. one per bad CSV row or caption line). ``field`` names the input the reason is about
    (e.g. ``"answer"``), so a page can show it at that field; ``None`` when it concerns the whole form."""

    def __init__(self, message: str, details: list[str] | None = None, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.details = [str(d) for d in (details or [])]
        self.field = field

    def __str__(self) -> str:
        return self.message
