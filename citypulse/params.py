"""Ids and query values from routes and clients, parsed once (ARCHITECTURE.md invariant 9).

Anything that is not plain ASCII digits in the range of an `integer` primary key is
"no such thing" (the caller shows the 404 page or a field error), never a 500.
"""

from __future__ import annotations

INT32_MAX = 2_147_483_647  # primary keys are PostgreSQL `integer` columns


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
