"""Travellers to a city: the finder tab's form and list, and the row the city page's
"Upcoming travellers" shares (§2.2, §4.6.12)."""

from __future__ import annotations

import reflex as rx

from citypulse.components.buddies import small_avatar
from citypulse.components.forms import text_field
from citypulse.components.trip_finder import date_field
from citypulse.state.trips.travellers import TravellersState as S


def traveller_item(row: rx.Var) -> rx.Component:
    """One traveller: avatar, name (profile link), buddy badge, their trip and dates."""
    return rx.el.li(
        rx.hstack(
            small_avatar(row.avatar_url, row.initial, "2.5rem"),
            rx.vstack(
                rx.hstack(
                    rx.link(row.full_name, href=row.href, weight="medium"),
                    rx.text("@", row.username, size="1", color_scheme="gray"),
                    rx.cond(row.is_buddy, rx.badge("Buddy", variant="soft")),
                    spacing="2", align="center", wrap="wrap",
                ),
                rx.text(
                    rx.link(row.trip_title, href=row.trip_href), " · ", row.dates, size="2",
                ),
                spacing="0",
            ),
            spacing="3", align="center",
        ),
        key=row.user_id,
    )  # fmt: skip


def traveller_list(rows: rx.Var, label: str) -> rx.Component:
    return rx.el.ul(
        rx.foreach(rows, traveller_item),
        aria_label=label,
        list_style="none", padding="0", margin="0",
        display="grid", gap="var(--space-3)",
        grid_template_columns="repeat(auto-fill, minmax(16rem, 1fr))",
    )  # fmt: skip


def travellers_form() -> rx.Component:
    return rx.form(
        rx.grid(
            text_field("City", "travellers-city", name="city", default_value=S.form.city,
                       error=S.errors.city, placeholder="e.g. Lisbon", max_length=120,
                       mark_required=True),
            date_field("From", "travellers-start", "start", S.form.start, S.errors.start),
            date_field("To", "travellers-end", "end", S.form.end, S.errors.end),
            rx.box(rx.button("Search travellers", type="submit"), align_self="end"),
            columns=rx.breakpoints(initial="1", sm="4"),
            spacing="3",
            width="100%",
        ),
        on_submit=S.search,
        reset_on_submit=False,
        role="search",
        aria_label="Find travellers to a city",
        margin_bottom="var(--space-5)",
        key=S.form.city,  # a ?city= link fills the form
    )  # fmt: skip


def travellers_panel() -> rx.Component:
    return rx.vstack(
        rx.text("People with upcoming trips to a city, or trips overlapping your dates.",
                size="2", color_scheme="gray"),
        travellers_form(),
        rx.cond(
            S.travellers.length() > 0,
            traveller_list(S.travellers, "Travellers"),
            rx.cond(S.searched, rx.text("No travellers to this city for these dates.",
                                        color_scheme="gray")),
        ),
        rx.cond(S.has_more, rx.button("Load more", variant="soft", on_click=S.load_more)),
        spacing="4", align="stretch",
    )  # fmt: skip
