"""The /buddies view models: tab counts, finder rows and the filter form as submitted."""

from __future__ import annotations

from datetime import UTC, datetime

from citypulse.services.social.buddies import buddy_accept, buddy_cancel
from citypulse.services.social.finder import FinderRow
from citypulse.services.social.lists import BuddyCounts, BuddyRow
from citypulse.state.social.buddies import _counted, _filters_from
from citypulse.state.social.views import buddy_row_views, finder_row_views, tab_views


def finder_row(**changes: object) -> FinderRow:
    values: dict[str, object] = dict(
        user_id=7, username="bea", full_name="", avatar_url="", city="Lisbon, Portugal",
        travel_styles=("mid_range", "solo"), interests=("Cafe", "Nature"), mutual_count=0,
        requests_enabled=True, limited=False,
    )  # fmt: skip
    return FinderRow(**{**values, **changes})  # type: ignore[arg-type]


def test_tabs_carry_counts_and_the_current_tab() -> None:
    tabs = tab_views(BuddyCounts(buddies=3, requests=1, sent=0, blocked=2), "sent", "")
    assert [(t.key, t.count, t.is_current) for t in tabs] == [
        ("buddies", "3", False), ("requests", "1", False), ("sent", "0", True),
        ("find", "", False), ("blocked", "2", False),
    ]  # fmt: skip
    assert tabs[1].href == "/buddies?tab=requests"
    assert tab_views(BuddyCounts(0, 0, 0, 0), "find", "20+")[3].count == "20+"


def test_finder_rows_say_what_a_public_profile_shows() -> None:
    row = finder_row_views([finder_row(mutual_count=2)])[0]
    assert row.details == "Lisbon, Portugal · Mid-range, Solo · Interests: Cafe, Nature"
    assert (row.mutual, row.initial, row.href) == ("2 mutual buddies", "B", "/profile/bea")
    limited = finder_row(city="", travel_styles=(), interests=(), mutual_count=1, limited=True)
    assert (finder_row_views([limited])[0].details, finder_row_views([limited])[0].mutual) == (
        "",
        "1 mutual buddy",
    )


def test_buddy_rows_carry_the_message_and_the_moment() -> None:
    at = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
    row = BuddyRow(user_id=4, username="a b", full_name="Al", avatar_url="", message="Hi", at=at)
    view = buddy_row_views([row])[0]
    assert (view.href, view.message, view.when_iso) == (
        "/profile/a%20b",
        "Hi",
        "2026-12-06T09:30:00+00:00",
    )


def test_the_filter_form_keeps_only_category_ids_it_can_parse() -> None:
    filters = _filters_from(
        {"text": " ana ", "city": " Porto ", "interest-3": "on", "interest-x": "on",
         "interest-²": "on", "interest-9": "off", "interest-12": True, "suggested": "on",
         "travel_style": "solo", "activity_level": "high"}
    )  # fmt: skip
    assert filters.interest_ids == ("3", "12")
    assert (filters.text, filters.city, filters.suggested) == (" ana ", "Porto", True)
    assert (filters.travel_style, filters.activity_level) == ("solo", "high")
    assert _filters_from({}).suggested is False


def test_counts_follow_an_action_without_going_negative() -> None:
    counts = BuddyCounts(buddies=0, requests=1, sent=0, blocked=0)
    assert _counted(counts, buddy_accept) == BuddyCounts(1, 0, 0, 0)
    assert _counted(counts, buddy_cancel) == counts  # sent stays at 0
