"""The Itinerary tab: days in order, their activities, and the add/edit dialog (§4.6.7)."""

from __future__ import annotations

import reflex as rx

from citypulse.components.buddies import confirm_dialog
from citypulse.components.trip_fields import (
    error_text,
    labelled_input,
    labelled_select,
    labelled_textarea,
)
from citypulse.components.trip_plan import may_delete, shown_days
from citypulse.state.trips.detail import NEW_ITEM
from citypulse.state.trips.detail import TripState as S
from citypulse.state.trips.views import ITEM_STATUS_LABELS, TYPE_LABELS

TYPES = list(TYPE_LABELS.items())
STATUSES = list(ITEM_STATUS_LABELS.items())


def _activity(a) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.heading(a.title, as_="h4", size="3"),
                rx.hstack(
                    rx.cond(a.time_label != "", rx.text(a.time_label, size="2")),
                    rx.badge(a.type_label, variant="soft"),
                    rx.badge(a.status_label, variant="outline"),
                    rx.cond(a.city_name != "", rx.text(a.city_name, size="2")),
                    spacing="2",
                    wrap="wrap",
                    align="center",
                ),
                rx.cond(a.location_name != "", rx.text(a.location_name, size="2")),
                rx.cond(
                    a.coordinates_label != "",
                    rx.link(
                        "Coordinates: " + a.coordinates_label,
                        href=a.map_href,
                        is_external=True,
                        size="2",
                        aria_label="Coordinates of "
                        + a.title
                        + ": "
                        + a.coordinates_label
                        + " (map, opens in a new tab)",
                    ),
                ),
                rx.cond(a.cost_label != "", rx.text("Estimated cost: " + a.cost_label, size="2")),
                rx.cond(
                    a.description != "", rx.text(a.description, size="2", white_space="pre-wrap")
                ),
                rx.cond(a.notes != "", rx.text(a.notes, size="2", color_scheme="gray")),
                spacing="1",
                align="start",
            ),
            rx.spacer(),
            rx.cond(
                S.perms.can_edit_plan,
                rx.hstack(
                    rx.button(
                        "Edit",
                        size="1",
                        variant="outline",
                        aria_label="Edit " + a.title,
                        on_click=S.open_item(a.id),
                    ),
                    rx.cond(
                        may_delete(a),
                        confirm_dialog(
                            rx.button(
                                "Delete",
                                size="1",
                                color_scheme="red",
                                variant="soft",
                                aria_label="Delete " + a.title,
                            ),
                            "Delete this activity?",
                            a.title + " is removed from the itinerary.",
                            "Delete",
                            S.delete_item(a.id),
                        ),
                    ),
                    spacing="2",
                ),
            ),
            width="100%",
            align="start",
        ),
        width="100%",
    )


def _day(day) -> rx.Component:
    return rx.el.section(
        rx.heading(day.label, as_="h3", size="4", margin_bottom="var(--space-2)"),
        rx.vstack(rx.foreach(day.activities, _activity), spacing="2", width="100%"),
        aria_label=day.label,
        width="100%",
        margin_bottom="var(--space-4)",
    )


def _when_fields() -> rx.Component:
    e, f = S.item_errors, S.item_form
    return rx.cond(
        S.trip.has_dates,
        labelled_input(
            "Date",
            "item-date",
            name="activity_date",
            type="date",
            default_value=f.activity_date,
            error=e.get("activity_date", ""),
        ),
        labelled_input(
            "Day",
            "item-day",
            name="day_number",
            type="number",
            min="1",
            max="365",
            default_value=f.day_number,
            error=e.get("day_number", ""),
        ),
    )


def item_dialog() -> rx.Component:
    e, f = S.item_errors, S.item_form
    city_options = rx.foreach(S.cities, lambda c: rx.el.option(c.name, value=c.id.to_string()))
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(S.item_dialog == NEW_ITEM, "Add activity", "Edit activity")),
            rx.dialog.description("Fields marked * are required.", size="2"),
            rx.form(
                error_text(e.get("form", ""), "item-form"),
                labelled_input(
                    "Title *",
                    "item-title",
                    name="title",
                    default_value=f.title,
                    error=e.get("title", ""),
                ),
                rx.hstack(
                    _when_fields(),
                    labelled_input(
                        "Start time",
                        "item-time",
                        name="start_time",
                        type="time",
                        default_value=f.start_time,
                        error=e.get("start_time", ""),
                    ),
                    labelled_input(
                        "Duration (minutes)",
                        "item-duration",
                        name="duration_minutes",
                        type="number",
                        min="1",
                        max="1440",
                        default_value=f.duration_minutes,
                        error=e.get("duration_minutes", ""),
                    ),
                    wrap="wrap",
                    spacing="3",
                    width="100%",
                ),
                rx.hstack(
                    labelled_select(
                        "Type",
                        "item-type",
                        TYPES,
                        name="activity_type",
                        default_value=rx.cond(f.activity_type != "", f.activity_type, "other"),
                        error=e.get("activity_type", ""),
                    ),
                    labelled_select(
                        "Status",
                        "item-status",
                        STATUSES,
                        name="status",
                        default_value=rx.cond(f.status != "", f.status, "planned"),
                        error=e.get("status", ""),
                    ),
                    rx.vstack(
                        rx.el.label(
                            "City",
                            html_for="item-city",
                            font_weight="500",
                            font_size="var(--font-size-2)",
                        ),
                        rx.el.select(
                            rx.el.option("No city", value=""),
                            city_options,
                            id="item-city",
                            name="trip_city_id",
                            default_value=f.trip_city_id,
                            aria_describedby="item-city-error",
                        ),
                        error_text(e.get("trip_city_id", ""), "item-city"),
                        spacing="1",
                        flex="1",
                        min_width="12rem",
                    ),
                    wrap="wrap",
                    spacing="3",
                    width="100%",
                ),
                rx.hstack(
                    labelled_input(
                        "Location",
                        "item-location",
                        name="location_name",
                        default_value=f.location_name,
                        error=e.get("location_name", ""),
                    ),
                    labelled_input(
                        "Estimated cost",
                        "item-cost",
                        name="estimated_cost",
                        default_value=f.estimated_cost,
                        inputmode="decimal",
                        error=e.get("estimated_cost", ""),
                    ),
                    wrap="wrap",
                    spacing="3",
                    width="100%",
                ),
                rx.hstack(
                    labelled_input(
                        "Latitude",
                        "item-latitude",
                        name="latitude",
                        default_value=f.latitude,
                        inputmode="decimal",
                        placeholder="43.6426",
                        error=e.get("latitude", ""),
                    ),
                    labelled_input(
                        "Longitude",
                        "item-longitude",
                        name="longitude",
                        default_value=f.longitude,
                        inputmode="decimal",
                        placeholder="-79.3871",
                        error=e.get("longitude", ""),
                    ),
                    wrap="wrap",
                    spacing="3",
                    width="100%",
                ),
                rx.text(
                    "Coordinates are optional: enter both latitude (−90 to 90) and longitude "
                    "(−180 to 180), or neither.",
                    size="1",
                    color_scheme="gray",
                ),
                labelled_textarea(
                    "Description",
                    "item-description",
                    name="description",
                    default_value=f.description,
                    error=e.get("description", ""),
                ),
                labelled_textarea(
                    "Notes",
                    "item-notes",
                    name="notes",
                    default_value=f.notes,
                    error=e.get("notes", ""),
                ),
                rx.hstack(
                    rx.dialog.close(
                        rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                    ),
                    rx.button("Save activity", type="submit"),
                    justify="end",
                    spacing="3",
                    margin_top="var(--space-3)",
                ),
                on_submit=S.save_item,
                key=S.item_dialog.to_string() + "-" + f.id.to_string(),
            ),
            max_width="40rem",
        ),
        open=S.item_dialog != 0,
        on_open_change=S.close_item,
    )


def itinerary_tab() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("Itinerary", as_="h2", size="5"),
            rx.spacer(),
            rx.cond(
                S.perms.can_edit_plan, rx.button("Add activity", on_click=S.open_item(NEW_ITEM))
            ),
            width="100%",
            align="center",
        ),
        rx.cond(
            shown_days().length() > 0,
            rx.box(rx.foreach(shown_days(), _day), width="100%"),
            rx.text("No activities yet.", color_scheme="gray"),
        ),
        item_dialog(),
        spacing="4",
        width="100%",
        align="start",
    )
