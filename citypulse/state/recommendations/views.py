"""Turn recommendation read models into the plain dicts the pages render."""

from __future__ import annotations

from collections.abc import Iterable

from citypulse.services.interactions.ratings import RatingItem
from citypulse.services.recommendations.queries import RecommendationCard, RecommendationDetail

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
VISIBILITY_LABELS = {"public": "Public", "friends_only": "Buddies only", "private": "Private"}


def _city_label(city) -> str:
    if city is None:
        return ""
    parts = [city.name, city.state, city.country] if city.state else [city.name, city.country]
    return ", ".join(parts)


def detail_vars(detail: RecommendationDetail) -> tuple[dict, list[dict[str, str]], list[str]]:
    """(fields, photos, tags) of the detail page; only what this viewer may see."""
    fields = {
        "id": str(detail.id),
        "title": detail.title,
        "description": detail.description,
        "category": detail.category_name,
        "city": _city_label(detail.city),
        "city_link": f"/city/{detail.city.name}" if detail.city else "",
        "address": detail.address,
        "price": detail.price_display,
        "difficulty": detail.difficulty.capitalize() if detail.difficulty else "",
        "best_months": ", ".join(MONTHS[m - 1] for m in detail.best_months),
        "best_time": detail.best_time_text,
        "duration": detail.duration_suggestion,
        "coordinates": f"{detail.latitude}, {detail.longitude}" if detail.latitude else "",
        "map_url": (
            f"https://www.openstreetmap.org/?mlat={detail.latitude}&mlon={detail.longitude}#map=16/"
            f"{detail.latitude}/{detail.longitude}"
            if detail.latitude
            else ""
        ),
        "author_username": detail.author.username,
        "author_name": detail.author.full_name,
        "author_avatar": detail.author.avatar_url,
        "visibility": VISIBILITY_LABELS.get(detail.visibility, detail.visibility),
        "status": detail.status,
        "removed_reason": detail.removed_reason or "",
        "is_author": "yes" if detail.is_author else "",
        "created": detail.created_at.strftime("%d %b %Y"),
    }
    photos = [
        {"url": p.image_url, "thumb": p.thumb_url, "caption": p.caption or detail.title}
        for p in detail.photos
    ]
    return fields, photos, list(detail.tags)


def rating_rows(items: Iterable[RatingItem]) -> list[dict[str, str]]:
    """The ratings list, newest first, as the page shows it."""
    return [
        {
            "username": item.username,
            "name": item.full_name,
            "stars": "★" * item.rating + "☆" * (5 - item.rating),
            "rating": str(item.rating),
            "review": "" if item.review_removed else (item.review or ""),
            "removed": "yes" if item.review_removed else "",
            "when": item.created_at.strftime("%d %b %Y"),
        }
        for item in items
    ]


def card_rows(cards: Iterable[RecommendationCard]) -> list[dict[str, str]]:
    """Recommendation cards for lists (profile, city page)."""
    return [
        {
            "id": str(card.id),
            "title": card.title,
            "category": card.category_name,
            "city": _city_label(card.city),
            "author": card.author_full_name,
            "thumb": card.thumb_url,
            "price": card.price_display,
            "rating": card.rating_avg,
            "ratings_count": str(card.ratings_count),
            "likes": str(card.likes_count),
        }
        for card in cards
    ]
