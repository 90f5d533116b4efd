"""Reporting every problem of a form's input at once: a service checks each field, collects what it
refuses with a :class:`Problems` collector and raises once, before writing anything, so that the person
filling in the form corrects everything in one go instead of one mistake per round trip.

A plugin subclasses :class:`Problems` for its own exception type: ``refusal`` (the exception ``check``
catches), ``problems_of(exc)`` (the ``(field, message)`` pairs a refusal carries) and ``error(items)``
(the exception that carries them all)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

T = TypeVar("T")


class Problems:
    """``check(field, fn, ...)`` runs one check and notes its refusal at ``field`` (unless the refusal
    names its own); ``add(field, message)`` notes one directly; ``raise_any()`` raises one error with
    every problem noted, in the order found (nothing when there is none)."""

    refusal: ClassVar[type[Exception]] = Exception

    def __init__(self) -> None:
        self.items: list[tuple[str | None, object]] = []

    @staticmethod
    def problems_of(exc: Exception) -> list[tuple[str | None, object]]:
        raise NotImplementedError

    @staticmethod
    def error(items: list[tuple[str | None, object]]) -> Exception:
        raise NotImplementedError

    def add(self, field: str | None, message) -> None:
        self.items.append((field, message))

    def check(self, field: str | None, fn: Callable[..., T], *args, **kwargs) -> T | None:
        """``fn(*args, **kwargs)``, or ``None`` with its refusal noted."""
        try:
            return fn(*args, **kwargs)
        except self.refusal as exc:
            for named, message in self.problems_of(exc):
                self.add(named or field, message)
            return None

    def raise_any(self) -> None:
        if self.items:
            raise self.error(self.items)
