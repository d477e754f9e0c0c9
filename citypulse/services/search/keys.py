"""Keyset cursors for search lists whose order is a tuple of sort keys, then id (§4.14).

Search orders are written "descending" (ascending numeric keys are negated), so one row
comparison `(k1, …, id) < (c1, …, cid)` continues any of them (the cities directory is
the one ascending order, by name), and the cursor is the last
row's keys. An invalid cursor restarts from the first page.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, tuple_


def encode_keys(keys: Sequence[float | str], row_id: int) -> str:
    raw = json.dumps([*keys, row_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_keys(cursor: str | None, count: int, kinds: tuple[type, ...]) -> list[Any] | None:
    """The `count` keys and id in `cursor`, each of its expected type; None when invalid."""
    if not cursor:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return None
    if not isinstance(values, list) or len(values) != count + 1:
        return None
    *keys, row_id = values
    if not isinstance(row_id, int) or isinstance(row_id, bool):
        return None
    for value, kind in zip(keys, kinds, strict=True):
        if kind is float and not (isinstance(value, int | float) and math.isfinite(value)):
            return None
        if kind is str and not isinstance(value, str):
            return None
    return values


def after(
    columns: Sequence[Any], cursor_values: list[Any] | None, *, descending: bool = True
) -> ColumnElement[bool] | None:
    """SQL: the row comes after the cursor in the order of `columns` (None: first page)."""
    if cursor_values is None:
        return None
    if descending:
        return tuple_(*columns) < tuple_(*cursor_values)
    return tuple_(*columns) > tuple_(*cursor_values)
