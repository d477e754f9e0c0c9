"""Feed trip cards and travellers → view models (the only place that writes their text)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from citypulse.services.feed.pages import FeedItem
from citypulse.services.feed.trips import TripFeedCard, as_item, trip_of
from citypulse.services.trips.travellers import Traveller
from citypulse.state.feed.views import feed_card_views
from citypulse.state.trips.travellers import traveller_view


def test_trip_card_view_texts() -> None:
    trip = TripFeedCard(
        id=7, title="Iberia", cover_url="", owner_username="bob", owner_full_name="Bob Silva",
        start_date=date(2026, 5, 1), end_date=date(2026, 5, 5), status="planning",
        cities=("Lisbon", "Porto", "Faro"), more_cities=2, companions=1,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )  # fmt: skip
    (view,) = feed_card_views([FeedItem(None, False, False, trip=trip)])
    assert (view.kind, view.id, view.href, view.status) == ("trip", 7, "/trips/7", "Planning")
    assert view.dates == "1 May – 5 May 2026"
    assert view.cities == "Lisbon, Porto, Faro +2 more" and view.companions == "1 companion"
    assert view.author_username == "bob" and view.share_url == ""


def test_trip_entries_in_a_session_are_negated_ids() -> None:
    assert as_item(12) == -12 and trip_of(-12) == 12 and trip_of(12) is None


def test_traveller_view() -> None:
    row = Traveller(user_id=3, username="carol", full_name="Carol Reis", avatar_url="",
                    is_buddy=True, trip_id=9, trip_title="Lisbon", start_date=date(2026, 5, 1),
                    end_date=date(2027, 1, 2))  # fmt: skip
    view = traveller_view(row)
    assert (view.href, view.trip_href, view.initial) == ("/profile/carol", "/trips/9", "C")
    assert view.dates == "1 May 2026 – 2 Jan 2027" and view.is_buddy
