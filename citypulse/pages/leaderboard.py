"""`/leaderboard` (P): Overall / Most achievements / Highest points / Most badge families /
Engagement (30 days); top 20, "Show more" up to 100; "Your position" when signed in."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.components.leaderboard import board_list
from citypulse.pages.registry import page
from citypulse.state.achievements.leaderboard import LeaderboardState as S
from citypulse.state.achievements.views import BOARDS
from citypulse.state.session import SessionState

EMPTY = "No rankings yet"


def board_bar() -> rx.Component:
    """The boards as toggle buttons (the pressed one is the board shown)."""
    return rx.hstack(
        *[
            rx.button(
                label,
                on_click=S.show_board(value),
                variant=rx.cond(S.board == value, "solid", "soft"),
                aria_pressed=rx.cond(S.board == value, "true", "false"),
                size="2",
                high_contrast=True,
            )
            for value, label in BOARDS
        ],
        role="group",
        aria_label="Leaderboards",
        wrap="wrap",
        spacing="2",
    )


def position() -> rx.Component:
    return rx.cond(
        SessionState.signed_in & (S.position != ""),
        rx.callout(S.position, icon="trophy", color_scheme="gray", role="status"),
    )


def rows() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.vstack(
            board_list(S.rows, S.board_label, S.board == "engagement"),
            rx.cond(S.has_more, rx.button("Show more", on_click=S.show_more, variant="soft")),
            spacing="3",
            align="center",
            width="100%",
        ),
        rx.callout(EMPTY, icon="trophy", color_scheme="gray"),
    )


@page(route="/leaderboard", title="Leaderboard", access="P", on_load=(S.load,))
def leaderboard_page() -> rx.Component:
    """The boards of §4.8, for everyone."""
    return page_layout(
        page_heading("Leaderboard", "Who has earned the most, ranked by each board."),
        rx.vstack(
            board_bar(),
            position(),
            rx.heading(S.board_label, as_="h2", size="5"),
            rx.cond(S.loaded, rows(), rx.spinner(aria_label="Loading")),
            spacing="4",
            width="100%",
        ),
    )
