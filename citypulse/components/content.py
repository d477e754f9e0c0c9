"""Building blocks for text-heavy pages: page heading, sections and feature cards."""

from collections.abc import Sequence

import reflex as rx

from citypulse.components.tokens import PROSE_MAX_WIDTH


def page_heading(title: str, subtitle: str = "") -> rx.Component:
    """The single h1 of a page, with an optional lead paragraph."""
    return rx.vstack(
        rx.heading(title, as_="h1", size="8"),
        rx.cond(subtitle != "", rx.text(subtitle, size="4", color_scheme="gray")),
        spacing="2",
        margin_bottom="var(--space-6)",
    )


def section(title: str, *children: rx.Component, section_id: str = "") -> rx.Component:
    """A titled h2 section of prose."""
    return rx.el.section(
        rx.heading(title, as_="h2", size="5", margin_bottom="var(--space-2)"),
        *children,
        id=section_id or None,
        max_width=PROSE_MAX_WIDTH,
        margin_bottom="var(--space-6)",
    )


def paragraph(text: str) -> rx.Component:
    """A body paragraph."""
    return rx.text(text, as_="p", size="3", margin_bottom="var(--space-2)")


def bullet_list(*items: str) -> rx.Component:
    """An unordered list of short strings."""
    return rx.unordered_list(
        *[rx.list_item(item) for item in items], margin_bottom="var(--space-2)"
    )


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


def rich_paragraph(*parts: str | rx.Component) -> rx.Component:
    """A body paragraph mixing plain text with inline components such as links."""
    return rx.text(*parts, as_="p", size="3", margin_bottom="var(--space-2)")


def labelled_list(items: Sequence[tuple[str, str]]) -> rx.Component:
    """An unordered list whose items open with a bold label ("Label. Explanation")."""
    return rx.unordered_list(
        *[rx.list_item(rx.text.strong(f"{label}."), " ", text) for label, text in items],
        margin_bottom="var(--space-2)",
    )


def info_table(headers: tuple[str, str], rows: Sequence[tuple[str, str]]) -> rx.Component:
    """A two-column reference table: a row header on the left, its details on the right."""
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(header) for header in headers])),
        rx.table.body(
            *[
                rx.table.row(rx.table.row_header_cell(label), rx.table.cell(details))
                for label, details in rows
            ]
        ),
        variant="surface",
        margin_bottom="var(--space-3)",
        width="100%",
    )


def last_updated(label: str, iso_date: str) -> rx.Component:
    """A muted "Last updated" line with a machine-readable date, for policy pages."""
    return rx.text(
        "Last updated: ",
        rx.el.time(label, date_time=iso_date),
        size="2",
        color_scheme="gray",
        margin_bottom="var(--space-6)",
    )


def wide_section(title: str, *children: rx.Component, lead: str = "") -> rx.Component:
    """A titled h2 section that spans the full content width (for grids of cards)."""
    return rx.el.section(
        rx.heading(title, as_="h2", size="6", margin_bottom="var(--space-2)"),
        rx.text(lead, size="3", color_scheme="gray", margin_bottom="var(--space-4)")
        if lead
        else rx.fragment(),
        *children,
        margin_bottom="var(--space-8)",
    )


def card_grid_two(*cards: rx.Component) -> rx.Component:
    """A responsive two-column grid, for short sets of cards."""
    return rx.grid(*cards, columns=rx.breakpoints(initial="1", sm="2"), spacing="4")


def detail_card(title: str, text: str, icon: str, points: Sequence[str]) -> rx.Component:
    """A card with an icon, an h3 title, a sentence and a short bullet list."""
    return rx.card(
        rx.vstack(
            rx.icon(icon, size=24, aria_hidden="true"),
            rx.heading(title, as_="h3", size="4"),
            rx.text(text, size="2", color_scheme="gray"),
            rx.unordered_list(
                *[rx.list_item(point) for point in points], font_size="var(--font-size-2)"
            ),
            spacing="2",
        ),
        size="2",
    )


def numbered_steps(steps: Sequence[tuple[str, str]]) -> rx.Component:
    """An ordered list of steps, each a card with a number badge and an h3 title."""
    return rx.el.ol(
        *[
            rx.el.li(
                rx.card(
                    rx.vstack(
                        rx.badge(str(number), size="3", radius="full", aria_hidden="true"),
                        rx.heading(title, as_="h3", size="4"),
                        rx.text(text, size="2", color_scheme="gray"),
                        spacing="2",
                    ),
                    size="2",
                    height="100%",
                )
            )
            for number, (title, text) in enumerate(steps, start=1)
        ],
        display="grid",
        grid_template_columns=rx.breakpoints(
            initial="1fr", xs="repeat(2, 1fr)", md="repeat(4, 1fr)"
        ),
        gap="1rem",
        list_style="none",
        padding="0",
        margin="0",
    )
