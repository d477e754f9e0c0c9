"""The dashboard's feed (§2.2, §4.9): tabs, trending window, category chips, refresh,
the live "N new posts" pill and the infinitely scrolling list of cards."""

from __future__ import annotations

import reflex as rx

from citypulse.components.feed_card import feed_card
from citypulse.components.feed_trip_card import feed_trip_card
from citypulse.components.infinite_scroll import scroll_sentinel
from citypulse.state.feed.live import FeedChannel
from citypulse.state.feed.page import PAGE_VARS
from citypulse.state.feed.page import FeedState as S
from citypulse.state.feed.views import FeedCardView


def _toggle(label, pressed, on_click, **props) -> rx.Component:
    return rx.button(
        label,
        on_click=on_click,
        aria_pressed=rx.cond(pressed, "true", "false"),
        variant=rx.cond(pressed, "solid", "soft"),
        **props,
    )


def feed_tabs() -> rx.Component:
    return rx.el.div(
        rx.foreach(S.tabs, lambda tab: _toggle(tab.label, S.tab == tab.key, S.show_tab(tab.key))),
        role="group",
        aria_label="Feed",
        display="flex",
        gap="var(--space-2)",
        flex_wrap="wrap",
    )


def trending_window() -> rx.Component:
    return rx.cond(
        S.tab == "trending",
        rx.el.div(
            _toggle("This week", S.window == 7, S.show_window("7"), size="1"),
            _toggle("This month", S.window == 30, S.show_window("30"), size="1"),
            role="group",
            aria_label="Trending period",
            display="flex",
            gap="var(--space-2)",
        ),
    )


def category_chips() -> rx.Component:
    return rx.el.div(
        _toggle("All", S.category_id == 0, S.show_category(0), size="1", radius="full"),
        rx.foreach(
            S.chips,
            lambda chip: _toggle(chip.name, S.category_id == chip.id, S.show_category(chip.id),
                                 size="1", radius="full"),
        ),
        role="group",
        aria_label="Categories",
        display="flex",
        gap="var(--space-2)",
        flex_wrap="wrap",
    )  # fmt: skip


def new_posts_pill() -> rx.Component:
    """Appears when posts this list would show were published; click starts over on top."""
    return rx.el.div(
        rx.cond(
            S.new_posts > 0,
            rx.button(rx.icon("arrow-up", aria_hidden="true"), S.new_posts_label,
                      on_click=S.refresh, radius="full"),
        ),
        role="status",
        display="flex",
        justify_content="center",
    )  # fmt: skip


def new_posts_watcher() -> rx.Component:
    """Re-counts new posts whenever the feed channel's epoch moves (no polling)."""
    return rx.fragment(
        rx.fragment(
            rx.box(on_mount=S.check_new, display="none", aria_hidden="true"),
            key=FeedChannel.posts_epoch.to_string(),
        ),
        rx.box(on_unmount=S.leave, display="none", aria_hidden="true"),
    )


def _empty() -> rx.Component:
    return rx.cond(
        S.tab == "buddies",
        rx.text("Your buddies have not posted yet. ",
                rx.link("Find buddies", href="/buddies?tab=find"), "."),
        rx.cond(
            S.tab == "trending",
            rx.text("Nothing is trending in this period yet."),
            rx.text("Nothing for you yet. ", rx.link("Add interests", href="/settings"),
                    " or ", rx.link("find buddies", href="/buddies?tab=find"),
                    " to fill your feed."),
        ),
    )  # fmt: skip


@rx.memo
def feed_cards_page(cards: rx.Var[list[FeedCardView]]) -> rx.Component:
    """One page of the list: a memo, so a new page renders its own cards only (and the
    card template is compiled once, not once per page var)."""
    return rx.fragment(
        rx.foreach(cards, lambda item: rx.cond(
            item.kind == "trip", feed_trip_card(item), feed_card(item))),
    )  # fmt: skip


def feed_list() -> rx.Component:
    pages = [feed_cards_page(cards=getattr(S, name)) for name in PAGE_VARS]
    return rx.box(
        rx.cond(
            S.page_0.length() > 0,  # the first page is empty only when the list is
            rx.el.ul(
                *pages,
                aria_label="Recommendations",
                class_name="feed-list",
                list_style="none",
                padding="0",
                margin="0",
                display="grid",
                grid_template_columns="repeat(auto-fill, minmax(16rem, 1fr))",
                gap="var(--space-4)",
            ),
            rx.cond(S.loaded, _empty()),
        ),
        rx.cond(
            S.has_more,
            scroll_sentinel(S.load_more),
            rx.cond(
                S.loaded & (S.page_0.length() > 0),
                rx.text("You're all caught up", color_scheme="gray", text_align="center",
                        margin_top="var(--space-4)"),
            ),
        ),
        rx.cond(S.error != "", rx.text(S.error, color_scheme="red", role="alert")),
    )  # fmt: skip


def feed_section() -> rx.Component:
    return rx.el.section(
        rx.hstack(
            rx.heading("Your feed", as_="h2", size="5"),
            rx.button(rx.icon("refresh-cw", aria_hidden="true"), "Refresh", variant="ghost",
                      on_click=S.refresh),
            justify="between",
            align="center",
            width="100%",
        ),
        rx.vstack(feed_tabs(), trending_window(), category_chips(), new_posts_pill(),
                  spacing="3", margin_y="var(--space-3)", width="100%"),
        feed_list(),
        new_posts_watcher(),
        aria_label="Your feed",
        min_width="0",
    )  # fmt: skip
