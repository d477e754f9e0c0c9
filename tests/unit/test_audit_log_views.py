"""The audit log's day groups (/moderator/actions): UTC days, pages joined, live additions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from citypulse.services.moderation.audit import AuditEntry
from citypulse.state.moderation.views import audit_day_views, merge_days, with_newer

DAY = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)


def entries(*pairs: tuple[int, datetime]) -> tuple[AuditEntry, ...]:
    return tuple(
        AuditEntry(ident, when, "mod", "content_removal", "recommendation", 7, "alice",
                   "Spam everywhere", "")
        for ident, when in pairs
    )  # fmt: skip


def ids(days) -> list[list[int]]:
    return [[row.action_id for row in day.rows] for day in days]


def test_days_are_utc_days_and_say_so() -> None:
    # 23:30 UTC is already the next day in Lisbon's summer or in Tokyo: grouping is UTC.
    days = audit_day_views(entries((2, DAY), (1, DAY - timedelta(days=1))))
    assert [d.day for d in days] == ["Sunday 06 December 2026 (UTC)",
                                      "Saturday 05 December 2026 (UTC)"]  # fmt: skip


def test_new_entries_join_the_shown_pages_without_repeats() -> None:
    shown = merge_days(
        audit_day_views(entries((5, DAY), (4, DAY - timedelta(hours=1)))),
        audit_day_views(entries((3, DAY - timedelta(days=1)))),  # a second page was loaded
    )
    later = DAY + timedelta(minutes=1)
    fresh = audit_day_views(
        entries(
            (7, later + timedelta(minutes=1)), (6, later), (5, DAY), (4, DAY - timedelta(hours=1))
        )
    )
    joined = with_newer(shown, fresh)
    assert joined is not None
    assert ids(joined) == [[7, 6, 5, 4], [3]]
    assert with_newer(joined, fresh) == joined  # nothing new: unchanged


def test_more_new_entries_than_a_page_start_again() -> None:
    shown = audit_day_views(entries((1, DAY)))
    fresh = audit_day_views(entries((60, DAY + timedelta(minutes=1))))
    assert with_newer(shown, fresh) is None
    assert with_newer([], fresh) is None  # nothing shown yet: the page takes the new page
