"""The Places tab: the trip's recommendations by status, linked activities (§4.6.8)."""

from __future__ import annotations

import reflex as rx

from citypulse.components.buddies import confirm_dialog
from citypulse.components.trip_fields import error_text, labelled_textarea
from citypulse.components.trip_plan import place_activity_title, shown_activity_options
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
                rx.foreach(
                    shown_activity_options(), lambda o: rx.el.option(o.label, value=o.value)
                ),
                id=link_id,
                value=place.itinerary_item_id,
                on_change=lambda value: S.link_place(place.id, value),
            ),
            spacing="0",
        ),
        rx.button(
            rx.cond(place.notes != "", "Edit notes", "Add notes"),
            size="1",
            variant="outline",
            aria_label=rx.cond(place.notes != "", "Edit notes of ", "Add notes to ") + place.title,
            on_click=S.open_place(place.id),
        ),
        spacing="3",
        wrap="wrap",
        align="end",
    )


def notes_dialog() -> rx.Component:
    """Edit a Place's notes (editors); status and activity stay as they are."""
    e = S.place_errors
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Notes on " + S.place_form.title),
            rx.dialog.description("Up to 500 characters; leave empty to clear.", size="2"),
            rx.form(
                error_text(e.get("form", ""), "place-notes-form"),
                labelled_textarea(
                    "Notes",
                    "place-notes",
                    name="notes",
                    default_value=S.place_form.notes,
                    max_length=500,
                    error=e.get("notes", ""),
                ),
                rx.hstack(
                    rx.dialog.close(
                        rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                    ),
                    rx.button("Save notes", type="submit"),
                    justify="end",
                    spacing="3",
                    margin_top="var(--space-3)",
                ),
                on_submit=S.save_place_notes,
                key=S.place_dialog.to_string(),
            ),
            max_width="32rem",
        ),
        open=S.place_dialog != 0,
        on_open_change=S.close_place,
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
                        place_activity_title(place) != "",
                        rx.text("For " + place_activity_title(place), size="2"),
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
        notes_dialog(),
        spacing="3",
        width="100%",
        align="start",
    )
