"""Badges, tiers and "Recently earned" as /achievements and the profile tab show them.

Locked badges are greyed out AND say "Locked" (not colour only); the progress chart is
one labelled progress bar per tier (a progressbar with its numbers as its name, and the
same numbers in text), so it needs no separate text alternative.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from citypulse.components.buddies import small_avatar
from citypulse.components.moment import moment

# The catalogue's lucide icons (seed/catalogue.py); anything else shows a generic award.
BADGE_ICONS = (
    "badge-check", "crown", "footprints", "globe", "heart", "luggage", "map", "medal",
    "network", "pen-line", "plane", "shield-check", "ship", "star", "trophy", "users",
)  # fmt: skip
TIER_COLORS = {"Bronze": "bronze", "Silver": "gray", "Gold": "gold", "Platinum": "cyan"}


def badge_icon(icon: Var[str], size: int = 24, **props) -> rx.Component:
    """A catalogue icon, decorative (the badge's name is always written next to it)."""
    return rx.match(
        icon,
        *[(name, rx.icon(name, size=size, aria_hidden="true", **props)) for name in BADGE_ICONS],
        rx.icon("award", size=size, aria_hidden="true", **props),
    )


def tier_badge(label: Var[str]) -> rx.Component:
    """The tier's name on its colour."""
    return rx.match(
        label,
        *[(name, rx.badge(name, color_scheme=color, variant="soft")) for name, color in
          TIER_COLORS.items()],
        rx.badge(label, variant="soft"),
    )  # fmt: skip


def badge_card(badge: Var, *, owner: bool = True) -> rx.Component:
    """One badge. `owner`: with its status, progress "x / y" and date earned."""
    details = (
        rx.vstack(
            rx.hstack(
                rx.badge(
                    badge.status,
                    color_scheme=rx.cond(badge.earned, "green", "gray"),
                    variant=rx.cond(badge.earned, "solid", "outline"),
                    high_contrast=True,
                ),
                rx.text(badge.points, " points", size="2"),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.progress(
                value=badge.progress_value,
                max=badge.threshold,
                aria_label=badge.name + " progress " + badge.progress,
                color_scheme=rx.cond(badge.earned, "green", "gray"),
            ),
            rx.text("Progress ", badge.progress, size="2"),
            rx.cond(
                badge.earned,
                rx.text("Earned ", moment(badge.earned_iso, badge.earned_text), size="2"),
            ),
            spacing="2",
            align="stretch",
            width="100%",
        )
        if owner
        else rx.text(badge.points, " points", size="2")
    )
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.center(
                        badge_icon(badge.icon),
                        width="2.75rem",
                        height="2.75rem",
                        border_radius="50%",
                        flex_shrink="0",
                        background=rx.cond(badge.earned, "var(--accent-4)", "var(--gray-4)"),
                        color=rx.cond(badge.earned, "var(--accent-11)", "var(--gray-9)"),
                    ),
                    rx.vstack(
                        rx.heading(badge.name, as_="h4", size="3"),
                        tier_badge(badge.tier),
                        spacing="1",
                        align="start",
                    ),
                    spacing="3",
                    align="center",
                ),
                rx.text(badge.description, size="2"),
                details,
                spacing="3",
                align="stretch",
            ),
            height="100%",
            background=rx.cond(badge.earned, "var(--color-panel-solid)", "var(--gray-2)"),
            border=rx.cond(badge.earned, "none", "1px dashed var(--gray-7)"),
            filter=rx.cond(badge.earned, "none", "grayscale(1)"),
        ),
    )


def badge_grid(badges: Var, *, owner: bool = True) -> rx.Component:
    """`owner` False: someone else's earned badges, without progress or dates (§4.7.4)."""
    return rx.el.ul(
        rx.foreach(badges, lambda badge: badge_card(badge, owner=owner)),
        display="grid",
        grid_template_columns="repeat(auto-fill, minmax(min(16rem, 100%), 1fr))",
        gap="var(--space-3)",
        list_style="none",
        padding="0",
        margin="0",
    )


def tier_sections(tiers: Var, *, owner: bool = True) -> rx.Component:
    """Badges grouped by tier, each tier under its heading with "x of y earned"."""
    return rx.foreach(
        tiers,
        lambda tier: rx.el.section(
            rx.hstack(
                rx.heading(tier.label, as_="h3", size="4"),
                rx.text(tier.earned, " / ", tier.total, " earned", size="2") if owner else
                rx.fragment(),
                spacing="3",
                align="baseline",
            ),
            badge_grid(tier.badges, owner=owner),
            aria_label=tier.label + " badges",
            margin_bottom="var(--space-5)",
        ),
    )  # fmt: skip


def progress_chart(tiers: Var, completed: Var, total: Var) -> rx.Component:
    """Progress per tier as labelled bars: the numbers are the bars' names and text."""
    return rx.vstack(
        rx.foreach(
            tiers,
            lambda tier: rx.box(
                rx.hstack(
                    rx.text(tier.label, weight="medium", size="2"),
                    rx.text(tier.earned, " / ", tier.total, size="2"),
                    justify="between",
                    width="100%",
                ),
                rx.progress(value=tier.earned, max=tier.total, aria_label=tier.summary),
                width="100%",
            ),
        ),
        rx.text(completed, " of ", total, " badges earned in all", size="2"),
        spacing="3",
        align="stretch",
        width="100%",
    )


def recent_list(recent: Var) -> rx.Component:
    """The last unlocks by users with public profiles."""
    return rx.cond(
        recent.length() > 0,
        rx.el.ol(
            rx.foreach(
                recent,
                lambda item: rx.el.li(
                    rx.hstack(
                        small_avatar(item.avatar_url, item.initial, size="2.25rem"),
                        rx.vstack(
                            rx.text(
                                rx.link(item.full_name, href=item.href, weight="medium"),
                                " earned ",
                                rx.el.strong(item.badge),
                                size="2",
                            ),
                            rx.text(
                                "@", item.username, " · ", item.tier, " · ",
                                moment(item.iso, item.text),
                                size="1", color_scheme="gray",
                            ),
                            spacing="0",
                            align="start",
                        ),
                        spacing="3",
                        align="center",
                    ),
                    key=item.key,
                    padding_y="var(--space-2)",
                ),
            ),
            aria_label="Recently earned",
            list_style="none",
            padding="0",
            margin="0",
        ),
        rx.text("Nobody has earned a badge yet.", size="2"),
    )  # fmt: skip
