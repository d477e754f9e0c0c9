"""Live counters of one recommendation, shared by every tab that shows it (§6.2).

Tabs on /recommendations/<id> link this shared state to key `rec-<id>`; the push
adapter writes committed counter changes into it, so all viewers update together.
"""

import reflex as rx


class RecommendationLive(rx.SharedState):
    """Public counters only: anything here is seen by every viewer of the page."""

    likes: int = 0
    saves: int = 0
    shares: int = 0
    views: int = 0
    ratings_count: int = 0
    rating_avg: str = "0.0"
    ratings_version: int = 0  # bumped when the ratings list changed


def channel_key(recommendation_id: int) -> str:
    """The shared-state key of one recommendation (no underscores allowed)."""
    return f"rec-{recommendation_id}"
