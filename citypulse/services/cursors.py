"""Keyset pagination for every newest-first list ordered by `(created_at, id)` (§4.14).

A list query orders by `created_at DESC, id DESC`, filters with `keyset_before(...)` and
fetches one row more than a page; `keyset_page(...)` then cuts the page and makes the
opaque cursor of the next one. OFFSET is never used (it degrades with depth).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, tuple_

T = TypeVar("T")
# Before every real row: the first page filters with the same condition as later ones.
START: tuple[datetime, int] = (datetime.max.replace(tzinfo=UTC), 0)


def encode_cursor(at: datetime, row_id: int) -> str:
    """A URL-safe cursor for the position `(at, row_id)`: base64 of "at|id"."""
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{row_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """The position in `cursor`; None for no cursor or an invalid one (the list restarts).

    Only a cursor `encode_cursor` made is valid: the decoder skips characters outside the
    alphabet ("<cursor>!" decoded as "<cursor>" whenever its length made the padding fit),
    and `int`/`fromisoformat` accept other spellings, so the position must encode back to
    exactly `cursor`.
    """
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at_text, id_text = raw.split("|")
        at, row_id = datetime.fromisoformat(at_text), int(id_text)
    except (ValueError, UnicodeDecodeError, binascii.Error, OverflowError):
        return None
    if at.tzinfo is None or encode_cursor(at, row_id) != cursor:
        return None
    return at, row_id


def keyset_position(cursor: str | None) -> tuple[datetime, int]:
    """Where the page after `cursor` starts (`START` for none or an invalid one)."""
    return decode_cursor(cursor) or START


def keyset_before(created_at: Any, row_id: Any, position: tuple[Any, Any]) -> ColumnElement[bool]:
    """SQL: the row comes after `position` in newest-first order.

    `position` holds values (from `keyset_position`) or bind parameters (prepared
    statements); either way an index on `(..., created_at, id)` serves it.
    """
    return tuple_(created_at, row_id) < tuple_(*position)


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    """One page of a newest-first list; `next_cursor` is None on the last page."""

    items: list[T]
    next_cursor: str | None


def keyset_page(
    rows: Sequence[Any],
    size: int,
    *,
    item: Callable[[Any], T] = lambda row: row,
    position: Callable[[Any], tuple[datetime, int]] = lambda row: (row.created_at, row.id),
) -> KeysetPage[T]:
    """Cut `rows` (fetched with LIMIT size + 1) to a page of `item(row)` and its next cursor."""
    items = [item(row) for row in rows[:size]]
    if len(rows) <= size:
        return KeysetPage(items, None)
    return KeysetPage(items, encode_cursor(*position(rows[size - 1])))
