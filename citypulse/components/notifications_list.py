"""A notification row, as the header's dropdown and the /notifications page list it.

Clicking the title marks the notification read and opens its link; the row's own
buttons mark it read or delete it. Unread rows say so in words, not only by colour.
"""

from __future__ import annotations

import reflex as rx

from citypulse.components.moment import moment
from citypulse.state.notifications.views import GROUP_ICONS


def _icon(name: rx.Var) -> rx.Component:
    """The type group's icon (decorative: the title says what happened)."""
    icons = [(icon, rx.icon(icon, size=18, aria_hidden="true")) for icon in GROUP_ICONS.values()]
    return rx.box(rx.match(name, *icons, rx.icon("info", size=18, aria_hidden="true")),
                  flex_shrink="0", margin_top="2px")  # fmt: skip


def notification_row(
    item: rx.Var, *, on_open, on_mark_read, on_delete, compact: bool = False
) -> rx.Component:
    """One row; `on_open`, `on_mark_read`, `on_delete` take the notification's id."""
    title_size = "2" if compact else "3"
    return rx.el.li(
        rx.hstack(
            _icon(item.icon),
            rx.vstack(
                rx.el.button(
                    rx.text(
                        item.title, weight=rx.cond(item.unread, "bold", "regular"), size=title_size
                    ),
                    on_click=on_open(item.id),
                    class_name="notification-open",
                    text_align="left",
                    background="none",
                    border="none",
                    padding="0",
                    cursor="pointer",
                    color="inherit",
                ),
                rx.cond(
                    compact,
                    rx.fragment(),
                    rx.text(item.message, size="2", color_scheme="gray", high_contrast=True),
                ),
                rx.hstack(
                    rx.cond(item.unread, rx.badge("Unread", color_scheme="teal", variant="soft")),
                    # High contrast: grey text on an unread row's tint is below 4.5:1 (axe).
                    rx.text(
                        moment(item.when_iso, item.when),
                        size="1",
                        color_scheme="gray",
                        high_contrast=True,
                    ),
                    spacing="2",
                    align="center",
                ),
                spacing="1",
                align="start",
                flex="1",
                min_width="0",
            ),
            rx.hstack(
                rx.cond(
                    item.unread,
                    rx.icon_button(
                        rx.icon("check", size=16, aria_hidden="true"),
                        on_click=on_mark_read(item.id),
                        aria_label="Mark as read: " + item.title,
                        variant="ghost",
                        size="1",
                        high_contrast=True,
                    ),
                ),
                rx.icon_button(
                    rx.icon("trash-2", size=16, aria_hidden="true"),
                    on_click=on_delete(item.id),
                    aria_label="Delete notification: " + item.title,
                    variant="ghost",
                    size="1",
                    color_scheme="gray",
                    high_contrast=True,
                ),
                spacing="1",
                flex_shrink="0",
            ),
            align="start",
            spacing="3",
            width="100%",
            padding_y="var(--space-2)",
            border_bottom="1px solid var(--gray-a4)",
            background=rx.cond(item.unread, "var(--accent-a2)", "transparent"),
            padding_x="var(--space-2)",
        ),
        list_style="none",
    )


def notification_list(items: rx.Var, label: str, **row_props) -> rx.Component:
    """The rows of `items` as a labelled list."""
    return rx.el.ul(
        rx.foreach(items, lambda item: notification_row(item, **row_props)),
        aria_label=label,
        padding="0",
        margin="0",
        width="100%",
    )
