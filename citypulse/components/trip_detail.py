"""The trip page's frame and Overview tab: header, tab links, the live watcher, owner
and member tools, details and the ordered cities (§2.2 /trips/[id], §4.6)."""

from __future__ import annotations

import reflex as rx

from citypulse.components.buddies import confirm_dialog
from citypulse.components.removal_banner import removal_banner
from citypulse.components.trip_fields import error_text, labelled_input
from citypulse.components.trip_plan import watcher_serial
from citypulse.components.trip_sortable import sortable_list, sortable_row
from citypulse.state.trips.detail import TripState as S


def trip_watcher() -> rx.Component:
    """Re-mounts when the trip's channel moves; its on_mount re-reads what changed."""
    return rx.fragment(
        rx.box(on_mount=S.catch_up, display="none", aria_hidden="true"),
        key=watcher_serial().to_string(),
    )


def leave_hook() -> rx.Component:
    return rx.box(on_unmount=S.leave, display="none", aria_hidden="true")


def trip_header() -> rx.Component:
    t = S.trip
    return rx.vstack(
        rx.cond(
            t.cover_url != "",
            rx.image(
                src=t.cover_url,
                alt="Cover of " + t.title,
                width="100%",
                max_height="16rem",
                object_fit="cover",
                border_radius="var(--radius-3)",
            ),
        ),
        removal_banner(
            S.removal,
            field_id="trip-removal-appeal",
            error=S.appeal_error,
            on_appeal=S.appeal_removal,
        ),
        rx.heading(t.title, as_="h1", size="8"),
        rx.hstack(
            rx.text(t.dates_label),
            rx.badge(t.status_label, variant="soft"),
            rx.badge(t.visibility_label, variant="outline"),
            rx.cond(t.is_collaborative, rx.badge("Collaborative", color_scheme="green")),
            rx.cond(~S.perms.is_member, rx.badge("Read-only", color_scheme="gray")),
            spacing="3",
            wrap="wrap",
            align="center",
        ),
        rx.cond(
            t.owner_name != "",
            rx.text(
                "Planned by ",
                rx.link(t.owner_name, href=t.owner_href),
                size="2",
                color_scheme="gray",
            ),
        ),
        spacing="2",
        margin_bottom="var(--space-4)",
        width="100%",
    )


def tab_nav() -> rx.Component:
    return rx.el.nav(
        rx.hstack(
            rx.foreach(
                S.tabs,
                lambda tab: rx.link(
                    tab.label,
                    href=tab.href,
                    aria_current=rx.cond(tab.is_current, "page", "false"),
                    weight=rx.cond(tab.is_current, "bold", "regular"),
                    underline=rx.cond(tab.is_current, "always", "hover"),
                    padding_y="var(--space-2)",
                ),
            ),
            spacing="5",
            wrap="wrap",
            border_bottom="1px solid var(--gray-5)",
        ),
        aria_label="Trip sections",
        margin_bottom="var(--space-4)",
    )


def messages() -> rx.Component:
    return rx.fragment(
        rx.cond(S.notice != "", rx.callout(S.notice, icon="check", role="status")),
        rx.cond(
            S.error != "",
            rx.callout(S.error, icon="triangle_alert", color_scheme="red", role="alert"),
        ),
    )


def _copy_box(label: str, value, field_id: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="var(--font-size-2)"),
        rx.hstack(
            rx.input(id=field_id, value=value, read_only=True, width="100%"),
            rx.button(
                "Copy",
                variant="soft",
                on_click=[rx.set_clipboard(value), rx.toast("Link copied")],
            ),
            width="100%",
        ),
        width="100%",
        spacing="1",
    )


def owner_tools() -> rx.Component:
    """Edit, status, share link and delete (each only for who may use it)."""
    return rx.vstack(
        rx.hstack(
            rx.cond(
                S.perms.can_edit_details,
                rx.button(
                    rx.link(
                        "Edit trip",
                        href="/trips/" + S.trip.id.to_string() + "/edit",
                        underline="none",
                    ),
                    as_child=True,
                    variant="soft",
                ),
            ),
            rx.foreach(
                S.statuses,
                lambda choice: rx.button(
                    choice.label, variant="outline", on_click=S.set_status(choice.status)
                ),
            ),
            rx.cond(
                S.perms.is_owner,
                confirm_dialog(
                    rx.button("Delete trip", color_scheme="red", variant="soft"),
                    "Delete this trip?",
                    "Its cities, itinerary, Places, companions and comments are deleted too. "
                    "This cannot be undone.",
                    "Delete trip",
                    S.delete_trip,
                ),
            ),
            spacing="3",
            wrap="wrap",
        ),
        rx.cond(
            S.perms.can_share,
            rx.vstack(
                rx.heading("Share link", as_="h3", size="3"),
                rx.text(
                    "Anyone with the link can read the overview, cities, itinerary and "
                    "public Places: no comments, no member names.",
                    size="2",
                    color_scheme="gray",
                ),
                rx.hstack(
                    rx.button(
                        rx.cond(S.trip.has_share_link, "Regenerate link", "Create share link"),
                        on_click=S.create_share_link,
                    ),
                    rx.cond(
                        S.trip.has_share_link,
                        rx.button(
                            "Revoke link",
                            variant="soft",
                            color_scheme="red",
                            on_click=S.revoke_share_link,
                        ),
                    ),
                    spacing="3",
                ),
                rx.cond(S.share_link != "", _copy_box("Share link", S.share_link, "share-link")),
                spacing="2",
                width="100%",
            ),
        ),
        spacing="4",
        width="100%",
        align="start",
    )


def calendar_tools() -> rx.Component:
    return rx.vstack(
        rx.heading("Calendar", as_="h3", size="3"),
        rx.hstack(
            rx.link(
                rx.button("Add to calendar", variant="soft", tab_index=-1),
                href=S.calendar_href,
                is_external=True,
                download=True,
            ),
            rx.cond(
                S.perms.is_member,
                rx.fragment(
                    rx.button("Create calendar feed", variant="outline", on_click=S.create_feed),
                    rx.button(
                        "Revoke calendar feed",
                        variant="outline",
                        color_scheme="gray",
                        on_click=S.revoke_feed,
                    ),
                ),
            ),
            spacing="3",
            wrap="wrap",
        ),
        rx.cond(S.feed_link != "", _copy_box("Private calendar feed", S.feed_link, "feed-link")),
        spacing="2",
        width="100%",
        align="start",
    )


def _city_row(city) -> rx.Component:
    editing = S.perms.can_edit_plan
    body = rx.hstack(
        rx.text(city.position.to_string() + ".", weight="bold"),
        rx.vstack(
            rx.text(city.label, weight="medium"),
            rx.cond(city.dates_label != "", rx.text(city.dates_label, size="2")),
            rx.cond(city.notes != "", rx.text(city.notes, size="2", color_scheme="gray")),
            spacing="0",
        ),
        rx.spacer(),
        rx.cond(
            editing,
            rx.hstack(
                rx.button(
                    "Move up",
                    size="1",
                    variant="soft",
                    disabled=city.is_first,
                    aria_label="Move " + city.name + " up",
                    on_click=S.move_city(city.id, -1),
                ),
                rx.button(
                    "Move down",
                    size="1",
                    variant="soft",
                    disabled=city.is_last,
                    aria_label="Move " + city.name + " down",
                    on_click=S.move_city(city.id, 1),
                ),
                rx.button(
                    "Edit",
                    size="1",
                    variant="outline",
                    aria_label="Edit " + city.name,
                    on_click=S.open_city(city.id),
                ),
                rx.cond(
                    city.can_remove,
                    confirm_dialog(
                        rx.button(
                            "Remove",
                            size="1",
                            color_scheme="red",
                            variant="soft",
                            aria_label="Remove " + city.name,
                        ),
                        "Remove " + city.name + "?",
                        "Its activities stay on the itinerary, without a city.",
                        "Remove",
                        S.remove_city(city.id),
                    ),
                ),
                spacing="2",
                wrap="wrap",
            ),
        ),
        width="100%",
        align="center",
        spacing="3",
    )
    return rx.cond(
        editing,
        sortable_row(
            city.id.to_string(),
            body,
            padding="var(--space-2)",
            border_bottom="1px solid var(--gray-4)",
            key=city.id.to_string(),
        ),
        rx.box(
            body, role="listitem", padding="var(--space-2)", border_bottom="1px solid var(--gray-4)"
        ),
    )


def _add_city_form() -> rx.Component:
    e = S.city_errors
    return rx.form(
        rx.heading("Add a city", as_="h3", size="3"),
        rx.hstack(
            labelled_input(
                "City (City, Country)",
                "new-city",
                name="city_text",
                error=e.get("city", ""),
                placeholder="Toronto, Canada",
            ),
            labelled_input(
                "Arrival",
                "new-city-arrival",
                name="arrival_date",
                type="date",
                error=e.get("arrival_date", ""),
            ),
            labelled_input(
                "Departure",
                "new-city-departure",
                name="departure_date",
                type="date",
                error=e.get("departure_date", ""),
            ),
            wrap="wrap",
            spacing="3",
            width="100%",
        ),
        labelled_input("Notes", "new-city-notes", name="notes", error=e.get("notes", "")),
        rx.button("Add city", type="submit", margin_top="var(--space-2)"),
        on_submit=S.add_city,
        reset_on_submit=False,
        width="100%",
    )


def city_dialog() -> rx.Component:
    e, c = S.city_errors, S.city_form
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Edit " + c.name),
            rx.dialog.description("Arrival, departure and notes.", size="2"),
            rx.form(
                error_text(e.get("form", ""), "edit-city-form"),
                labelled_input(
                    "Arrival",
                    "edit-city-arrival",
                    name="arrival_date",
                    type="date",
                    default_value=c.arrival_date,
                    error=e.get("arrival_date", ""),
                ),
                labelled_input(
                    "Departure",
                    "edit-city-departure",
                    name="departure_date",
                    type="date",
                    default_value=c.departure_date,
                    error=e.get("departure_date", ""),
                ),
                labelled_input(
                    "Notes",
                    "edit-city-notes",
                    name="notes",
                    default_value=c.notes,
                    error=e.get("notes", ""),
                ),
                rx.hstack(
                    rx.dialog.close(
                        rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                    ),
                    rx.button("Save city", type="submit"),
                    justify="end",
                    spacing="3",
                    margin_top="var(--space-3)",
                ),
                on_submit=S.save_city,
                key=c.id.to_string(),
            ),
        ),
        open=S.city_dialog != 0,
        on_open_change=S.close_city,
    )


def cities_section() -> rx.Component:
    return rx.el.section(
        rx.heading("Cities", as_="h2", size="5", margin_bottom="var(--space-2)"),
        rx.cond(
            S.cities.length() > 0,
            rx.cond(
                S.perms.can_edit_plan,
                rx.vstack(
                    rx.text(
                        "Drag a city, or use Move up and Move down, to change the order.",
                        size="2",
                        color_scheme="gray",
                    ),
                    sortable_list(
                        rx.foreach(S.cities, _city_row),
                        on_reorder=S.reorder_cities,
                        label="Cities in order",
                        width="100%",
                    ),
                    width="100%",
                ),
                rx.box(
                    rx.foreach(S.cities, _city_row),
                    role="list",
                    aria_label="Cities in order",
                    width="100%",
                ),
            ),
            rx.text("No cities yet.", color_scheme="gray"),
        ),
        rx.cond(S.perms.can_edit_plan, _add_city_form()),
        city_dialog(),
        width="100%",
    )


def overview_tab() -> rx.Component:
    t = S.trip
    return rx.vstack(
        rx.el.section(
            rx.heading("Overview", as_="h2", size="5", margin_bottom="var(--space-2)"),
            rx.cond(
                t.description != "",
                rx.text(t.description, white_space="pre-wrap"),
                rx.text("No description yet.", color_scheme="gray"),
            ),
            rx.cond(t.budget_label != "", rx.text("Budget: " + t.budget_label)),
            rx.cond(S.perms.role_label != "", rx.text("Your role: " + S.perms.role_label)),
        ),
        cities_section(),
        rx.cond(~S.perms.via_share, owner_tools()),
        calendar_tools(),
        spacing="5",
        width="100%",
        align="start",
    )
