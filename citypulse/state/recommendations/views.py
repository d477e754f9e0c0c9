"""Recommendation read models → the typed view models the recommendation pages render.

Every var of the recommendation states that holds a record is one of these frozen
dataclasses (real booleans and numbers, no string-keyed dicts); the mappers below are
the only place that turns service read models into display text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from citypulse.services.interactions.ratings import RatingItem
from citypulse.services.recommendations.queries import (
    CityRef,
    RecommendationCard,
    RecommendationDetail,
    rating_display,
)
from citypulse.state.moments import moment_iso

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
VISIBILITY_LABELS = {"public": "Public", "friends_only": "Buddies only", "private": "Private"}
DATE_FORMAT = "%d %b %Y"


@dataclass(frozen=True)
class RecommendationView:
    """The detail page's facts; '' hides a fact the author left empty."""

    id: int = 0
    title: str = ""
    description: str = ""
    category: str = ""
    city: str = ""
    city_link: str = ""
    address: str = ""
    price: str = ""
    difficulty: str = ""
    best_months: str = ""
    best_time: str = ""
    duration: str = ""
    coordinates: str = ""
    map_url: str = ""
    author_username: str = ""
    author_name: str = ""
    author_avatar: str = ""
    visibility: str = ""
    is_removed: bool = False  # removed by a moderator (only its author still sees it)
    removed_reason: str = ""
    is_author: bool = False
    created: str = ""
    share_url: str = ""


@dataclass(frozen=True)
class PhotoSlide:
    """One photo of the carousel."""

    url: str = ""
    thumb: str = ""
    caption: str = ""
    width: int = 0
    height: int = 0
    srcset: str = ""  # every stored size ("<url> <w>w, ..."), smallest first


@dataclass(frozen=True)
class RatingRow:
    """One rating in the list, newest first."""

    rating_id: int = 0  # what a review report names (§4.13.1)
    username: str = ""
    name: str = ""
    rating: int = 0
    stars: str = ""  # "★★★☆☆"
    review: str = ""  # '' when there is none or a moderator removed it
    review_removed: bool = False
    when: str = ""  # the server's wording, until the browser words `when_iso`
    when_iso: str = ""
    is_own: bool = False


@dataclass(frozen=True)
class CountersView:
    """The public counters of one recommendation (live on the detail page)."""

    likes: int = 0
    saves: int = 0
    shares: int = 0
    views: int = 0
    ratings_count: int = 0
    rating_avg: float = 0.0
    rating_label: str = "0.0"  # the average as shown, one decimal


@dataclass(frozen=True)
class CardView:
    """A recommendation in a list (city page, profile)."""

    id: int = 0
    title: str = ""
    category: str = ""
    city: str = ""
    author: str = ""
    thumb: str = ""  # '' without photos
    price: str = ""
    rating: str = ""  # the average, one decimal
    ratings_count: int = 0
    likes: int = 0


class Counters(Protocol):
    """What counter sources share (the viewer's interaction state, the pushed event)."""

    likes: int
    saves: int
    shares: int
    views: int
    ratings_count: int
    rating_avg: float


def _city_label(city: CityRef | None) -> str:
    return city.label if city is not None else ""


def _map_url(latitude: str, longitude: str) -> str:
    if not latitude:
        return ""
    return (
        f"https://www.openstreetmap.org/?mlat={latitude}&mlon={longitude}"
        f"#map=16/{latitude}/{longitude}"
    )


def recommendation_view(detail: RecommendationDetail, share_url: str) -> RecommendationView:
    """The detail page's facts: only what this viewer may see."""
    return RecommendationView(
        id=detail.id,
        title=detail.title,
        description=detail.description,
        category=detail.category_name,
        city=_city_label(detail.city),
        city_link=f"/city/{detail.city.name}" if detail.city else "",
        address=detail.address,
        price=detail.price_display,
        difficulty=detail.difficulty.capitalize() if detail.difficulty else "",
        best_months=", ".join(MONTHS[m - 1] for m in detail.best_months),
        best_time=detail.best_time_text,
        duration=detail.duration_suggestion,
        coordinates=f"{detail.latitude}, {detail.longitude}" if detail.latitude else "",
        map_url=_map_url(detail.latitude, detail.longitude),
        author_username=detail.author.username,
        author_name=detail.author.full_name,
        author_avatar=detail.author.avatar_url,
        visibility=VISIBILITY_LABELS.get(detail.visibility, detail.visibility),
        is_removed=detail.status == "removed",
        removed_reason=detail.removed_reason or "",
        is_author=detail.is_author,
        created=detail.created_at.strftime(DATE_FORMAT),
        share_url=share_url,
    )


def photo_slides(detail: RecommendationDetail) -> list[PhotoSlide]:
    """The carousel, primary photo first; a photo without caption is named by the title."""
    return [
        PhotoSlide(p.image_url, p.thumb_url, p.caption or detail.title, p.width, p.height, p.srcset)
        for p in detail.photos
    ]


def rating_rows(items: Iterable[RatingItem]) -> list[RatingRow]:
    """The ratings list as the page shows it (removed review text is never sent)."""
    return [
        RatingRow(
            rating_id=item.rating_id,
            username=item.username,
            name=item.full_name,
            rating=item.rating,
            stars="★" * item.rating + "☆" * (5 - item.rating),
            review="" if item.review_removed else (item.review or ""),
            review_removed=item.review_removed,
            when=item.created_at.strftime(DATE_FORMAT),
            when_iso=moment_iso(item.created_at),
            is_own=item.is_own,
        )
        for item in items
    ]


def counters_view(source: Counters) -> CountersView:
    """The counters as shown, from the loader's state or a pushed counters event."""
    return CountersView(
        likes=source.likes,
        saves=source.saves,
        shares=source.shares,
        views=source.views,
        ratings_count=source.ratings_count,
        rating_avg=float(source.rating_avg),
        rating_label=rating_display(Decimal(str(source.rating_avg))),
    )


def card_views(cards: Iterable[RecommendationCard]) -> list[CardView]:
    """Recommendation cards for lists (profile, city page)."""
    return [
        CardView(
            id=card.id,
            title=card.title,
            category=card.category_name,
            city=_city_label(card.city),
            author=card.author_full_name,
            thumb=card.thumb_url,
            price=card.price_display,
            rating=card.rating_avg,
            ratings_count=card.ratings_count,
            likes=card.likes_count,
        )
        for card in cards
    ]
