"""The profile's achievements tab (§2.2, §4.7.4): the owner's badges with progress and
dates, others' earned badges only, nothing behind a limited card. The owner's tab
re-reads itself when they unlock a badge (§6.5)."""

from __future__ import annotations

import reflex as rx

from citypulse.components.achievements import tier_sections
from citypulse.state.achievements.profile import ProfileAchievementsState as S
from citypulse.state.session import UserChannel


def _loader() -> rx.Component:
    """Loads on mount and again on the viewer's unlocks (keyed on their channel)."""
    return rx.fragment(
        rx.box(on_mount=S.load, display="none", aria_hidden="true"),
        key=UserChannel.achievements_epoch.to_string(),
    )


def _summary() -> rx.Component:
    return rx.text(
        S.completed,
        " of ",
        S.total,
        " badges earned · ",
        S.points,
        " points",
        rx.cond(S.is_owner, rx.fragment(" · ", rx.link("All achievements", href="/achievements"))),
        size="2",
    )


def _earned_only() -> rx.Component:
    """Someone else's profile: their earned badges, no progress or dates."""
    return rx.cond(
        S.completed > 0,
        tier_sections(S.tiers, owner=False),
        rx.text("No badges yet."),
    )


def achievements_tab() -> rx.Component:
    """The tab's body (its h2 is the panel's): the owner sees every badge, locked ones too."""
    return rx.box(
        _loader(),
        rx.cond(
            S.loaded,
            rx.cond(
                S.visible,
                rx.vstack(
                    _summary(),
                    rx.cond(S.is_owner, tier_sections(S.tiers), _earned_only()),
                    spacing="3",
                    align="stretch",
                ),
                rx.text("This person's badges are not shown."),
            ),
            rx.spinner(aria_label="Loading achievements"),
        ),
    )
