"""The live preview beside the recommendation form: what the card will look like."""

from __future__ import annotations

import reflex as rx


def _primary_photo(S) -> rx.Component:
    return rx.foreach(
        S.photos,
        lambda photo: rx.cond(
            photo.primary,
            rx.image(src=photo.preview, alt="Primary photo preview", width="100%",
                     height="160px", object_fit="cover", border_radius="var(--radius-2)"),
        ),
    )  # fmt: skip


def preview_panel(S) -> rx.Component:
    """Title, category, city, price and tags as they will be shown."""
    return rx.el.aside(
        rx.card(
            rx.vstack(
                rx.heading("Live preview", as_="h2", size="4", id="rec-preview-heading"),
                _primary_photo(S),
                rx.heading(
                    rx.cond(S.preview_title != "", S.preview_title, "Your place's name"),
                    as_="h3", size="5",
                ),
                rx.flex(
                    rx.cond(S.preview_category != "", rx.badge(S.preview_category)),
                    rx.cond(S.city_text != "", rx.text(S.city_text, size="2")),
                    gap="var(--space-2)", wrap="wrap", align="center",
                ),
                rx.cond(S.preview_price != "",
                        rx.text("Price: ", S.preview_price, size="2", weight="medium")),
                rx.flex(
                    rx.foreach(S.preview_tags, lambda tag: rx.badge("#" + tag, variant="soft")),
                    gap="var(--space-1)", wrap="wrap",
                ),
                spacing="3", align="stretch",
            ),
        ),
        aria_labelledby="rec-preview-heading",
        position=rx.breakpoints(initial="static", md="sticky"),
        top="var(--space-4)",
        width=rx.breakpoints(initial="100%", md="20rem"),
        flex_shrink="0",
    )  # fmt: skip
