"""The 404 page, rendered for unknown routes and for anything the viewer may not see."""

import reflex as rx

from citypulse.components.buttons import link_button
from citypulse.components.layout import page_layout
from citypulse.pages.registry import NOT_FOUND_ROUTE, page


@page(route=NOT_FOUND_ROUTE, title="Page Not Found", access="P")
def not_found_page() -> rx.Component:
    """'404 — Page Not Found' with Go Home and Go Back."""
    return page_layout(
        rx.vstack(
            rx.heading("404 — Page Not Found", as_="h1", size="8"),
            rx.text("The page you are looking for does not exist or is not available to you."),
            rx.hstack(
                link_button("Go Home", "/"),
                rx.button(
                    "Go Back", variant="soft", on_click=rx.call_script("window.history.back()")
                ),
                spacing="3",
            ),
            spacing="4",
            align="start",
            padding_y="var(--space-8)",
        )
    )
