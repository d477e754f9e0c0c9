"""The header's account area: Log in / Sign up for visitors, a menu for signed-in users."""

import reflex as rx

from citypulse.components.buttons import link_button
from citypulse.components.native_form import native_form
from citypulse.components.tokens import MOBILE_BREAKPOINT_HIDE
from citypulse.state.session import SessionState


def logout_form(
    label: str = "Log out", *, everywhere: bool = False, **button_props
) -> rx.Component:
    """A real POST to /auth/logout: only an HTTP response can clear HttpOnly cookies."""
    return native_form(
        rx.button(label, type="submit", **button_props),
        method="post",
        action="/auth/logout-all" if everywhere else "/auth/logout",
    )


def _menu_link(label: str, href: str) -> rx.Component:
    return rx.menu.item(
        rx.link(label, href=href, underline="none", color="inherit"), as_child=False
    )


def account_menu() -> rx.Component:
    """Signed-in menu. Links to pages that do not exist yet are added with their features."""
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.icon("circle-user", aria_hidden="true"),
                rx.text(SessionState.username),
                variant="soft",
                aria_label="Account menu",
            )
        ),
        rx.menu.content(
            _menu_link("Dashboard", "/dashboard"),
            _menu_link("Profile", "/profile/" + SessionState.username),
            _menu_link("Settings", "/settings"),
            rx.cond(
                SessionState.is_moderator, _menu_link("Moderator tools", "/moderator/dashboard")
            ),
            rx.menu.separator(),
            rx.menu.item(
                logout_form(variant="ghost", width="100%"),
                on_select=rx.prevent_default,
            ),
        ),
    )


def visitor_links() -> rx.Component:
    """Sign-up and log-in entry points."""
    return rx.hstack(
        link_button("Log in", "/login", variant="soft"),
        link_button("Sign up", "/signup"),
        spacing="2",
    )


def user_menu() -> rx.Component:
    """The account area of the header."""
    return rx.box(
        rx.cond(SessionState.signed_in, account_menu(), visitor_links()),
        display=MOBILE_BREAKPOINT_HIDE,
    )
