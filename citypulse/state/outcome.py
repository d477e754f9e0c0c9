"""What one user action gave its handler: a value, a user-facing error, or "signed out".

Handlers map an `Outcome` to the page: field errors next to inputs, a toast, or the
login redirect (`Outcome.event` gives the default follow-up for anything that failed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import reflex as rx

from citypulse.services.errors import ServiceError, ValidationFailed

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """The result of `SessionState._call` / `_load`."""

    value: T | None = None
    error: ServiceError | None = None
    redirect: Any = None  # the login redirect when the action needs a viewer and has none
    field_errors: dict[str, str] = field(default_factory=dict)
    renewing: bool = False  # the socket is reconnecting with fresher credentials: no-op

    @property
    def ok(self) -> bool:
        """True when the action ran and committed."""
        return self.error is None and self.redirect is None and not self.renewing

    @property
    def signed_out(self) -> bool:
        """True when the action needed a signed-in viewer and there was none."""
        return self.redirect is not None

    @property
    def message(self) -> str:
        """The service's message, fit to show the user ("" when it worked)."""
        return self.error.message if self.error is not None else ""

    @property
    def event(self) -> Any:
        """Default follow-up: the login redirect, an error toast, or nothing."""
        if self.redirect is not None:
            return self.redirect
        if self.error is not None:
            return rx.toast.error(self.message)
        return None

    @classmethod
    def failed(cls, error: ServiceError) -> Outcome[T]:
        """The action was refused with `error` (its transaction rolled back)."""
        fields = error.field_errors if isinstance(error, ValidationFailed) else {}
        return cls(error=error, field_errors=dict(fields))
