"""Settings → Blocked users (§2.2): the people the viewer blocked, each with Unblock.

The same list, handler and keyset paging as the /buddies blocked tab (`BuddiesState`,
opened with `show_blocked` by the settings page)."""

from __future__ import annotations

import reflex as rx

from citypulse.components.buddies_tabs import action_messages, tab_list


def blocked_users_section() -> rx.Component:
    return rx.box(
        action_messages(),
        tab_list("blocked"),
        rx.text("Blocked people cannot see your profile or content, or send you requests. "
                "Unblocking does not make you buddies again.", size="2", color_scheme="gray",
                margin_top="var(--space-2)"),
        class_name="settings-section",
    )  # fmt: skip
