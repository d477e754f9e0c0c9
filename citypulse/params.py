"""Ids and query values from routes and clients, parsed once (ARCHITECTURE.md invariant 9).

Anything that is not plain ASCII digits in the range of an `integer` primary key is
"no such thing" (the caller shows the 404 page or a field error), never a 500. Text
from a route, a query string or a client (names, search words) is refused when it is
not a string, is longer than the caller allows, or holds control characters: PostgreSQL
cannot store or compare NUL, and no name or search term contains the others.
"""

from __future__ import annotations

import re

INT32_MAX = 2_147_483_647  # primary keys are PostgreSQL `integer` columns
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def parse_id(raw: object, *, maximum: int = INT32_MAX) -> int | None:
    """The positive id in `raw` (str or int), or None when it cannot be one.

    Unicode digits ("²", "٣"), signs, spaces, NUL and values beyond the column's range
    are refused.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw) if raw is not None else ""
        if not text or len(text) > len(str(maximum)) or not (text.isascii() and text.isdigit()):
            return None
        value = int(text)
    return value if 1 <= value <= maximum else None


def parse_text(raw: object, *, max_length: int) -> str | None:
    """`raw` when it is a string of at most `max_length` characters without control
    characters (NUL, line breaks, ...), else None (the caller's 404 or field error)."""
    if not isinstance(raw, str) or len(raw) > max_length or _CONTROL.search(raw):
        return None
    return raw
