"""The page chrome every route shares (PRODUCT.md §2 Layout)."""

import reflex as rx
from reflex.vars import Var

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


# Set on the page's first render with its state live; a reconnect (which marks the state
# not hydrated again while on_load re-runs) then leaves the controls as they are, so
# nobody typing loses focus to a renewal of the connection. Absent while prerendering.
FIRST_LIVE = "window.__cpLive"
HAS_WINDOW = 'typeof window !== "undefined"'


def _not_live_yet() -> Var:
    """True until this document's state has first arrived with its on_load run."""
    hydrated = SessionState.is_hydrated
    expression = (
        f"!(({hydrated._js_expr}) ? (({HAS_WINDOW}) && ({FIRST_LIVE} = true), true)"
        f" : (({HAS_WINDOW}) && {FIRST_LIVE} === true))"
    )
    return Var(_js_expr=expression, _var_type=bool, _var_data=hydrated._get_all_var_data())


def until_live(*children: rx.Component) -> rx.Component:
    """The page's controls, inert until its state arrived and its on_load ran.

    The server-rendered controls show before that. An action taken in the gap reaches
    the app before the page's on_load, which then resets what the action did (a code
    request's confirmation vanished this way). A disabled fieldset holds every button,
    field and select back until then; `display: contents` keeps it out of the layout.
    """
    return rx.el.fieldset(
        *children,
        disabled=_not_live_yet(),
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
