"""The detail page's live parts: counters that follow every viewer, and the catch-up hook.

Counters show the shared `rec-<id>` values once the push adapter has written them,
until then the ones the page's own loader read (same numbers, no flash of zeros).
"""

import reflex as rx

from citypulse.state.recommendations.detail import RecommendationDetailState as S
from citypulse.state.recommendations.live import OwnInteractionsLive as Own
from citypulse.state.recommendations.live import RecommendationLive as Live


def live_count(name: str) -> rx.Var:
    """One public counter of the recommendation (likes, saves, shares, views, ...)."""
    return rx.cond(Live.ready, getattr(Live.counters, name), getattr(S.counters, name))


def catch_up_hook() -> rx.Component:
    """Re-mounts when a push changed the ratings or this user's own state elsewhere.

    Its on_mount asks the server to refetch what the change invalidated; the key sits on
    a wrapper so the element owning the effect is re-created. It also stops this tab's
    live updates when the page goes away (client-side navigation).
    """
    return rx.fragment(
        rx.box(on_mount=S.catch_up, display="none", aria_hidden="true"),
        key=Live.ratings_version.to(str) + "-" + Own.serial.to(str),
    )


def leave_hook() -> rx.Component:
    """Unlinks the page's shared states when this page unmounts (navigation away)."""
    return rx.box(on_unmount=S.leave, display="none", aria_hidden="true")
