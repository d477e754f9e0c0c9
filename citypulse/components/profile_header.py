"""The top of a profile page: cover, avatar, identity, about, links, stats (§2.2, §4.2)."""

from __future__ import annotations

import reflex as rx

from citypulse.components.buddies_profile import BUTTONS_SHOWN, buddy_actions
from citypulse.components.buttons import link_button
from citypulse.components.report_dialog import report_dialog
from citypulse.state.moderation.reports import PROFILE_REPORT_REASONS
from citypulse.state.profiles.profile import ProfileState

PERSON = ProfileState.person


def avatar_image(src, name, initial, size: str = "7rem") -> rx.Component:
    """The avatar with alt text, or a lettered placeholder when there is no photo."""
    return rx.cond(
        src != "",
        rx.image(src=src, alt="Avatar of " + name, width=size, height=size,
                 border_radius="50%", object_fit="cover",
                 border="4px solid var(--color-background)", flex_shrink="0"),
        rx.center(
            rx.text(initial, size="7", weight="bold", aria_hidden="true"),
            role="img", aria_label="Avatar of " + name + " (no photo yet)",
            width=size, height=size, border_radius="50%", flex_shrink="0",
            background="var(--accent-4)", border="4px solid var(--color-background)",
        ),
    )  # fmt: skip


def cover_image(src, name) -> rx.Component:
    """The 3:1 cover, or a plain band when there is none."""
    return rx.cond(
        src != "",
        rx.image(src=src, alt="Cover photo of " + name, width="100%", aspect_ratio="3 / 1",
                 object_fit="cover", border_radius="var(--radius-4)"),
        rx.box(width="100%", aspect_ratio="6 / 1", border_radius="var(--radius-4)",
               background="linear-gradient(120deg, var(--accent-5), var(--accent-3))",
               aria_hidden="true"),
    )  # fmt: skip


def _place(icon: str, label: str, value) -> rx.Component:
    return rx.cond(
        value != "",
        rx.hstack(
            rx.icon(icon, size=16, aria_hidden="true"),
            rx.text(label, " ", rx.text.strong(value), size="2"),
            spacing="1",
            align="center",
        ),
    )


def relationship_badge() -> rx.Component:
    """The buddy relationship as text, while the buttons (which say it) do not show: the
    profile's read sets it a moment before the buttons' read clears it."""
    return rx.cond(
        (ProfileState.relationship_text != "") & ~BUTTONS_SHOWN,
        rx.badge(ProfileState.relationship_text, size="2", variant="soft"),
    )


def identity(extra: rx.Component, *, overlap: bool = False) -> rx.Component:
    """Avatar (over the cover's edge in the full view), the page's one h1 and @username."""
    return rx.hstack(
        rx.box(
            avatar_image(PERSON.avatar_url, PERSON.full_name, PERSON.initial),
            margin_top="-3.5rem" if overlap else "0",
        ),
        rx.vstack(
            rx.heading(PERSON.full_name, as_="h1", size="8"),
            rx.text("@" + PERSON.username, size="4", color_scheme="gray"),
            extra,
            spacing="1",
            align="start",
        ),
        spacing="4",
        align="end",
        wrap="wrap",
    )


def links_list() -> rx.Component:
    return rx.cond(
        (ProfileState.links.length() > 0) | (ProfileState.whatsapp != ""),
        rx.el.nav(
            rx.hstack(
                rx.foreach(
                    ProfileState.links,
                    lambda link: rx.link(
                        link.label, href=link.url, is_external=True,
                        rel="noopener noreferrer nofollow ugc", size="2",
                    ),
                ),
                rx.cond(ProfileState.whatsapp != "",
                        rx.text("WhatsApp: ", ProfileState.whatsapp, size="2")),
                spacing="4",
                wrap="wrap",
            ),
            aria_label="Links",
        ),
    )  # fmt: skip


def cities_chips() -> rx.Component:
    return rx.cond(
        ProfileState.cities.length() > 0,
        rx.box(
            rx.heading("Cities visited", as_="h2", size="3", margin_bottom="var(--space-2)"),
            rx.el.ul(
                rx.foreach(
                    ProfileState.cities,
                    lambda city: rx.el.li(
                        rx.link(
                            rx.badge(
                                city.label,
                                rx.cond(city.month != "", " · " + city.month, ""),
                                size="2",
                                variant="surface",
                            ),
                            href=city.href,
                            underline="none",
                        )
                    ),
                ),
                display="flex",
                flex_wrap="wrap",
                gap="var(--space-2)",
                list_style="none",
                padding="0",
                margin="0",
            ),
        ),
    )


def stats_row() -> rx.Component:
    """Cities, Recommendations, Buddies, Points (§4.2.6)."""
    return rx.el.dl(
        rx.foreach(
            ProfileState.stats,
            lambda stat: rx.box(
                rx.el.dt(stat.label, font_size="var(--font-size-2)", color="var(--gray-11)"),
                rx.el.dd(stat.value, font_size="var(--font-size-6)", font_weight="700",
                         margin="0"),
                padding="var(--space-3)",
                border="1px solid var(--gray-5)",
                border_radius="var(--radius-3)",
                min_width="8rem",
            ),
        ),
        display="flex",
        flex_wrap="wrap",
        gap="var(--space-3)",
        margin="0",
        aria_label="Profile stats",
    )  # fmt: skip


def completion_banner() -> rx.Component:
    """Owner only: shown until both locations are set (§4.2.5)."""
    return rx.cond(
        ProfileState.is_owner & ProfileState.show_completion_banner,
        rx.callout(
            rx.text(
                "Your profile is ", ProfileState.completion_percent, " complete. Add ",
                ProfileState.completion_missing, ". ",
                rx.link("Complete your profile", href="/profile/edit"),
            ),
            icon="info",
            role="status",
        ),
    )  # fmt: skip


def owner_actions() -> rx.Component:
    return rx.cond(
        ProfileState.is_owner,
        rx.hstack(
            link_button("Edit profile", "/profile/edit"),
            link_button("Change photos", "/profile/edit#photos", variant="soft"),
            rx.text("Profile completion: ", ProfileState.completion_percent, size="2",
                    color_scheme="gray"),
            spacing="3",
            align="center",
        ),
    )  # fmt: skip


def visitor_actions() -> rx.Component:
    """What a visitor or signed-in person may do on someone else's profile."""
    return rx.cond(
        ~ProfileState.is_owner,
        report_dialog(
            "Report this profile",
            PROFILE_REPORT_REASONS,
            on_submit=ProfileState.report_profile,
            on_open_change=ProfileState.set_report_open,
            is_open=ProfileState.report_open,
            error=ProfileState.report_error,
            login_href="/login?next=%2Fprofile%2F" + PERSON.username,
            field_prefix="report-profile",
        ),
    )


def full_header() -> rx.Component:
    """Everything above the tabs in the full view."""
    return rx.vstack(
        completion_banner(),
        cover_image(PERSON.cover_url, PERSON.full_name),
        rx.box(identity(relationship_badge(), overlap=True), padding_x="var(--space-4)"),
        owner_actions(),
        buddy_actions(),
        visitor_actions(),
        _place("home", "From", PERSON.hometown),
        _place("map-pin", "Lives in", PERSON.current_location),
        rx.cond(
            PERSON.bio != "",
            rx.text(
                PERSON.bio,
                as_="p",
                white_space="pre-wrap",
                max_width="48rem",
                unicode_bidi="isolate",
            ),  # free text may carry bidi controls
        ),
        links_list(),
        cities_chips(),
        stats_row(),
        spacing="3",
        align="stretch",
    )


def limited_card() -> rx.Component:
    """Avatar, name, @username and the notice (§4.2.1), nothing else."""
    return rx.card(
        rx.vstack(
            identity(relationship_badge()),
            rx.callout(ProfileState.notice, icon="lock", role="status"),
            buddy_actions(),
            visitor_actions(),
            spacing="3",
            align="start",
        ),
        size="3",
        max_width="40rem",
    )
