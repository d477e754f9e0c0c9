"""Opaque keyset cursors for newest-first lists ordered by `(created_at, id)` (§4.14)."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime


def encode_cursor(at: datetime, row_id: int) -> str:
    """A URL-safe cursor for the position `(at, row_id)`: base64 of "at|id"."""
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{row_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """The position in `cursor`; None for no cursor or an invalid one (the list restarts)."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at_text, id_text = raw.split("|")
        at, row_id = datetime.fromisoformat(at_text), int(id_text)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return None
    return (at, row_id) if at.tzinfo is not None else None
