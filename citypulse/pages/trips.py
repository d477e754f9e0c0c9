"""`/trips` (A): own and joined trips with counts and a status filter, invitations, and
"Create trip" (§2.2). The owner deletes a trip on its page (with confirmation)."""

import reflex as rx

from citypulse.components.buttons import link_button
from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.components.trip_cards import counts, filter_nav, trip_grid
from citypulse.pages.registry import page
from citypulse.state.trips.lists import MyTripsState as S


@page(route="/trips", title="Trips", access="A", on_load=(S.load,))
def trips_page() -> rx.Component:
    return page_layout(
        rx.hstack(
            page_heading("Trips", "Plan trips, alone or with your buddies."),
            rx.spacer(),
            link_button("Create trip", "/trips/create"),
            link_button("Find companions", "/trips/companions", variant="soft"),
            width="100%",
            align="start",
            wrap="wrap",
            spacing="3",
        ),
        rx.cond(S.error != "", rx.callout(S.error, color_scheme="red", role="alert")),
        counts(),
        rx.cond(
            S.invitations.length() > 0,
            rx.el.section(
                rx.heading("Invitations", as_="h2", size="5", margin_bottom="var(--space-2)"),
                trip_grid(S.invitations),
                margin_bottom="var(--space-6)",
            ),
        ),
        rx.el.section(
            rx.heading("My trips", as_="h2", size="5", margin_bottom="var(--space-2)"),
            filter_nav(),
            rx.cond(
                S.loaded,
                rx.cond(
                    S.trips.length() > 0,
                    trip_grid(S.trips),
                    rx.vstack(
                        rx.text("No trips yet — Create your first trip"),
                        link_button("Create your first trip", "/trips/create"),
                        spacing="3",
                        align="start",
                    ),
                ),
                rx.text("Loading trips…", role="status"),
            ),
        ),
    )
