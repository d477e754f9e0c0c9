"""Parsing the trips forms' values (dates, times, money, text) into field errors.

Crafted events may send anything: every parser takes any object and returns the value
or an error message fit to show under the field, never raises.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal, InvalidOperation

from sqlalchemy import func

from citypulse.services.display_text import free_text_problem, spoofing_problem
from citypulse.services.recommendations.forms import (
    COORDINATES_PAIR_ERROR,
    LATITUDE_ERROR,
    LONGITUDE_ERROR,
    as_id,
    parse_coordinate,
    squash,
)

DATE_FORMAT_ERROR = "Enter a date like 2026-06-10"
TIME_FORMAT_ERROR = "Enter a time like 09:30"
LATITUDE_NUMBER = "Latitude must be a number, like 43.6426"
LONGITUDE_NUMBER = "Longitude must be a number, like -79.3871"

__all__ = ["as_id", "squash"]


def date_label(day: date) -> str:
    """How dates read in messages and pages: "10 Jun 2026"."""
    return f"{day.day} {day:%b %Y}"


def range_label(start: date, end: date) -> str:
    """ "10 Jun 2026 – 14 Jun 2026"."""
    return f"{date_label(start)} – {date_label(end)}"


def dates_label(start: date | None, end: date | None) -> str:
    """A trip's dates, or "Dates not set" until both are."""
    return range_label(start, end) if start and end else "Dates not set"


def parse_date(raw: object) -> tuple[date | None, str | None]:
    """A date from "YYYY-MM-DD" (a date input's value); None for empty."""
    if isinstance(raw, date):
        return raw, None
    text = squash(raw)
    if not text:
        return None, None
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return None, DATE_FORMAT_ERROR


def parse_time(raw: object) -> tuple[time | None, str | None]:
    """A time from "HH:MM" (a time input's value); None for empty."""
    if isinstance(raw, time):
        return raw, None
    text = squash(raw)
    if not text:
        return None, None
    try:
        value = time.fromisoformat(text)
    except ValueError:
        return None, TIME_FORMAT_ERROR
    return value.replace(second=0, microsecond=0, tzinfo=None), None


def parse_amount(raw: object, maximum: int, error: str) -> tuple[Decimal | None, str | None]:
    """A non-negative amount with at most 2 decimals up to `maximum`; None for empty."""
    text = squash(raw).replace(",", "")
    if not text:
        return None, None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, error
    if not value.is_finite() or value < 0 or value > maximum or value != round(value, 2):
        return None, error
    return value, None


def parse_whole(raw: object, low: int, high: int) -> int | None:
    """A whole number within [low, high], else None (bools and floats are refused)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = squash(raw)
        if not text.isdigit() or len(text) > 6:
            return None
        value = int(text)
    return value if low <= value <= high else None


def parse_coordinates(
    latitude: object, longitude: object, errors: dict
) -> tuple[float | None, float | None]:
    """Latitude (−90…90) and longitude (−180…180), both or neither (blank: None);
    records the errors under "latitude" / "longitude" (ranges as a place's form says)."""
    lat, lat_ok = parse_coordinate(_coordinate_text(latitude), 90)
    lng, lng_ok = parse_coordinate(_coordinate_text(longitude), 180)
    if not lat_ok:
        errors["latitude"] = LATITUDE_ERROR if lat is not None else LATITUDE_NUMBER
    if not lng_ok:
        errors["longitude"] = LONGITUDE_ERROR if lng is not None else LONGITUDE_NUMBER
    if lat_ok and lng_ok and (lat is None) != (lng is None):
        errors["longitude" if lng is None else "latitude"] = COORDINATES_PAIR_ERROR
    if not (lat_ok and lng_ok) or (lat is None) != (lng is None):
        return None, None
    return lat, lng


def _coordinate_text(raw: object) -> str | float | None:
    if isinstance(raw, bool):
        return "not a number"
    return raw if raw is None or isinstance(raw, int | float) else squash(raw)


def name_text(label: str, raw: object, low: int, high: int, errors: dict, field: str) -> str:
    """A title-like text (squashed); records `field`'s error when out of bounds or spoofed."""
    text = squash(raw)
    if not low <= len(text) <= high:
        errors[field] = f"{label} must be {low}–{high} characters"
    elif problem := spoofing_problem(label, text):
        errors[field] = problem
    return text


def free_text(label: str, raw: object, high: int, errors: dict, field: str) -> str | None:
    """Optional free text (trimmed, line breaks kept); None when empty."""
    text = ("" if raw is None else str(raw)).strip()
    if len(text) > high:
        errors[field] = f"{label} must be at most {high} characters"
    elif problem := free_text_problem(label, text):
        errors[field] = problem
    return text or None


def new_version(row: object) -> None:
    """Stamp an edited row's `updated_at` (its version for conflict checks) with the
    clock, not the transaction start: two edits always get different versions."""
    row.updated_at = func.clock_timestamp()  # type: ignore[attr-defined]
