"""Moments for the browser to word (`components.moment`): ISO 8601 with the UTC offset.

View models carry a moment twice: this for the browser, which shows it in the viewer's
own zone and language, and the server's UTC text (`accounts.views.format_moment`) shown
until the browser has done so.
"""

from __future__ import annotations

from datetime import UTC, datetime


def moment_iso(moment: datetime | None) -> str:
    """`moment` as ISO 8601 in UTC ("" for none); naive values are taken as UTC."""
    if moment is None:
        return ""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds")
