"""The page chrome every route shares (PRODUCT.md §2 Layout)."""

import reflex as rx

from citypulse.components.achievements_popup import achievement_popup
from citypulse.components.footer import bottom_nav, site_footer
from citypulse.components.header import site_header
from citypulse.components.session_watch import account_theme_applier, session_watcher
from citypulse.components.tokens import CONTENT_MAX_WIDTH
from citypulse.state.session import SessionState

MAIN_ID = "main-content"


def skip_link() -> rx.Component:
    """First focusable element: jumps keyboard users past the header."""
    return rx.el.a(
        "Skip to main content",
        href=f"#{MAIN_ID}",
        class_name="skip-link",
    )


def until_live(*children: rx.Component) -> rx.Component:
    """The page's controls, inert until its state arrived and its on_load ran.

    The server-rendered controls show before that. An action taken in the gap reaches
    the app before the page's on_load, which then resets what the action did (a code
    request's confirmation vanished this way). A disabled fieldset holds every button,
    field and select back until then; `display: contents` keeps it out of the layout.
    """
    return rx.el.fieldset(
        *children,
        disabled=~SessionState.is_hydrated,
        style={"display": "contents"},
    )


def page_layout(*children: rx.Component) -> rx.Component:
    """Wrap page content in the header, a single <main> landmark and the footer."""
    return rx.box(
        skip_link(),
        site_header(),
        rx.el.main(
            rx.cond(
                SessionState.flash_notice != "",
                rx.callout(
                    SessionState.flash_notice,
                    color_scheme="green",
                    role="status",
                    margin_bottom="var(--space-4)",
                ),
            ),
            until_live(*children),
            id=MAIN_ID,
            tab_index=-1,
            # "true" once this tab's state arrived and the page's on_load ran.
            custom_attrs={"data-hydrated": SessionState.is_hydrated},
            width="100%",
            max_width=CONTENT_MAX_WIDTH,
            margin_x="auto",
            padding_x="var(--space-4)",
            padding_y="var(--space-6)",
            flex="1",
        ),
        site_footer(),
        bottom_nav(),
        session_watcher(),
        achievement_popup(),
        account_theme_applier(),
        display="flex",
        flex_direction="column",
        min_height="100vh",
    )
