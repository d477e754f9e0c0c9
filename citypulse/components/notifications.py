"""The header's bell: live unread badge and dropdown (PRODUCT.md §2 Layout, §6.1, §6.9).

Live without polling: `notifications_watcher` re-mounts whenever the user's channel
reports a new notification (`notification_epoch`) or a read/delete in another tab
(`notification_sync`), and when the connection comes back after "Reconnecting…"; each
mount runs its handler, which re-reads from the database.
"""

from __future__ import annotations

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from citypulse.components.buttons import link_button
from citypulse.components.navigation import NOTIFICATIONS_ROUTE
from citypulse.components.notifications_list import notification_list
from citypulse.state.notifications.bell import NotificationBellState as Bell
from citypulse.state.session import UserChannel

BADGE_CAP = 99  # the badge shows "99+" beyond this; the label keeps the real number


def notifications_watcher(on_change: rx.EventHandler) -> rx.Component:
    """Runs `on_change` on mount, on every live notification change and on reconnecting.

    While the connection is down it is not rendered, so coming back mounts it again
    (§6.9: refetch after reconnecting); the key changes with the channel's epochs.
    """
    key = (
        UserChannel.notification_epoch.to_string() + "-" + UserChannel.notification_sync.to_string()
    )
    return rx.cond(
        has_connection_errors,
        rx.fragment(),
        rx.fragment(
            rx.box(on_mount=on_change, display="none", aria_hidden="true"),
            key=key,
        ),
    )


def reconnecting_banner() -> rx.Component:
    """Shown while the live connection is down (Reflex retries with backoff, §6.9)."""
    return rx.cond(
        has_connection_errors,
        rx.callout(
            "Reconnecting…",
            icon="wifi-off",
            color_scheme="amber",
            role="status",
            size="1",
            position="fixed",
            top="var(--space-2)",
            left="50%",
            transform="translateX(-50%)",
            z_index="1000",
        ),
    )


def _badge() -> rx.Component:
    text = rx.cond(Bell.unread > BADGE_CAP, f"{BADGE_CAP}+", Bell.unread.to_string())
    return rx.cond(
        Bell.unread > 0,
        rx.badge(
            text,
            color_scheme="red",
            variant="solid",
            radius="full",
            size="1",
            position="absolute",
            top="-6px",
            right="-8px",
            aria_hidden="true",
        ),
    )


def _dropdown() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("Notifications", as_="h2", size="3"),
            rx.button(
                "Mark all read",
                on_click=Bell.mark_all_read,
                variant="ghost",
                size="1",
                disabled=Bell.unread == 0,
                high_contrast=True,
            ),
            justify="between",
            align="center",
            width="100%",
        ),
        rx.cond(
            Bell.latest.length() > 0,
            notification_list(
                Bell.latest,
                "Latest notifications",
                on_open=Bell.open_item,
                on_mark_read=Bell.mark_read,
                on_delete=Bell.delete,
                compact=True,
            ),
            rx.text("You have no notifications yet.", size="2", color_scheme="gray"),
        ),
        link_button(
            "See all",
            NOTIFICATIONS_ROUTE,
            variant="soft",
            size="1",
            high_contrast=True,
            width="100%",
        ),
        spacing="2",
        width="100%",
    )


def notifications_bell() -> rx.Component:
    """The bell for signed-in viewers: badge, dropdown of the latest ten, live watcher."""
    # Until the first read the count is unknown: saying "0 unread" then would be a guess
    # (and a test or a screen reader taking it for the truth would miss the first toast).
    label = rx.cond(Bell.bell_loaded, f"Notifications, {Bell.unread} unread", "Notifications")
    return rx.fragment(
        rx.popover.root(
            rx.popover.trigger(
                rx.icon_button(
                    rx.icon("bell", aria_hidden="true"),
                    _badge(),
                    variant="ghost",
                    aria_label=label,
                    position="relative",
                    high_contrast=True,
                ),
            ),
            rx.popover.content(
                _dropdown(),
                aria_label="Notifications",
                width="22rem",
                max_width="calc(100vw - 2rem)",
                max_height="70vh",
                overflow_y="auto",
            ),
        ),
        notifications_watcher(Bell.sync),
    )
