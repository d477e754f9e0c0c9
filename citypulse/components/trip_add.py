""" "Add to trip" on a recommendation page (§2.2, §4.6.8): a dialog listing the viewer's
planning and active trips; choosing one adds the recommendation to its wishlist."""

from __future__ import annotations

import reflex as rx

from citypulse.state.trips.add_to_trip import AddToTripState as A


def _choice(choice) -> rx.Component:
    return rx.hstack(
        rx.text(choice.title, flex="1"),
        rx.cond(
            choice.added,
            rx.badge("Added", color_scheme="green"),
            rx.button(
                "Add", size="1", aria_label="Add to " + choice.title, on_click=A.add(choice.id)
            ),
        ),
        width="100%",
        align="center",
    )


def add_to_trip_button() -> rx.Component:
    """The button and its dialog (signed-in viewers only: place it under a signed_in cond)."""
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("map"), "Add to trip", variant="soft")),
        rx.dialog.content(
            rx.dialog.title("Add to trip"),
            rx.dialog.description("Add this place to a trip's wishlist.", size="2"),
            rx.cond(A.message != "", rx.callout(A.message, role="status", color_scheme="green")),
            rx.cond(A.error != "", rx.callout(A.error, role="alert", color_scheme="red")),
            rx.cond(
                A.choices.length() > 0,
                rx.vstack(
                    rx.foreach(A.choices, _choice),
                    spacing="2",
                    width="100%",
                    margin_y="var(--space-3)",
                ),
                rx.text(
                    "You have no planning or active trips. ",
                    rx.link("Create a trip", href="/trips/create"),
                    margin_y="var(--space-3)",
                ),
            ),
            rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
        ),
        on_open_change=A.load_choices,
    )
