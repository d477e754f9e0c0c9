"""The site header: logo, search box, notifications bell, user menu and theme picker.

The search box and the bell appear once their pages (/search, /notifications) exist;
below 768 px the mobile menu takes the place of the user menu. "Reconnecting…" shows
above everything while the live connection is down.
"""

import reflex as rx

from citypulse.components.mobile_menu import mobile_menu
from citypulse.components.navigation import (
    NOTIFICATIONS_ROUTE,
    SEARCH_ROUTE,
    for_audience,
    page_access,
)
from citypulse.components.notifications import notifications_bell as live_bell
from citypulse.components.notifications import reconnecting_banner
from citypulse.components.search_overlay import search_overlay
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
    """A plain GET form to /search, so it works before any state is loaded; shown to the
    viewers /search admits (signed-in people: a visitor would only meet the login page)."""
    access = page_access(SEARCH_ROUTE)
    if access is None:
        return rx.fragment()
    box = rx.el.form(
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
    return for_audience(access, box)


def search_overlay_trigger() -> rx.Component:
    """The search overlay (Ctrl/Cmd+K) for the viewers /search admits."""
    access = page_access(SEARCH_ROUTE)
    if access is None:
        return rx.fragment()
    return for_audience(access, search_overlay())


def notifications_bell() -> rx.Component:
    """The bell with its live unread badge and dropdown, for the page's audience."""
    access = page_access(NOTIFICATIONS_ROUTE)
    if access is None:
        return rx.fragment()
    return for_audience(access, live_bell())


def site_header() -> rx.Component:
    """The header shown on every page."""
    return rx.el.header(
        reconnecting_banner(),
        rx.hstack(
            logo(),
            search_box(),
            rx.hstack(
                search_overlay_trigger(),
                notifications_bell(),
                theme_toggle(),
                user_menu(),
                mobile_menu(),
                align="center",
            ),
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
