"""Building blocks for text-heavy pages: page heading, sections and feature cards."""

import reflex as rx

from citypulse.components.tokens import PROSE_MAX_WIDTH


def page_heading(title: str, subtitle: str = "") -> rx.Component:
    """The single h1 of a page, with an optional lead paragraph."""
    return rx.vstack(
        rx.heading(title, as_="h1", size="8"),
        rx.cond(subtitle != "", rx.text(subtitle, size="4", color_scheme="gray")),
        spacing="2",
        margin_bottom="6",
    )


def section(title: str, *children: rx.Component, section_id: str = "") -> rx.Component:
    """A titled h2 section of prose."""
    return rx.el.section(
        rx.heading(title, as_="h2", size="5", margin_bottom="2"),
        *children,
        id=section_id or None,
        max_width=PROSE_MAX_WIDTH,
        margin_bottom="6",
    )


def paragraph(text: str) -> rx.Component:
    """A body paragraph."""
    return rx.text(text, as_="p", size="3", margin_bottom="2")


def bullet_list(*items: str) -> rx.Component:
    """An unordered list of short strings."""
    return rx.unordered_list(*[rx.list_item(item) for item in items], margin_bottom="2")


def feature_card(title: str, text: str, icon: str) -> rx.Component:
    """A card with an icon, an h3 title and a sentence, used in feature grids."""
    return rx.card(
        rx.vstack(
            rx.icon(icon, size=24, aria_hidden="true"),
            rx.heading(title, as_="h3", size="4"),
            rx.text(text, size="2", color_scheme="gray"),
            spacing="2",
        ),
        size="2",
    )


def feature_grid(*cards: rx.Component) -> rx.Component:
    """A responsive grid of feature cards."""
    return rx.grid(*cards, columns=rx.breakpoints(initial="1", sm="2", md="3"), spacing="4")
