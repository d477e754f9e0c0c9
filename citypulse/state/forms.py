"""Form input: field errors as typed view models (one dataclass per form, one `str` field
per input) and what an input sent, as text."""

from __future__ import annotations

from dataclasses import fields
from typing import TypeVar

Errors = TypeVar("Errors")


def errors_of(cls: type[Errors], field_errors: dict[str, str]) -> Errors:
    """The errors dataclass `cls` filled from a service's `field_errors`.

    Keys that are not fields of `cls` are dropped: the page has no place to show them.
    """
    names = {field.name for field in fields(cls)}  # type: ignore[arg-type]
    return cls(**{key: str(value) for key, value in field_errors.items() if key in names})


def typed(value: object) -> str:
    """What an input sent, as text: any client may send a number, null or a list instead
    (ARCHITECTURE.md invariant 1), which counts as nothing typed."""
    return value if isinstance(value, str) else ""
