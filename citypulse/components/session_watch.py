"""Invisible helpers every page carries for signed-in viewers.

Both rely on React re-mounting an element whose `key` changes: its on_mount then runs
again. That turns a pushed value into an action in this tab without any polling.
"""

import reflex as rx
from reflex.style import set_color_mode

from citypulse.state.session import SessionState, UserChannel


def session_watcher() -> rx.Component:
    """Re-checks the session whenever the user's channel reports revoked sessions.

    The key sits on a wrapper: the element that owns the on_mount effect must itself
    be re-created for the effect to run again.
    """
    return rx.fragment(
        rx.box(on_mount=SessionState.recheck, display="none", aria_hidden="true"),
        key=UserChannel.session_epoch.to(str),
    )


def account_theme_applier() -> rx.Component:
    """Applies the theme stored on the account (chosen on another device)."""
    return rx.cond(
        SessionState.account_theme != "",
        rx.fragment(
            rx.box(
                on_mount=set_color_mode(SessionState.account_theme),
                display="none",
                aria_hidden="true",
            ),
            key=SessionState.account_theme,
        ),
    )
