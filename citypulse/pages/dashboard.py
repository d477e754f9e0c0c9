"""`/dashboard` (A): the feed (PRODUCT.md §2.2, §4.9) with its panels and banners."""

import reflex as rx

from citypulse.components.buddies_active import active_buddies_panel
from citypulse.components.content import page_heading
from citypulse.components.feed import feed_section
from citypulse.components.feed_panels import banners, quick_actions, your_stats
from citypulse.components.layout import page_layout
from citypulse.pages.registry import page
from citypulse.state.feed.page import FeedState
from citypulse.state.session import SessionState
from citypulse.state.social.active import ActiveBuddiesState


@page(
    route="/dashboard",
    title="Dashboard",
    access="A",
    on_load=(FeedState.load, ActiveBuddiesState.load),
)
def dashboard_page() -> rx.Component:
    """Banners, the feed, and the side panels (below the feed on narrow screens)."""
    return page_layout(
        page_heading("Welcome, " + SessionState.full_name),
        banners(),
        rx.grid(
            feed_section(),
            rx.vstack(
                quick_actions(),
                your_stats(),
                active_buddies_panel(),
                spacing="6",
                width="100%",
            ),
            columns=rx.breakpoints(initial="1", md="minmax(0, 3fr) minmax(14rem, 1fr)"),
            gap="var(--space-6)",
            margin_top="var(--space-4)",
            width="100%",
        ),
    )
