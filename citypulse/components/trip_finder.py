"""Pieces of /trips/companions: the tab links, the Find form and the trip cards (§2.2)."""

from __future__ import annotations

import reflex as rx

from citypulse.components.buddies import small_avatar
from citypulse.components.forms import field_error, text_field
from citypulse.state.session import UserChannel
from citypulse.state.trips.finder import TripFinderState as S

TABS = (
    ("find", "Find companions"),
    ("discover", "Discover trips"),
    ("suggested", "Suggested for you"),
    ("travellers", "Travellers to a city"),
)


def standing_watcher() -> rx.Component:
    """Re-reads the cards when the viewer's notifications move (a request answered)."""
    return rx.fragment(
        rx.box(on_mount=S.standing_changed, display="none", aria_hidden="true"),
        key=UserChannel.notification_epoch.to_string(),
    )


def finder_tabs() -> rx.Component:
    return rx.el.nav(
        rx.hstack(
            *[
                rx.link(
                    label,
                    href=f"/trips/companions?tab={key}",
                    aria_current=rx.cond(S.tab == key, "page", "false"),
                    weight=rx.cond(S.tab == key, "bold", "regular"),
                    underline=rx.cond(S.tab == key, "always", "hover"),
                    padding_y="var(--space-2)",
                )
                for key, label in TABS
            ],
            spacing="5",
            wrap="wrap",
            border_bottom="1px solid var(--gray-5)",
        ),
        aria_label="Companion finder sections",
        margin_bottom="var(--space-4)",
    )


def date_field(label: str, field_id: str, name: str, value: rx.Var, error: rx.Var):
    """A labelled date input with its error line (the finder's forms)."""
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="var(--font-size-2)"),
        rx.input(id=field_id, name=name, type="date", default_value=value,
                 aria_describedby=f"{field_id}-error"),
        field_error(error, field_id),
        spacing="1",
    )  # fmt: skip


def find_form() -> rx.Component:
    return rx.form(
        rx.grid(
            text_field("City", "finder-trip-city", name="city", default_value=S.form.city,
                       error=S.errors.city, placeholder="e.g. Lisbon", max_length=120,
                       mark_required=True),
            date_field("From", "finder-trip-start", "start", S.form.start, S.errors.start),
            date_field("To", "finder-trip-end", "end", S.form.end, S.errors.end),
            rx.box(rx.button("Search", type="submit"), align_self="end"),
            columns=rx.breakpoints(initial="1", sm="4"),
            spacing="3",
            width="100%",
        ),
        on_submit=S.search,
        reset_on_submit=False,
        role="search",
        aria_label="Find companions",
        margin_bottom="var(--space-5)",
    )  # fmt: skip


def _join_button(card: rx.Var) -> rx.Component:
    return rx.match(
        card.state,
        ("joined", rx.badge("Joined", color_scheme="green", size="2")),
        ("requested", rx.badge("Requested", color_scheme="amber", size="2")),
        ("invited", rx.link("Invited — answer on the trip", href=card.href, size="2")),
        rx.cond(
            card.can_request,
            rx.button("Request to join", size="2", aria_label="Request to join " + card.title,
                      on_click=S.request_join(card.trip_id)),
            rx.fragment(),
        ),
    )  # fmt: skip


def trip_card(card: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.hstack(
                    small_avatar(card.owner_avatar_url, card.owner_initial, "2.5rem"),
                    rx.vstack(
                        rx.link(card.owner_name, href=card.owner_href, weight="medium"),
                        rx.text("@", card.owner_username, size="1", color_scheme="gray"),
                        spacing="0",
                    ),
                    rx.cond(card.owner_is_buddy, rx.badge("Buddy", variant="soft")),
                    spacing="2", align="center",
                ),
                rx.heading(rx.link(card.title, href=card.href), as_="h2", size="4"),
                rx.text(card.dates, size="2"),
                rx.text(card.cities, size="2", color_scheme="gray"),
                rx.text(card.companions, size="2", color_scheme="gray"),
                rx.cond(
                    card.highlights.length() > 0,
                    rx.vstack(
                        rx.text("Highlights", size="2", weight="medium"),
                        rx.el.ul(
                            rx.foreach(card.highlights, lambda h: rx.el.li(
                                rx.link(h.title, href=h.href, size="2"))),
                            margin="0", padding_left="var(--space-4)",
                        ),
                        spacing="1",
                    ),
                ),
                rx.hstack(
                    rx.link("View trip", href=card.href, size="2",
                            aria_label="View trip " + card.title),
                    _join_button(card),
                    spacing="4", align="center",
                ),
                spacing="2", align="start",
            ),
        ),
        key=card.trip_id,
    )  # fmt: skip


def trip_cards() -> rx.Component:
    empty = rx.match(
        S.tab,
        ("discover", "No completed public trips to discover yet."),
        ("suggested", "No suggestions yet: add interests and visited cities to your profile."),
        "No trips match this city and these dates.",
    )
    return rx.cond(
        S.loaded,
        rx.vstack(
            rx.cond(S.error != "", rx.callout(S.error, icon="triangle_alert", color_scheme="red",
                                              role="alert")),
            rx.cond(
                S.cards.length() > 0,
                rx.el.ul(
                    rx.foreach(S.cards, trip_card),
                    aria_label="Trips",
                    list_style="none", padding="0", margin="0",
                    display="grid", gap="var(--space-4)",
                    grid_template_columns="repeat(auto-fill, minmax(18rem, 1fr))",
                ),
                rx.cond((S.tab != "find") | S.searched, rx.text(empty, color_scheme="gray")),
            ),
            rx.cond(S.has_more, rx.button("Load more", variant="soft", on_click=S.load_more)),
            spacing="4", align="stretch",
        ),
        rx.text("Loading…", role="status"),
    )  # fmt: skip
