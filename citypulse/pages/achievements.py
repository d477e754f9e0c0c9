"""`/achievements` (A): completed / total, percentage, points and rank; badges by tier with
progress and dates; a progress chart; "Recently earned" (§2.2, §4.7). Live (§6.5)."""

import reflex as rx

from citypulse.components.achievements import progress_chart, recent_list, tier_sections
from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.pages.registry import page
from citypulse.state.achievements.live import RecentChannel
from citypulse.state.achievements.page import AchievementsState as S
from citypulse.state.session import UserChannel


def watchers() -> rx.Component:
    """Re-read on the viewer's unlocks and on anyone's (Recently earned); unlink on leave."""
    return rx.fragment(
        rx.fragment(
            rx.box(on_mount=S.unlocked, display="none", aria_hidden="true"),
            key=UserChannel.achievements_epoch.to_string(),
        ),
        rx.fragment(
            rx.box(on_mount=S.recent_changed, display="none", aria_hidden="true"),
            key=RecentChannel.recent_epoch.to_string(),
        ),
        rx.box(on_unmount=S.leave, display="none", aria_hidden="true"),
    )


def summary_stat(label: str, value: rx.Component | rx.Var | str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="2", color_scheme="gray"),
            rx.text(value, size="6", weight="bold"),
            spacing="1",
        ),
    )


def summary() -> rx.Component:
    return rx.el.section(
        rx.heading("Your progress", as_="h2", size="5", margin_bottom="var(--space-3)"),
        rx.grid(
            summary_stat("Completed", rx.text(S.completed, " / ", S.total, as_="span")),
            summary_stat("Percentage", rx.text(S.percent, "%", as_="span")),
            summary_stat("Points", S.points),
            summary_stat(
                "Rank",
                rx.cond(
                    S.rank > 0,
                    rx.link("#", S.rank, " on the leaderboard", href="/leaderboard"),
                    rx.link("Not ranked yet", href="/leaderboard"),
                ),
            ),
            columns=rx.breakpoints(initial="2", md="4"),
            spacing="3",
        ),
        rx.box(
            rx.heading("Progress by tier", as_="h3", size="4", margin_y="var(--space-3)"),
            progress_chart(S.tiers, S.completed, S.total),
            max_width="32rem",
        ),
        aria_label="Your progress",
    )


def badges() -> rx.Component:
    return rx.el.section(
        rx.heading("Badges", as_="h2", size="5", margin_bottom="var(--space-3)"),
        tier_sections(S.tiers),
        aria_label="Badges",
    )


def recent() -> rx.Component:
    return rx.el.section(
        rx.heading("Recently earned", as_="h2", size="5", margin_bottom="var(--space-3)"),
        recent_list(S.recent),
        aria_label="Recently earned by others",
    )


@page(route="/achievements", title="Achievements", access="A", on_load=(S.load,))
def achievements_page() -> rx.Component:
    """The viewer's badges and the newest unlocks around CityPulse."""
    return page_layout(
        page_heading(
            "Achievements", "Badges you earn by sharing places, travelling and meeting people."
        ),
        watchers(),
        rx.cond(
            S.loaded,
            rx.vstack(
                summary(),
                rx.grid(
                    badges(),
                    recent(),
                    columns=rx.breakpoints(initial="1", lg="3fr 1fr"),
                    spacing="6",
                    width="100%",
                ),
                spacing="6",
                width="100%",
            ),
            rx.spinner(aria_label="Loading"),
        ),
    )
