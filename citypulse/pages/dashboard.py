"""`/dashboard` (A): the signed-in home. The feed of §4.9 arrives with the feed feature;
until then it greets the user and offers the actions that exist."""

import reflex as rx

from citypulse.components.buddies_active import active_buddies_panel
from citypulse.components.buttons import link_button
from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.pages.registry import page
from citypulse.state.session import SessionState
from citypulse.state.social.active import ActiveBuddiesState


@page(route="/dashboard", title="Dashboard", access="A", on_load=(ActiveBuddiesState.load,))
def dashboard_page() -> rx.Component:
    """Welcome and quick actions."""
    return page_layout(
        page_heading("Welcome, " + SessionState.full_name, "You are signed in to CityPulse."),
        rx.el.section(
            rx.heading("Quick actions", as_="h2", size="5", margin_bottom="var(--space-3)"),
            rx.hstack(
                link_button("Add recommendation", "/recommendations/create"),
                link_button("Find buddies", "/buddies?tab=find", variant="soft"),
                link_button("Leaderboard", "/leaderboard", variant="soft"),
                link_button("My profile", "/profile/" + SessionState.username, variant="soft"),
                link_button("Settings", "/settings", variant="soft"),
                spacing="3",
                wrap="wrap",
            ),
        ),
        rx.box(active_buddies_panel(), margin_top="var(--space-6)"),
    )
