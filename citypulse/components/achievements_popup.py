"""The celebration pop-up every signed-in page carries (§4.7.3, §6.5).

A watcher keyed on the user's channel re-mounts when they unlock badges; its handler
asks the server to claim them, and only the tab that wins shows this pop-up. It is
non-modal (a corner panel, announced politely, focus stays where it was) so it never
blocks what the person was doing; "Close" dismisses it.
"""

from __future__ import annotations

import reflex as rx

from citypulse.components.achievements import badge_icon, tier_badge
from citypulse.components.buttons import link_button
from citypulse.state.achievements.popup import AchievementPopupState as Popup
from citypulse.state.session import SessionState, UserChannel

POPUP_TITLE = "Achievement unlocked"


def _watcher() -> rx.Component:
    return rx.fragment(
        rx.fragment(
            rx.box(on_mount=Popup.check, display="none", aria_hidden="true"),
            key=UserChannel.achievements_epoch.to_string(),
        ),
        # Which unlock this tab has answered: tests wait for every tab to have decided.
        rx.box(data_unlocks_handled=Popup.handled.to_string(), display="none", aria_hidden="true"),
    )


def _unlock(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.center(
                badge_icon(item.icon, size=22),
                width="2.5rem", height="2.5rem", border_radius="50%", flex_shrink="0",
                background="var(--accent-4)", color="var(--accent-11)",
            ),
            rx.vstack(
                rx.hstack(rx.text(item.name, weight="bold"), tier_badge(item.tier),
                          spacing="2", align="center", wrap="wrap"),
                rx.text(item.description, " · ", item.points, " points", size="2"),
                spacing="1",
                align="start",
            ),
            spacing="3",
            align="center",
        ),
    )  # fmt: skip


def _panel() -> rx.Component:
    """A named region (not a dialog: it takes no focus and blocks nothing)."""
    return rx.el.section(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.icon("party-popper", aria_hidden="true", color="var(--accent-11)"),
                    rx.heading(POPUP_TITLE, as_="h2", size="4", id="achievement-popup-title"),
                    spacing="2",
                    align="center",
                ),
                rx.el.ul(
                    rx.foreach(Popup.unlocks, _unlock),
                    list_style="none",
                    padding="0",
                    margin="0",
                    display="flex",
                    flex_direction="column",
                    gap="var(--space-3)",
                ),
                rx.hstack(
                    link_button("See your achievements", "/achievements", size="2"),
                    rx.button("Close", on_click=Popup.dismiss, variant="soft", size="2"),
                    spacing="2",
                    wrap="wrap",
                ),
                spacing="3",
                align="stretch",
            ),
            position="fixed",
            left="var(--space-4)",
            bottom=rx.breakpoints(initial="5rem", md="var(--space-4)"),  # above the bottom nav
            width="min(24rem, calc(100vw - 2rem))",
            z_index="900",
            box_shadow="var(--shadow-5)",
        ),
        aria_labelledby="achievement-popup-title",
    )


def achievement_popup() -> rx.Component:
    """The watcher and, when this tab won an unlock, the pop-up (signed-in pages)."""
    return rx.cond(
        SessionState.signed_in,
        rx.fragment(
            _watcher(),
            rx.box(rx.cond(Popup.popup_open, _panel()), role="status", aria_live="polite"),
        ),
    )
