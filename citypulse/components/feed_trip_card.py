"""A trip card of the feed (§2.2 /dashboard): cover, title, dates, cities, companions,
status; the title and "View trip" open the trip page (its own access rule applies)."""

from __future__ import annotations

import reflex as rx


def _cover(item: rx.Var) -> rx.Component:
    return rx.cond(
        item.thumb != "",
        rx.image(src=item.thumb, alt="", loading="lazy", decoding="async",
                 custom_attrs={"width": "600", "height": "200"},
                 style={"width": "100%", "height": "160px", "object_fit": "cover"}),
        rx.center(rx.icon("map", aria_hidden="true"), height="160px", width="100%",
                  background="var(--accent-a3)"),
    )  # fmt: skip


def feed_trip_card(item: rx.Var) -> rx.Component:
    """`item` is a `state.feed.views.FeedCardView` of kind "trip"."""
    return rx.el.li(
        rx.card(
            rx.vstack(
                _cover(item),
                rx.hstack(
                    rx.badge("Trip", variant="soft"),
                    rx.badge(item.status, color_scheme="gray", variant="surface"),
                    spacing="2",
                ),
                rx.heading(rx.link(item.title, href=item.href), as_="h3", size="3"),
                rx.text("by ", rx.link(item.author_name, href="/profile/" + item.author_username),
                        size="2"),
                rx.text(item.dates, size="2"),
                rx.text(item.cities, size="2", color_scheme="gray"),
                rx.text(item.companions, size="2", color_scheme="gray"),
                rx.link("View trip", href=item.href, size="2",
                        aria_label="View trip " + item.title),
                align="start",
                spacing="2",
            ),
            height="100%",
        ),
        class_name="feed-card feed-trip-card",
    )  # fmt: skip
