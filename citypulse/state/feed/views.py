"""Typed view models of the dashboard: feed cards, chips, panels (mapped from services)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from citypulse.services.feed.pages import FeedItem
from citypulse.services.feed.panels import DashboardPanels
from citypulse.services.interactions.core import InteractionState
from citypulse.settings import get_settings

TAB_LABELS = (("for_you", "For You"), ("buddies", "Buddies"), ("trending", "Trending"))


@dataclass(frozen=True)
class FeedCardView:
    """One recommendation card of the feed, with the viewer's own like and save."""

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


def feed_card_views(items: Iterable[FeedItem]) -> list[FeedCardView]:
    base = get_settings().public_url
    return [
        FeedCardView(
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
        if card.id == state.recommendation_id
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
