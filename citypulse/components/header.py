"""The site header: logo, search box, notifications bell, user menu and theme picker."""

import reflex as rx

from citypulse.components.buttons import icon_link
from citypulse.components.theme_toggle import theme_toggle
from citypulse.components.tokens import CONTENT_MAX_WIDTH, MOBILE_BREAKPOINT_HIDE
from citypulse.components.user_menu import user_menu


def logo() -> rx.Component:
    """The CityPulse wordmark linking home."""
    return rx.link(
        rx.hstack(
            rx.image(src="/logo.svg", alt="", width="28px", height="28px"),
            rx.text("CityPulse", weight="bold", size="5"),
            align="center",
            spacing="2",
        ),
        href="/",
        aria_label="CityPulse home",
        underline="none",
        color_scheme="gray",
        high_contrast=True,
    )


def search_box() -> rx.Component:
    """A plain GET form to /search, so it works before any state is loaded."""
    return rx.el.form(
        rx.input(
            rx.input.slot(rx.icon("search", size=16, aria_hidden="true")),
            name="q",
            type="search",
            placeholder="Search places, people, cities",
            aria_label="Search CityPulse",
            max_length=200,
            width="100%",
        ),
        action="/search",
        method="get",
        role="search",
        width="100%",
        max_width="28rem",
        display=MOBILE_BREAKPOINT_HIDE,
    )


def notifications_bell() -> rx.Component:
    """Link to the notifications page; the live unread badge arrives with notifications."""
    return icon_link("bell", "/notifications", "Notifications")


def site_header() -> rx.Component:
    """The header shown on every page."""
    return rx.el.header(
        rx.hstack(
            logo(),
            search_box(),
            rx.hstack(notifications_bell(), theme_toggle(), user_menu(), align="center"),
            justify="between",
            align="center",
            spacing="4",
            width="100%",
            max_width=CONTENT_MAX_WIDTH,
            margin_x="auto",
            padding_x="var(--space-4)",
            padding_y="var(--space-3)",
        ),
        border_bottom="1px solid var(--gray-a5)",
        width="100%",
    )
