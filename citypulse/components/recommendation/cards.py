"""Recommendation cards used by lists (city page, profile)."""

import reflex as rx

from citypulse.components.counts import rating_text


def recommendation_card(item: rx.Var) -> rx.Component:
    """Photo, title, city, category, price and rating, linking to the detail page.

    `item` is a `state.recommendations.views.CardView`.
    """
    return rx.card(
        rx.link(
            rx.vstack(
                rx.cond(
                    item.thumb != "",
                    # The 400×300 thumbnail, its size known up front, fetched when near.
                    rx.image(src=item.thumb, alt=item.title, loading="lazy", decoding="async",
                             custom_attrs={"width": "400", "height": "300"},
                             style={"width": "100%", "height": "150px", "object_fit": "cover"}),
                    rx.center(rx.icon("image-off", aria_hidden="true"), height="150px",
                              width="100%", background="var(--gray-a3)"),
                ),
                rx.heading(item.title, as_="h3", size="3"),
                rx.text(item.category, " · ", item.city, size="1", color_scheme="gray"),
                rx.hstack(
                    rx.text(rating_text(item.rating, item.ratings_count), size="2"),
                    rx.text(item.price, size="2"),
                    justify="between",
                    width="100%",
                ),
                align="start",
                spacing="2",
            ),
            href="/recommendations/" + item.id.to(str),
            underline="none",
            color="inherit",
        ),
    )  # fmt: skip


def card_grid(items) -> rx.Component:
    """A responsive grid of recommendation cards."""
    return rx.grid(
        rx.foreach(items, recommendation_card),
        columns=rx.breakpoints(initial="1", sm="2", md="3"),
        spacing="4",
        width="100%",
    )
