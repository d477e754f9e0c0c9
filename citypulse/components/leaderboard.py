"""Leaderboard rows (§2.2): rank (a medal for 1–3, named in text), avatar, name,
@username, achievements, points and families. A list, not a table, so a row reflows on
a phone instead of scrolling sideways."""

from __future__ import annotations

import reflex as rx

from citypulse.components.buddies import small_avatar
from citypulse.components.counts import count_text

MEDAL_COLORS = {"gold": "var(--amber-9)", "silver": "var(--gray-9)", "bronze": "var(--bronze-9)"}


def rank_cell(row: rx.Var) -> rx.Component:
    """The rank number; ranks 1–3 add a medal icon whose name is the place ("1st place")."""
    medal = rx.match(
        row.medal,
        *[(name, rx.icon("medal", color=color, size=22, role="img", aria_label=row.place))
          for name, color in MEDAL_COLORS.items()],
        rx.fragment(),
    )  # fmt: skip
    return rx.hstack(
        medal,
        rx.text("#", row.rank, weight="bold", size="4"),
        spacing="1",
        align="center",
        min_width="4.5rem",
    )


def stat(value: rx.Var, one: str, many: str) -> rx.Component:
    return rx.text(count_text(value, one, many), size="2", white_space="nowrap")


def board_row(row: rx.Var, engagement: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rank_cell(row),
            small_avatar(row.avatar_url, row.initial, size="2.5rem"),
            rx.vstack(
                rx.hstack(
                    rx.link(row.full_name, href=row.href, weight="medium"),
                    rx.cond(row.is_you, rx.badge("You", variant="solid", high_contrast=True)),
                    spacing="2",
                    align="center",
                ),
                rx.text("@", row.username, size="2", color_scheme="gray"),
                spacing="0",
                align="start",
                flex="1",
                min_width="8rem",
            ),
            rx.hstack(
                stat(row.completed, "achievement", "achievements"),
                stat(row.points, "point", "points"),
                stat(row.families, "badge family", "badge families"),
                rx.cond(engagement, rx.text(row.score, " engagement", size="2")),
                spacing="3",
                wrap="wrap",
            ),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        aria_label="Rank " + row.rank.to_string() + ": " + row.full_name,
        padding="var(--space-3)",
        border_bottom="1px solid var(--gray-5)",
        background=rx.cond(row.is_you, "var(--accent-2)", "transparent"),
    )


def board_list(rows: rx.Var, label: rx.Var, engagement: rx.Var) -> rx.Component:
    return rx.el.ol(
        rx.foreach(rows, lambda row: board_row(row, engagement)),
        aria_label=label,
        list_style="none",
        padding="0",
        margin="0",
    )
