"""`/city/[name]` (P): a city's header, stats, categories, featured and all experiences."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.components.recommendation.cards import card_grid
from citypulse.components.trip_travellers import traveller_list
from citypulse.pages.registry import page
from citypulse.state.recommendations.city import CityState as S
from citypulse.state.recommendations.city_live import CityTravellersLive


def _stat(item: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(item.label, size="1", color_scheme="gray"),
            rx.text(item.value, size="6", weight="bold"),
            spacing="0",
        )
    )


def travellers_watcher() -> rx.Component:
    """Re-mounts when the city's channel moves; its on_mount re-reads the travellers."""
    return rx.fragment(
        rx.box(on_mount=S.catch_up_travellers, display="none", aria_hidden="true"),
        key=CityTravellersLive.epoch.to_string(),
    )


def upcoming_travellers() -> rx.Component:
    """People with upcoming trips here that the viewer may see (signed-in viewers only),
    kept up to date live."""
    return rx.cond(
        S.show_travellers,
        rx.el.section(
            travellers_watcher(),
            rx.heading("Upcoming travellers", as_="h2", size="5", margin_bottom="var(--space-3)"),
            rx.cond(S.travellers.length() > 0,
                    traveller_list(S.travellers, "Upcoming travellers"),
                    rx.text("No upcoming trips here yet.", color_scheme="gray")),
            rx.link("See all travellers to " + S.city.name, href=S.travellers_href,
                    display="inline-block", margin_top="var(--space-3)"),
            width="100%",
        ),
    )  # fmt: skip


def city_found() -> rx.Component:
    return rx.vstack(
        page_heading(S.city.name, S.city.region),
        rx.text(S.city.description),
        rx.text(S.city.places, weight="medium"),
        rx.hstack(rx.foreach(S.stats, _stat), spacing="3", wrap="wrap"),
        rx.el.nav(
            rx.hstack(
                rx.link("All", href=S.city.base_href,
                        weight=rx.cond(S.category_id == 0, "bold", "regular")),
                rx.foreach(S.categories, lambda c: rx.link(
                    c.label, href=c.href,
                    weight=rx.cond(S.category_id == c.category_id, "bold", "regular"))),
                spacing="4",
                wrap="wrap",
            ),
            aria_label="Categories",
        ),
        rx.cond(
            S.featured.length() > 0,
            rx.el.section(rx.heading("Featured", as_="h2", size="5",
                                     margin_bottom="var(--space-3)"),
                          card_grid(S.featured), width="100%"),
        ),
        rx.el.section(
            rx.heading("All experiences", as_="h2", size="5", margin_bottom="var(--space-3)"),
            rx.cond(S.items.length() > 0, card_grid(S.items),
                    rx.text("No recommendations here yet.")),
            rx.cond(S.has_more, rx.button("Load more", on_click=S.load_more, variant="soft",
                                          margin_top="var(--space-4)")),
            width="100%",
        ),
        upcoming_travellers(),
        align="start",
        spacing="4",
        width="100%",
    )  # fmt: skip


def city_chooser() -> rx.Component:
    return rx.vstack(
        page_heading("Which city do you mean?"),
        rx.unordered_list(rx.foreach(S.choices, lambda c: rx.list_item(
            rx.link(c.label, href=c.href)))),
    )  # fmt: skip


@page(route="/city/[name]", title="City", access="P", on_load=(S.load,), live_title=S.page_title)
def city_page() -> rx.Component:
    """A city, a chooser when several share the name, or "City not found"."""
    return page_layout(
        rx.box(on_unmount=S.leave, display="none", aria_hidden="true"),
        rx.match(
            S.status,
            ("found", city_found()),
            ("choose", city_chooser()),
            ("missing", rx.vstack(page_heading("City not found"),
                                  rx.text("We don't know a city by that name yet."),
                                  rx.link("Go Home", href="/"))),
            rx.spinner(aria_label="Loading"),
        )
    )  # fmt: skip
