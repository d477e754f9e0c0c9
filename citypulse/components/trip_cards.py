"""/trips: the filter links with counts, trip cards and invitations (§2.2)."""

from __future__ import annotations

import reflex as rx

from citypulse.state.trips.lists import MyTripsState as S


def filter_nav() -> rx.Component:
    return rx.el.nav(
        rx.hstack(
            rx.foreach(
                S.filters,
                lambda f: rx.link(
                    f.label,
                    rx.badge(f.count, variant="soft", radius="full", margin_left="0.4rem"),
                    href=f.href,
                    aria_current=rx.cond(f.is_current, "page", "false"),
                    weight=rx.cond(f.is_current, "bold", "regular"),
                    underline=rx.cond(f.is_current, "always", "hover"),
                    padding_y="var(--space-2)",
                ),
            ),
            spacing="5",
            wrap="wrap",
            border_bottom="1px solid var(--gray-5)",
        ),
        aria_label="Filter trips by status",
        margin_bottom="var(--space-4)",
    )


def counts() -> rx.Component:
    def stat(label: str, value) -> rx.Component:
        return rx.card(
            rx.vstack(
                rx.text(label, size="2", color_scheme="gray"),
                rx.text(value, size="6", weight="bold"),
                spacing="0",
            )
        )

    return rx.vstack(
        rx.hstack(
            stat("Planning", S.planning),
            stat("Active", S.active),
            stat("Completed", S.completed),
            spacing="3",
            wrap="wrap",
        ),
        rx.text(S.summary, size="2", color_scheme="gray"),
        spacing="2",
        margin_bottom="var(--space-4)",
    )


def trip_card(card) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.cond(
                card.cover_url != "",
                rx.image(
                    src=card.cover_url,
                    alt="",
                    width="100%",
                    height="6rem",
                    object_fit="cover",
                    border_radius="var(--radius-2)",
                ),
            ),
            rx.heading(rx.link(card.title, href=card.href), as_="h3", size="4"),
            rx.text(card.dates_label, size="2"),
            rx.cond(card.cities_label != "", rx.text(card.cities_label, size="2")),
            rx.hstack(
                rx.badge(card.status_label, variant="soft"),
                rx.badge(card.visibility_label, variant="outline"),
                rx.cond(card.role_label != "", rx.badge(card.role_label, color_scheme="gray")),
                rx.text(card.members_label, size="1", color_scheme="gray"),
                spacing="2",
                wrap="wrap",
                align="center",
            ),
            rx.cond(
                card.is_owner,
                rx.link(
                    "Edit", href=card.href + "/edit", size="2", aria_label="Edit " + card.title
                ),
            ),
            spacing="2",
            align="start",
        ),
        width="100%",
    )


def trip_grid(cards) -> rx.Component:
    return rx.grid(
        rx.foreach(cards, trip_card),
        columns=rx.breakpoints(initial="1", sm="2", lg="3"),
        spacing="4",
        width="100%",
    )
