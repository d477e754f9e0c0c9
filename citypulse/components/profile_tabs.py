"""The `?tab=` sections of a full profile: recommendations, history, achievements, and the
owner's saved and liked lists (§2.2)."""

from __future__ import annotations

import reflex as rx

from citypulse.components.achievements_profile import achievements_tab
from citypulse.components.buttons import link_button
from citypulse.components.counts import count_text, rating_text
from citypulse.components.forms import alert
from citypulse.state.profiles.profile import ProfileState


def tab_nav() -> rx.Component:
    """Links that change `?tab=` (each tab is a URL, so Back and sharing work)."""
    return rx.el.nav(
        rx.hstack(
            rx.foreach(
                ProfileState.tabs,
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
        aria_label="Profile sections",
    )


def _more_button() -> rx.Component:
    return rx.cond(
        ProfileState.has_more,
        rx.button("Show more", variant="soft", on_click=ProfileState.load_more),
    )


def recommendation_card(item: rx.Var, *, show_author: bool = False) -> rx.Component:
    """A recommendation as a card; the saved and liked lists also name its author."""
    return rx.el.li(
        rx.card(
            rx.link(
                rx.vstack(
                    rx.cond(
                        item.thumb != "",
                        rx.image(src=item.thumb, alt=item.title, loading="lazy",
                                 decoding="async", custom_attrs={"width": "400", "height": "300"},
                                 style={"width": "100%", "height": "auto",
                                        "aspect_ratio": "4 / 3", "object_fit": "cover",
                                        "border_radius": "var(--radius-2)"}),
                    ),
                    rx.heading(item.title, as_="h3", size="3"),
                    rx.text(item.category, rx.cond(item.city != "", " · " + item.city, ""),
                            size="2", color_scheme="gray"),
                    rx.text(item.author, size="2", color_scheme="gray")
                    if show_author else rx.fragment(),
                    rx.hstack(
                        rx.cond(item.price != "", rx.text(item.price, size="2")),
                        rx.text(rating_text(item.rating, item.ratings_count), size="2"),
                        rx.text(count_text(item.likes, "like", "likes"), size="2",
                                color_scheme="gray"),
                        spacing="3",
                        wrap="wrap",
                    ),
                    rx.hstack(
                        rx.cond(item.visibility != "",
                                rx.badge(item.visibility, variant="soft")),
                        rx.cond(item.is_removed,
                                rx.badge("Removed by a moderator", color_scheme="red")),
                        spacing="2",
                    ),
                    spacing="2",
                    align="stretch",
                ),
                href="/recommendations/" + item.id.to(str),
                underline="none",
                color="inherit",
            ),
            height="100%",
        ),
    )  # fmt: skip


def card_list(items: rx.Var, *, show_author: bool = False) -> rx.Component:
    """The tabs' responsive grid of cards."""
    return rx.el.ul(
        rx.foreach(items, lambda item: recommendation_card(item, show_author=show_author)),
        display="grid",
        grid_template_columns="repeat(auto-fill, minmax(min(15rem, 100%), 1fr))",
        gap="var(--space-4)",
        list_style="none",
        padding="0",
        margin="0",
    )


def recommendations_panel() -> rx.Component:
    return rx.vstack(
        rx.heading("Recommendations", as_="h2", size="5"),
        rx.cond(
            ProfileState.cards.length() > 0,
            card_list(ProfileState.cards),
            rx.vstack(
                rx.text("No recommendations yet."),
                rx.cond(
                    ProfileState.is_owner,
                    link_button("Add a recommendation", "/recommendations/create", variant="soft"),
                ),
                align="start",
            ),
        ),
        _more_button(),
        spacing="3",
        align="stretch",
    )


def _history_trip(trip: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.text(trip.dates, " · ", trip.role, size="1", color_scheme="gray"),
        rx.link(trip.title, href=trip.href, weight="medium"),
        rx.text(trip.cities, size="2"),
        padding_left="var(--space-3)",
        border_left="2px solid var(--accent-7)",
        padding_bottom="var(--space-3)",
    )


def completed_trips_section() -> rx.Component:
    """The visible completed trips, newest first (the service applies the trip rule)."""
    return rx.el.section(
        rx.heading("Completed trips", as_="h3", size="4", margin_bottom="var(--space-2)"),
        rx.cond(
            ProfileState.trips.length() > 0,
            rx.el.ol(rx.foreach(ProfileState.trips, _history_trip), aria_label="Completed trips",
                     list_style="none", padding="0", margin="0"),
            rx.text("No completed trips yet."),
        ),
    )  # fmt: skip


def history_panel() -> rx.Component:
    """Cities visited as a timeline, newest dated visit first, then completed trips."""
    return rx.vstack(
        rx.heading("Travel history", as_="h2", size="5"),
        rx.heading("Cities", as_="h3", size="4"),
        rx.cond(
            ProfileState.cities.length() > 0,
            rx.el.ol(
                rx.foreach(
                    ProfileState.cities,
                    lambda city: rx.el.li(
                        rx.text(
                            rx.cond(city.month != "", city.month, "Date not set"),
                            size="1",
                            color_scheme="gray",
                        ),
                        rx.link(city.label, href=city.href, weight="medium"),
                        padding_left="var(--space-3)",
                        border_left="2px solid var(--accent-7)",
                        padding_bottom="var(--space-3)",
                    ),
                ),
                list_style="none",
                padding="0",
                margin="0",
            ),
            rx.text("No cities yet."),
        ),
        completed_trips_section(),
        spacing="3",
        align="stretch",
    )


def achievements_panel() -> rx.Component:
    """The badges (components/achievements_profile.py loads them as the tab opens)."""
    return rx.vstack(
        rx.heading("Achievements", as_="h2", size="5"),
        achievements_tab(),
        spacing="3",
        align="stretch",
    )


def interaction_panel(title: str, empty: str) -> rx.Component:
    """The owner's saved or liked recommendations (private lists), as cards."""
    return rx.vstack(
        rx.heading(title, as_="h2", size="5"),
        rx.text("Only you can see this list.", size="2", color_scheme="gray"),
        rx.cond(
            ProfileState.entries.length() > 0,
            card_list(ProfileState.entries, show_author=True),
            rx.text(empty),
        ),
        _more_button(),
        spacing="3",
        align="stretch",
    )


def tab_panel() -> rx.Component:
    return rx.box(
        alert(ProfileState.tab_error),
        rx.match(
            ProfileState.tab,
            ("history", history_panel()),
            ("achievements", achievements_panel()),
            ("saved", interaction_panel("Saved", "Nothing saved yet.")),
            ("liked", interaction_panel("Liked", "No liked recommendations yet.")),
            recommendations_panel(),
        ),
        padding_top="var(--space-4)",
    )
