"""The dashboard's side panels and banners (§2.2): Quick actions, Your stats, profile
completion and "pick interests" (Active buddies: components/buddies_active.py).

"Plan a trip" joins the quick actions with the trips pages (not built yet)."""

from __future__ import annotations

import reflex as rx

from citypulse.components.buttons import link_button
from citypulse.state.feed.page import FeedState as S

QUICK_ACTIONS = (
    ("Add recommendation", "/recommendations/create"),
    ("Find buddies", "/buddies?tab=find"),
    ("Leaderboard", "/leaderboard"),
    ("Settings", "/settings"),
)


def banners() -> rx.Component:
    return rx.vstack(
        rx.cond(
            S.panels.show_completion,
            rx.callout(
                rx.el.span("Your profile is ", S.panels.completion_percent.to(str),
                        "% complete. ", rx.link("Complete your profile", href="/profile/edit"),
                        " so buddies can find you."),
                icon="user-round", width="100%",
            ),
        ),
        rx.cond(
            S.panels.pick_interests,
            rx.callout(
                rx.el.span("Pick your interests to get a For You feed that fits you. ",
                        rx.link("Pick interests", href="/settings")),
                icon="sparkles", color_scheme="green", width="100%",
            ),
        ),
        width="100%",
        spacing="3",
    )  # fmt: skip


def quick_actions() -> rx.Component:
    return rx.el.section(
        rx.heading("Quick actions", as_="h2", size="4", margin_bottom="var(--space-3)"),
        rx.flex(
            *[link_button(label, href, variant="soft", size="2") for label, href in QUICK_ACTIONS],
            direction="column",
            gap="var(--space-2)",
        ),
    )


def _stat(label: str, value: rx.Var) -> rx.Component:
    return rx.fragment(
        rx.el.dt(label, color="var(--gray-11)"),
        rx.el.dd(value.to(str), font_weight="600", margin="0", text_align="right"),
    )


def your_stats() -> rx.Component:
    return rx.el.section(
        rx.heading("Your stats", as_="h2", size="4", margin_bottom="var(--space-3)"),
        rx.el.dl(
            _stat("Recommendations", S.panels.recommendations),
            _stat("Cities", S.panels.cities),
            _stat("Buddies", S.panels.buddies),
            _stat("Likes received", S.panels.likes_received),
            _stat("Views", S.panels.views),
            display="grid",
            grid_template_columns="1fr auto",
            gap="var(--space-2)",
            margin="0",
        ),
    )
