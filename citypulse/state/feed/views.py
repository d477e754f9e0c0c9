"""Typed view models of the dashboard: feed cards, chips, panels (mapped from services)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from citypulse.services.feed.pages import FeedItem
from citypulse.services.feed.panels import DashboardPanels
from citypulse.services.feed.trips import TripFeedCard
from citypulse.services.interactions.core import InteractionState
from citypulse.settings import get_settings
from citypulse.state.trips.people_views import date_range

TAB_LABELS = (("for_you", "For You"), ("buddies", "Buddies"), ("trending", "Trending"))


@dataclass(frozen=True)
class FeedCardView:
    """One card of the feed: a recommendation with the viewer's own like and save, or a
    trip (`kind` "trip": cover, title, dates, cities, companions, status)."""

    kind: str = "recommendation"  # ids of the two kinds may be equal: check `kind`
    id: int = 0
    title: str = ""
    category: str = ""
    city: str = ""
    author_name: str = ""
    author_username: str = ""
    thumb: str = ""
    rating: str = ""
    ratings_count: int = 0
    likes: int = 0
    saves: int = 0
    liked: bool = False
    saved: bool = False
    share_url: str = ""
    href: str = ""
    dates: str = ""
    cities: str = ""
    companions: str = ""
    status: str = ""


@dataclass(frozen=True)
class ChipView:
    id: int = 0
    name: str = ""


@dataclass(frozen=True)
class TabView:
    key: str = ""
    label: str = ""


@dataclass(frozen=True)
class PanelsView:
    """Your stats and the banners (all zero until loaded)."""

    recommendations: int = 0
    cities: int = 0
    buddies: int = 0
    likes_received: int = 0
    views: int = 0
    completion_percent: int = 0
    show_completion: bool = False
    pick_interests: bool = False


TRIP_STATUS = {"planning": "Planning", "active": "Active", "completed": "Completed"}


def trip_card_view(trip: TripFeedCard) -> FeedCardView:
    cities = ", ".join(trip.cities) or "No cities yet"
    if trip.more_cities:
        cities += f" +{trip.more_cities} more"
    count = trip.companions
    return FeedCardView(
        kind="trip",
        id=trip.id,
        title=trip.title,
        author_name=trip.owner_full_name,
        author_username=trip.owner_username,
        thumb=trip.cover_url,
        href=f"/trips/{trip.id}",
        dates=date_range(trip.start_date, trip.end_date),
        cities=cities,
        companions=f"{count} companion" + ("" if count == 1 else "s"),
        status=TRIP_STATUS.get(trip.status, trip.status.title()),
    )


def feed_card_views(items: Iterable[FeedItem]) -> list[FeedCardView]:
    base = get_settings().public_url
    return [
        trip_card_view(item.trip)
        if item.card is None and item.trip is not None
        else FeedCardView(
            href=f"/recommendations/{item.card.id}",
            id=item.card.id,
            title=item.card.title,
            category=item.card.category_name,
            city=item.card.city.label if item.card.city is not None else "",
            author_name=item.card.author_full_name,
            author_username=item.card.author_username,
            thumb=item.card.thumb_url,
            rating=item.card.rating_avg,
            ratings_count=item.card.ratings_count,
            likes=item.card.likes_count,
            saves=item.card.saves_count,
            liked=item.liked,
            saved=item.saved,
            share_url=f"{base}/recommendations/{item.card.id}",
        )
        for item in items
    ]


def with_interaction(cards: list[FeedCardView], state: InteractionState) -> list[FeedCardView]:
    """The cards with one card's like, save and counters as the service returned them."""
    return [
        replace(card, liked=state.liked, saved=state.saved, likes=state.likes, saves=state.saves)
        if card.kind == "recommendation" and card.id == state.recommendation_id
        else card
        for card in cards
    ]


def panels_view(panels: DashboardPanels | None) -> PanelsView:
    if panels is None:
        return PanelsView()
    return PanelsView(
        recommendations=panels.recommendations,
        cities=panels.cities,
        buddies=panels.buddies,
        likes_received=panels.likes_received,
        views=panels.views,
        completion_percent=panels.completion_percent,
        show_completion=panels.show_completion,
        pick_interests=not panels.has_interests,
    )


def chip_views(panels: DashboardPanels | None) -> list[ChipView]:
    return [] if panels is None else [ChipView(chip.id, chip.name) for chip in panels.chips]


def tab_views() -> list[TabView]:
    return [TabView(key, label) for key, label in TAB_LABELS]
