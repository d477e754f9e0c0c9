"""The trip form (/trips/create and /trips/[id]/edit): details, cities (create), cover."""

from __future__ import annotations

import reflex as rx

from citypulse.components.trip_fields import (
    error_text,
    labelled_input,
    labelled_select,
    labelled_textarea,
)
from citypulse.components.trip_sortable import sortable_list, sortable_row
from citypulse.state.trips.form import COVER_UPLOAD_ID
from citypulse.state.trips.form import TripFormState as F

VISIBILITIES = [
    ("", "My default"),
    ("public", "Public"),
    ("friends_only", "Buddies only"),
    ("private", "Private"),
]
EDIT_VISIBILITIES = VISIBILITIES[1:]
ACCEPT = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]}


def _stop(row) -> rx.Component:
    e = F.errors
    key = row.key
    return sortable_row(
        key,
        rx.hstack(
            labelled_input(
                "City (City, Country)",
                "city-" + key,
                name="city_" + key,
                default_value=row.city_text,
                placeholder="Toronto, Canada",
                error=e.get("city_" + key, ""),
                on_blur=lambda v: F.set_stop(key, "city_text", v),
            ),
            labelled_input(
                "Arrival",
                "arrival-" + key,
                name="arrival_" + key,
                type="date",
                default_value=row.arrival_date,
                error=e.get("arrival_date_" + key, ""),
                on_blur=lambda v: F.set_stop(key, "arrival_date", v),
            ),
            labelled_input(
                "Departure",
                "departure-" + key,
                name="departure_" + key,
                type="date",
                default_value=row.departure_date,
                error=e.get("departure_date_" + key, ""),
                on_blur=lambda v: F.set_stop(key, "departure_date", v),
            ),
            labelled_input(
                "Notes",
                "notes-" + key,
                name="notes_" + key,
                default_value=row.notes,
                error=e.get("notes_" + key, ""),
                on_blur=lambda v: F.set_stop(key, "notes", v),
            ),
            wrap="wrap",
            spacing="3",
            width="100%",
        ),
        rx.hstack(
            rx.button(
                "Move up",
                type="button",
                size="1",
                variant="soft",
                disabled=row.is_first,
                on_click=F.move_stop(key, -1),
            ),
            rx.button(
                "Move down",
                type="button",
                size="1",
                variant="soft",
                disabled=row.is_last,
                on_click=F.move_stop(key, 1),
            ),
            rx.button(
                "Remove city",
                type="button",
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=F.remove_stop(key),
            ),
            spacing="2",
            margin_top="var(--space-1)",
        ),
        key=key,
        padding="var(--space-3)",
        border="1px solid var(--gray-5)",
        border_radius="var(--radius-3)",
        width="100%",
    )


def _cities() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend("Cities, in order", font_weight="600"),
        rx.text(
            "Drag a city, or use Move up and Move down, to change the order.",
            size="2",
            color_scheme="gray",
        ),
        sortable_list(
            rx.foreach(F.stops, _stop),
            on_reorder=F.reorder_stops,
            label="Cities of the new trip",
            display="flex",
            flex_direction="column",
            gap="var(--space-2)",
            width="100%",
        ),
        rx.button(
            "Add another city",
            type="button",
            variant="outline",
            on_click=F.add_stop,
            margin_top="var(--space-2)",
        ),
        error_text(F.errors.get("cities", ""), "cities"),
        border="none",
        padding="0",
        width="100%",
    )


def _labelled_upload(label: str, *children: rx.Component, **props) -> rx.Component:
    """`rx.upload` whose hidden file input has an accessible name (axe: label)."""
    upload = rx.upload(*children, **props)
    pending = [upload]
    while pending:
        node = pending.pop()
        if getattr(node, "tag", "") == "input":
            node.custom_attrs["aria-label"] = label
        pending.extend(getattr(node, "children", []))
    return upload


def _cover() -> rx.Component:
    current = rx.cond(F.cover_preview != "", F.cover_preview, F.initial.cover_url)
    return rx.vstack(
        rx.text("Cover image", weight="medium", size="2"),
        rx.cond(
            (current != "") & ~F.remove_cover,
            rx.image(
                src=current,
                alt="Chosen cover image",
                max_height="8rem",
                border_radius="var(--radius-2)",
            ),
        ),
        rx.hstack(
            _labelled_upload(
                "Cover image file",
                rx.button("Choose cover image", type="button", variant="soft"),
                id=COVER_UPLOAD_ID,
                multiple=False,
                max_files=1,
                accept=ACCEPT,
                no_keyboard=True,
                on_drop=F.upload_cover(rx.upload_files(upload_id=COVER_UPLOAD_ID)),
                border="none",
                padding="0",
            ),
            rx.cond(
                (current != "") & ~F.remove_cover,
                rx.button(
                    "Remove cover",
                    type="button",
                    variant="outline",
                    color_scheme="red",
                    on_click=F.clear_cover,
                ),
            ),
            spacing="3",
            align="center",
        ),
        rx.text("JPEG, PNG or WebP, up to 10 MB; cropped to 3:1.", size="1", color_scheme="gray"),
        error_text(F.errors.get("cover", ""), "cover"),
        spacing="2",
        align="start",
    )


def trip_form() -> rx.Component:
    e, t = F.errors, F.initial
    create = F.mode == "create"
    return rx.form(
        rx.vstack(
            rx.cond(F.form_error != "", rx.callout(F.form_error, color_scheme="red", role="alert")),
            labelled_input(
                "Title",
                "trip-title",
                name="title",
                default_value=t.title,
                error=e.get("title", ""),
                required=True,
                max_length=200,
            ),
            labelled_textarea(
                "Description",
                "trip-description",
                name="description",
                default_value=t.description,
                error=e.get("description", ""),
                max_length=2000,
                rows="4",
            ),
            rx.hstack(
                labelled_input(
                    "Start date",
                    "trip-start",
                    name="start_date",
                    type="date",
                    default_value=t.start_date,
                    error=e.get("start_date", ""),
                ),
                labelled_input(
                    "End date",
                    "trip-end",
                    name="end_date",
                    type="date",
                    default_value=t.end_date,
                    error=e.get("end_date", ""),
                ),
                wrap="wrap",
                spacing="3",
                width="100%",
            ),
            rx.cond(create, _cities()),
            rx.hstack(
                labelled_input(
                    "Budget",
                    "trip-budget",
                    name="total_budget",
                    inputmode="decimal",
                    default_value=t.total_budget,
                    error=e.get("total_budget", ""),
                ),
                labelled_input(
                    "Currency",
                    "trip-currency",
                    name="currency",
                    default_value=t.currency,
                    max_length=3,
                    error=e.get("currency", ""),
                ),
                wrap="wrap",
                spacing="3",
                width="100%",
            ),
            rx.cond(
                create,
                labelled_select(
                    "Visibility",
                    "trip-visibility",
                    VISIBILITIES,
                    name="visibility",
                    error=e.get("visibility", ""),
                ),
                rx.cond(
                    F.is_owner,
                    labelled_select(
                        "Visibility",
                        "trip-visibility",
                        EDIT_VISIBILITIES,
                        name="visibility",
                        default_value=t.visibility,
                        error=e.get("visibility", ""),
                    ),
                ),
            ),
            rx.el.label(
                rx.el.input(
                    type="checkbox",
                    id="trip-collaborative",
                    name="is_collaborative",
                    default_checked=t.is_collaborative,
                ),
                "Collaborative: participants may also add and edit cities, activities and Places",
                html_for="trip-collaborative",
                display="flex",
                gap="var(--space-2)",
                align_items="center",
                font_size="var(--font-size-2)",
            ),
            _cover(),
            rx.hstack(
                rx.button(
                    rx.cond(create, "Create trip", "Save trip"), type="submit", loading=F.saving
                ),
                rx.cond(~create, rx.link("Cancel", href="/trips/" + t.id.to_string())),
                spacing="4",
                align="center",
            ),
            spacing="4",
            width="100%",
            align="stretch",
        ),
        on_submit=F.submit,
        key=F.mode + "-" + t.id.to_string(),
        width="100%",
        max_width="48rem",
    )
