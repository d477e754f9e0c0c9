"""Feed events, published with `citypulse.realtime.publish_after_commit` (after commit).

`RecommendationPublished` says a new recommendation exists; it names no viewer: each
open feed asks the database whether the post is one it would show (`new_posts_count`),
so visibility is decided by the one rule, never by the event.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecommendationPublished:
    """A recommendation was published (feeds open elsewhere raise their "new posts" pill)."""

    recommendation_id: int
    author_id: int
