"""The dashboard's "Active buddies" panel (§2.2): up to 4 buddies, a green dot for those
active in the last 24 hours (named for screen readers), links to their
profiles; without buddies, a way to find some."""

from __future__ import annotations

import reflex as rx

from citypulse.components.buddies import small_avatar
from citypulse.state.social.active import ActiveBuddiesState as S

ACTIVE_TEXT = "Active in the last 24 hours"


def _dot() -> rx.Component:
    """The green dot, named for screen readers (and on hover)."""
    return rx.box(width="0.8rem", height="0.8rem", border_radius="50%",
                  background="var(--green-9)", border="2px solid var(--color-background)",
                  position="absolute", bottom="0", right="0", role="img",
                  aria_label=ACTIVE_TEXT, title=ACTIVE_TEXT)  # fmt: skip


def _buddy(buddy: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.link(
            rx.hstack(
                rx.box(
                    small_avatar(buddy.avatar_url, buddy.initial, "2.5rem"),
                    rx.cond(buddy.active, _dot()),
                    position="relative",
                ),
                rx.vstack(
                    rx.text(buddy.full_name, weight="medium"),
                    rx.text("@", buddy.username, size="1", color_scheme="gray"),
                    spacing="0",
                ),
                spacing="2",
                align="center",
            ),
            href=buddy.href,
            underline="none",
        ),
    )


def active_buddies_panel() -> rx.Component:
    return rx.el.section(
        rx.heading("Active buddies", as_="h2", size="5", margin_bottom="var(--space-3)"),
        rx.cond(
            S.active_buddies.length() > 0,
            rx.vstack(
                rx.el.ul(
                    rx.foreach(S.active_buddies, _buddy),
                    display="flex", flex_direction="column", gap="var(--space-3)",
                    list_style="none", padding="0", margin="0",
                ),
                rx.link("All buddies", href="/buddies", size="2"),
                spacing="3",
                align="start",
            ),
            rx.cond(
                S.buddies_loaded,
                rx.text("No buddies yet. ",
                        rx.link("Find buddies", href="/buddies?tab=find"),
                        " to see who is around.", color_scheme="gray"),
            ),
        ),
    )  # fmt: skip
