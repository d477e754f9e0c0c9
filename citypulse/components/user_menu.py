"""The header's account area: Log in / Sign up for visitors, a menu for signed-in users."""

import reflex as rx

from citypulse.components.buttons import link_button
from citypulse.components.native_form import native_form
from citypulse.components.navigation import ACCOUNT_MENU, VISITOR_ENTRY, NavItem, nav_links
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


LOGOUT_FORM_ID = "account-menu-logout"


def _menu_link(item: NavItem) -> rx.Component:
    """A menu item that navigates on click and on Enter (Radix's select event)."""
    return rx.menu.item(item.label, on_select=rx.redirect(item.link))


def _logout_item() -> rx.Component:
    """Log out: selecting the item submits the POST form beside the menu.

    A menu item cannot sit inside a form, and only a real POST to /auth/logout can clear
    the HttpOnly cookies, so the item asks the browser to submit that form.
    """
    submit = f"document.getElementById('{LOGOUT_FORM_ID}').requestSubmit()"
    return rx.menu.item("Log out", on_select=rx.call_script(submit))


def account_menu() -> rx.Component:
    """Signed-in menu: every page of PRODUCT.md's user menu that exists, then Log out."""
    menu = rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.icon("circle-user", aria_hidden="true"),
                rx.text(SessionState.username),
                variant="soft",
                high_contrast=True,  # see visitor_links
                aria_label="Account menu",
            )
        ),
        rx.menu.content(
            *nav_links(ACCOUNT_MENU, _menu_link),
            rx.menu.separator(),
            _logout_item(),
        ),
        # Non-modal: a menu button (ARIA APG) keeps the page readable; a modal menu hides
        # the header and footer with aria-hidden while they keep focusable controls.
        modal=False,
    )
    return rx.fragment(native_form(id=LOGOUT_FORM_ID, method="post", action="/auth/logout"), menu)


def visitor_links() -> rx.Component:
    """Sign-up and log-in entry points."""
    log_in, sign_up = VISITOR_ENTRY
    # High contrast: the teal accent's own text colours reach only 3:1 and 4.3:1 here,
    # below the 4.5:1 WCAG AA asks of normal text.
    return rx.hstack(
        link_button(log_in.label, log_in.link, variant="soft", high_contrast=True),
        link_button(sign_up.label, sign_up.link, high_contrast=True),
        spacing="2",
    )


def user_menu() -> rx.Component:
    """The account area of the header (the mobile menu takes its place below 768 px)."""
    return rx.box(
        rx.cond(SessionState.signed_in, account_menu(), visitor_links()),
        display=MOBILE_BREAKPOINT_HIDE,
    )
