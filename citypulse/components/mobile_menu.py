"""The menu button of small screens (below 768 px), where the header has no room.

A Radix dialog: the trigger says whether it is open (aria-expanded), focus moves into the
menu and is kept there, Escape or "Close menu" closes it and focus returns to the
button. It holds the account menu (or Log in / Sign up) and the site links.
"""

import reflex as rx

from citypulse.components.navigation import (
    ACCOUNT_MENU,
    SITE_LINKS,
    VISITOR_ENTRY,
    NavItem,
    nav_links,
)
from citypulse.components.tokens import MOBILE_ONLY
from citypulse.components.user_menu import logout_form
from citypulse.state.session import SessionState


def _menu_link(item: NavItem) -> rx.Component:
    """A link that also closes the menu (the next page may be the same route)."""
    return rx.dialog.close(
        rx.link(
            rx.icon(item.icon, size=18, aria_hidden="true") if item.icon else rx.fragment(),
            item.label,
            href=item.link,
            underline="none",
            display="flex",
            align_items="center",
            gap="var(--space-3)",
            padding_y="var(--space-2)",
            size="3",
        )
    )


def _menu_header() -> rx.Component:
    return rx.flex(
        rx.dialog.title("Menu", size="5", margin="0"),
        rx.dialog.close(
            rx.icon_button(
                rx.icon("x", aria_hidden="true"), variant="ghost", aria_label="Close menu"
            )
        ),
        justify="between",
        align="center",
    )


def mobile_menu() -> rx.Component:
    """The "Menu" button and its dialog; hidden from 768 px up."""
    return rx.box(
        rx.dialog.root(
            rx.dialog.trigger(
                rx.icon_button(
                    rx.icon("menu", aria_hidden="true"), variant="soft", aria_label="Menu"
                )
            ),
            rx.dialog.content(
                _menu_header(),
                rx.dialog.description(
                    rx.cond(
                        SessionState.signed_in,
                        "Signed in as @" + SessionState.username,
                        "Log in or sign up to share your city.",
                    ),
                    size="2",
                    color_scheme="gray",
                ),
                rx.el.nav(
                    rx.cond(
                        SessionState.signed_in,
                        rx.vstack(*nav_links(ACCOUNT_MENU, _menu_link), spacing="0"),
                        rx.vstack(*nav_links(VISITOR_ENTRY, _menu_link), spacing="0"),
                    ),
                    rx.separator(margin_y="var(--space-3)"),
                    rx.vstack(*nav_links(SITE_LINKS, _menu_link), spacing="0"),
                    aria_label="Menu",
                    margin_top="var(--space-3)",
                ),
                rx.cond(
                    SessionState.signed_in,
                    logout_form(variant="soft", color_scheme="red", width="100%", size="3"),
                ),
                max_width="22rem",
            ),
        ),
        display=MOBILE_ONLY,
    )
