"""The exceptions account services raise; ``str(exc)`` is a translated message for the user."""

from __future__ import annotations


class AccountError(Exception):
    """Input refused by an account service; ``str(exc)`` is the translated reason. ``field`` names the
    form field the reason belongs to, when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class UnconfirmedAccount(AccountError):
    """The password was right but the e-mail address is not confirmed yet."""
