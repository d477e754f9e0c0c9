"""Typed service errors. Messages are written to be shown to the user as they are."""

from __future__ import annotations

import math


class ServiceError(Exception):
    """Base class: `message` is safe to display."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """The target does not exist or is hidden from the actor (shown as 404)."""

    def __init__(self, message: str = "Not found") -> None:
        super().__init__(message)


class PermissionDenied(ServiceError):
    """The actor may not do this."""

    def __init__(self, message: str = "You are not allowed to do that") -> None:
        super().__init__(message)


class ValidationFailed(ServiceError):
    """Input is invalid; `field_errors` maps form field names to messages."""

    def __init__(self, field_errors: dict[str, str], message: str = "") -> None:
        super().__init__(message or next(iter(field_errors.values()), "Invalid input"))
        self.field_errors = field_errors


class Conflict(ServiceError):
    """The change clashes with existing data (duplicates, wrong state)."""


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"


def wait_phrase(seconds: float) -> str:
    """How long someone must wait, in words, rounded up: "1 minute", "24 hours", "3 days".

    Minutes below two hours, hours below two days, days beyond.
    """
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 120:
        return _count(minutes, "minute")
    hours = math.ceil(minutes / 60)
    if hours < 48:
        return _count(hours, "hour")
    return _count(math.ceil(hours / 24), "day")


class RateLimited(ServiceError):
    """Too many attempts; retry after `retry_after_seconds`."""

    def __init__(self, retry_after_seconds: float, message: str | None = None) -> None:
        minutes = max(1, math.ceil(retry_after_seconds / 60))
        wait = wait_phrase(retry_after_seconds)
        super().__init__(message or f"Too many requests, try again in {wait}")
        self.retry_after_seconds = retry_after_seconds
        self.retry_after_minutes = minutes
