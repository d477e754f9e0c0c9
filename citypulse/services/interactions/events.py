"""Domain events of the interaction services (PRODUCT.md §6.1, §6.2, §6.8).

Published with `citypulse.realtime.publish_after_commit`, so they reach the realtime
handlers only after the action's transaction committed. Plain frozen dataclasses: the
Reflex adapter (state/) decides whom to push them to; no Reflex import here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecommendationCountersChanged:
    """The public counters of a recommendation after a like, save, share, rating or view.

    Push to everyone viewing /recommendations/[id] (a shared key per recommendation).
    """

    recommendation_id: int
    likes: int
    saves: int
    shares: int
    ratings_count: int
    rating_avg: float
    views: int


@dataclass(frozen=True)
class RecommendationRatingsChanged:
    """A rating or review of the recommendation was added, changed or deleted.

    Viewers of the detail page refetch the ratings list (its text may change without any
    counter changing, e.g. an edited review).
    """

    recommendation_id: int


@dataclass(frozen=True)
class ViewerInteractionChanged:
    """`user_id`'s own like/save/rating state changed: sync it across that user's tabs."""

    user_id: int
    recommendation_id: int
    liked: bool
    saved: bool
    my_rating: int | None
    my_review: str | None = None


@dataclass(frozen=True)
class ContentReportCreated:
    """A new report entered the moderation queue (moderator counts and queues, §6.8)."""

    report_id: int
    content_type: str
