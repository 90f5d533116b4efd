"""webinars: the exception every service raises when it refuses input."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


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


class Problems:
    """Collects every refusal of one form's input, so a service reports them together before writing
    anything: ``check(field, fn, ...)`` runs one check and notes its refusal at ``field``;
    ``raise_any()`` raises one :class:`WebinarError` carrying all of them."""

    def __init__(self) -> None:
        self.items: list[tuple[str | None, str]] = []

    def add(self, field: str | None, message: str) -> None:
        self.items.append((field, str(message)))

    def check(self, field: str | None, fn: Callable[..., T], *args, **kwargs) -> T | None:
        """``fn(*args, **kwargs)``, or ``None`` with its refusal noted at ``field``."""
        try:
            return fn(*args, **kwargs)
        except WebinarError as exc:
            for named, message in exc.problems:
                self.add(named or field, message)
            return None

    def raise_any(self) -> None:
        if self.items:
            field, message = self.items[0]
            raise WebinarError(message, field=field, problems=self.items)
