"""The Places tab: the trip's recommendations by status, linked activities (§4.6.8)."""

from __future__ import annotations

import reflex as rx

from citypulse.components.buddies import confirm_dialog
from citypulse.state.trips.detail import TripState as S
from citypulse.state.trips.views import PLACE_STATUS_LABELS

STATUSES = list(PLACE_STATUS_LABELS.items())


def _controls(place) -> rx.Component:
    status_id = "place-status-" + place.id.to_string()
    link_id = "place-link-" + place.id.to_string()
    return rx.hstack(
        rx.vstack(
            rx.el.label("Status", html_for=status_id, font_size="var(--font-size-1)"),
            rx.el.select(
                *[rx.el.option(label, value=value) for value, label in STATUSES],
                id=status_id,
                value=place.status,
                on_change=lambda value: S.set_place_status(place.id, value),
            ),
            spacing="0",
        ),
        rx.vstack(
            rx.el.label("Activity", html_for=link_id, font_size="var(--font-size-1)"),
            rx.el.select(
                rx.el.option("No activity", value=""),
                rx.foreach(S.activity_options, lambda o: rx.el.option(o.label, value=o.value)),
                id=link_id,
                value=place.itinerary_item_id,
                on_change=lambda value: S.link_place(place.id, value),
            ),
            spacing="0",
        ),
        spacing="3",
        wrap="wrap",
    )


def _place(place) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.cond(
                    place.available,
                    rx.link(place.title, href=place.href, weight="medium"),
                    rx.text(place.title, weight="medium", color_scheme="gray"),
                ),
                rx.hstack(
                    rx.badge(place.status_label, variant="soft"),
                    rx.cond(
                        place.activity_title != "", rx.text("For " + place.activity_title, size="2")
                    ),
                    spacing="2",
                    align="center",
                ),
                rx.cond(place.notes != "", rx.text(place.notes, size="2", color_scheme="gray")),
                spacing="1",
                align="start",
            ),
            rx.spacer(),
            rx.cond(S.perms.can_edit_plan, _controls(place)),
            rx.cond(
                place.can_remove,
                confirm_dialog(
                    rx.button(
                        "Remove",
                        size="1",
                        color_scheme="red",
                        variant="soft",
                        aria_label="Remove " + place.title,
                    ),
                    "Remove this place?",
                    place.title + " is removed from the trip.",
                    "Remove",
                    S.remove_place(place.id),
                ),
            ),
            width="100%",
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        width="100%",
    )


def places_tab() -> rx.Component:
    return rx.vstack(
        rx.heading("Places", as_="h2", size="5"),
        rx.cond(
            S.places.length() > 0,
            rx.vstack(rx.foreach(S.places, _place), spacing="2", width="100%"),
            rx.text(
                "No places yet. Add one with “Add to trip” on a recommendation.",
                color_scheme="gray",
            ),
        ),
        spacing="3",
        width="100%",
        align="start",
    )
