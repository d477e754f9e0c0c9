"""Live counters of one recommendation, shared by every tab that shows it (§6.2).

Tabs on /recommendations/<id> link this shared state to key `rec-<id>` and unlink it
when they leave the page; only the push adapter (state/push.py) writes it, from the
committed `RecommendationCountersChanged` / `RecommendationRatingsChanged` events.
"""

import reflex as rx

from citypulse.state.recommendations.views import CountersView


class RecommendationLive(rx.SharedState):
    """Public counters only: anything here is seen by every viewer of the page."""

    # False until a counters event reached this key since it was created (the page then
    # shows the counters its own loader read).
    ready: bool = False
    counters: CountersView = CountersView()
    ratings_version: int = 0  # bumped when the ratings list changed: viewers refetch it


class OwnInteractionsLive(rx.SharedState):
    """The viewer's own latest like/save/rating, shared by their tabs under `user-<id>`.

    Linked only while a detail page is open; another tab of the same user follows a
    change when `recommendation_id` is the one it shows (§6.2 "all tabs in sync").
    """

    serial: int = 0  # bumped with every change
    recommendation_id: int = 0
    liked: bool = False
    saved: bool = False
    my_rating: int = 0
    my_review: str = ""


def channel_key(recommendation_id: int) -> str:
    """The shared-state key of one recommendation (no underscores allowed)."""
    return f"rec-{recommendation_id}"
