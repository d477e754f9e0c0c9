"""`/search` (A): query, filters and sort, tabs with counts, results, recent and saved
searches (PRODUCT.md §2.2, §4.10)."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.components.search_form import (
    form_errors,
    recent_searches,
    saved_searches,
    search_form,
)
from citypulse.components.search_results import (
    did_you_mean,
    no_results,
    results,
    suggestion_chips,
    tabs,
    view_toggle,
)
from citypulse.pages.registry import page
from citypulse.state.search.page import SearchState as S


def _main() -> rx.Component:
    return rx.vstack(
        search_form(),
        form_errors(),
        did_you_mean(),
        rx.cond(
            (S.status == "results") | (S.status == "empty"),
            rx.hstack(tabs(), view_toggle(), justify="between", align="center", width="100%",
                      wrap="wrap"),
        ),
        rx.match(
            S.status,
            ("results", results()),
            ("empty", no_results()),
            ("suggest", rx.vstack(rx.text("Try one of these:"), suggestion_chips(),
                                  align="start")),
            ("invalid", rx.fragment()),
            rx.spinner(aria_label="Loading results"),
        ),
        spacing="4",
        width="100%",
        align="start",
    )  # fmt: skip


@page(route="/search", title="Search", access="A", on_load=(S.load,))
def search_page() -> rx.Component:
    """Search places, people and cities."""
    return page_layout(
        page_heading("Search"),
        rx.grid(
            _main(),
            rx.vstack(recent_searches(), saved_searches(), spacing="5", width="100%"),
            columns=rx.breakpoints(initial="1", lg="3fr 1fr"),
            spacing="6",
            width="100%",
        ),
    )
