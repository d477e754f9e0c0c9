"""Feed events, published with `citypulse.realtime.publish_after_commit` (after commit).

`RecommendationPublished` and `TripPublished` say a new post exists; they name no
viewer: each open feed asks the database whether the post is one it would show
(`new_posts_count`), so visibility is decided by the one rule, never by the event.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecommendationPublished:
    """A recommendation was published (feeds open elsewhere raise their "new posts" pill)."""

    recommendation_id: int
    author_id: int


@dataclass(frozen=True)
class TripPublished:
    """A trip was created (feeds open elsewhere re-count their "new posts" pill)."""

    trip_id: int
    owner_id: int
