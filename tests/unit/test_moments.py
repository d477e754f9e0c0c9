"""Moments handed to the browser are unambiguous ISO 8601 in UTC (issue 15 item 8)."""

from datetime import UTC, datetime, timedelta, timezone

from citypulse.state.moments import moment_iso


def test_moments_are_iso_in_utc() -> None:
    lisbon_summer = timezone(timedelta(hours=1))
    assert moment_iso(datetime(2026, 7, 1, 15, 30, tzinfo=lisbon_summer)) == (
        "2026-07-01T14:30:00+00:00"
    )
    assert moment_iso(datetime(2026, 12, 6, 14, 5, 59, 999, tzinfo=UTC)) == (
        "2026-12-06T14:05:59+00:00"
    )


def test_naive_moments_are_utc_and_none_is_empty() -> None:
    assert moment_iso(datetime(2026, 12, 6, 14, 5)) == "2026-12-06T14:05:00+00:00"
    assert moment_iso(None) == ""
