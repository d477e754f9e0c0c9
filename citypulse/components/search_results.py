"""/search results: tabs with counts, place/person/city cards, grid or list."""

from __future__ import annotations

import reflex as rx

from citypulse.components.counts import rating_text
from citypulse.components.recommendation.cards import recommendation_card
from citypulse.state.search.page import SUGGESTION_CHIPS, chip_href
from citypulse.state.search.page import SearchState as S


def tabs() -> rx.Component:
    return rx.el.nav(
        rx.hstack(
            rx.foreach(
                S.tabs,
                lambda tab: rx.link(
                    tab.label, " (", tab.count, ")",
                    href=tab.href,
                    aria_current=rx.cond(tab.active, "page", "false"),
                    weight=rx.cond(tab.active, "bold", "regular"),
                    underline=rx.cond(tab.active, "always", "hover"),
                ),
            ),
            spacing="4",
            wrap="wrap",
        ),
        aria_label="Result types",
    )  # fmt: skip


def view_toggle() -> rx.Component:
    def button(value: str, icon: str, label: str) -> rx.Component:
        return rx.icon_button(
            rx.icon(icon, size=16, aria_hidden="true"),
            on_click=S.set_view(value),
            aria_label=label,
            aria_pressed=rx.cond(S.view == value, "true", "false"),
            variant=rx.cond(S.view == value, "solid", "soft"),
            type="button",
        )

    return rx.hstack(button("grid", "layout-grid", "Grid view"),
                     button("list", "list", "List view"), spacing="1")  # fmt: skip


def _place_row(item: rx.Var) -> rx.Component:
    card = item.card
    return rx.card(
        rx.link(
            rx.hstack(
                rx.heading(card.title, as_="h3", size="3"),
                rx.text(card.category, " · ", card.city, size="2", color_scheme="gray"),
                rx.text(rating_text(card.rating, card.ratings_count), size="2"),
                rx.text(card.price, size="2"),
                rx.cond(item.distance != "", rx.badge(item.distance)),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            href="/recommendations/" + card.id.to(str),
            underline="none",
            color="inherit",
        ),
        width="100%",
    )


def _place_tile(item: rx.Var) -> rx.Component:
    return rx.box(
        recommendation_card(item.card),
        rx.cond(item.distance != "", rx.badge(item.distance, margin_top="var(--space-1)")),
    )


def places_list() -> rx.Component:
    return rx.cond(
        S.view == "list",
        rx.vstack(rx.foreach(S.places, _place_row), spacing="2", width="100%"),
        rx.grid(
            rx.foreach(S.places, _place_tile),
            columns=rx.breakpoints(initial="1", sm="2", md="3"),
            spacing="4",
            width="100%",
        ),
    )


def _person(person: rx.Var) -> rx.Component:
    return rx.card(
        rx.link(
            rx.hstack(
                rx.avatar(src=person.avatar, fallback=person.full_name[:1], size="3", alt=""),
                rx.vstack(
                    rx.text(person.full_name, weight="bold"),
                    rx.text("@", person.username, size="2", color_scheme="gray"),
                    rx.cond(person.bio != "", rx.text(person.bio, size="2")),
                    rx.cond(person.limited, rx.text("Limited profile", size="1",
                                                    color_scheme="gray")),
                    spacing="0",
                    align="start",
                ),
                spacing="3",
                align="center",
            ),
            href=person.href,
            underline="none",
            color="inherit",
        ),
        width="100%",
    )  # fmt: skip


def _city(city: rx.Var) -> rx.Component:
    return rx.card(
        rx.link(
            rx.hstack(rx.icon("map-pin", size=16, aria_hidden="true"), rx.text(city.label),
                      spacing="2", align="center"),
            href=city.href,
            underline="none",
            color="inherit",
        ),
        width="100%",
    )  # fmt: skip


def _section(title: str, kind: str, items: rx.Var, body: rx.Component) -> rx.Component:
    """A kind's results; on the All tab with its "See all" link."""
    see_all = rx.foreach(
        S.tabs,
        lambda tab: rx.cond(
            (tab.kind == kind) & (S.kind == "all"),
            rx.link("See all ", title.lower(), href=tab.href),
        ),
    )
    return rx.cond(
        items.length() > 0,
        rx.el.section(
            rx.hstack(rx.heading(title, as_="h2", size="4"), see_all, justify="between",
                      align="center", width="100%", margin_bottom="var(--space-2)"),
            body,
            width="100%",
        ),
    )  # fmt: skip


def suggestion_chips() -> rx.Component:
    return rx.hstack(
        *[rx.link(rx.badge(label, size="2", variant="soft"), href=chip_href(label))
          for label in SUGGESTION_CHIPS],
        rx.link(rx.badge("All cities", size="2", variant="outline"), href="/search?type=cities"),
        spacing="2",
        wrap="wrap",
        role="group",
        aria_label="Suggestions",
    )  # fmt: skip


def results() -> rx.Component:
    people = rx.grid(rx.foreach(S.people, _person), columns=rx.breakpoints(initial="1", md="2"),
                     spacing="3", width="100%")  # fmt: skip
    cities = rx.grid(rx.foreach(S.cities, _city), columns=rx.breakpoints(initial="1", md="3"),
                     spacing="3", width="100%")  # fmt: skip
    return rx.vstack(
        _section("Places", "recommendations", S.places, places_list()),
        _section("People", "users", S.people, people),
        _section("Cities", "cities", S.cities, cities),
        rx.cond(S.has_more, rx.button("Load more", on_click=S.load_more, variant="soft")),
        spacing="5",
        width="100%",
        align="start",
    )


def no_results() -> rx.Component:
    return rx.vstack(
        rx.heading("No results found", as_="h2", size="5"),
        rx.text("Check the spelling, use fewer words or filters, or try one of these:"),
        suggestion_chips(),
        align="start",
        spacing="3",
        role="status",
    )


def did_you_mean() -> rx.Component:
    return rx.cond(
        S.showing_for != "",
        rx.callout(
            rx.text("No results for “", S.q, "”. Did you mean ",
                    rx.el.strong(S.showing_for), "? Showing results for it."),
            icon="info",
            role="status",
        ),
    )  # fmt: skip
