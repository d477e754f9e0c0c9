"""Light / Dark / System theme picker.

Visitors' choice is kept by Reflex's color-mode provider in the browser; signed-in
users' choice is also stored on the account and applied on their other devices.
"""

import reflex as rx
from reflex.style import set_color_mode

from citypulse.state.session import SessionState

THEME_OPTIONS = [("Light", "light"), ("Dark", "dark"), ("System", "system")]


def theme_toggle() -> rx.Component:
    """A labelled select that switches the colour mode."""
    return rx.select.root(
        rx.select.trigger(aria_label="Theme", variant="ghost"),
        rx.select.content(
            *[rx.select.item(label, value=value) for label, value in THEME_OPTIONS],
        ),
        value=rx.color_mode,
        on_change=lambda mode: [set_color_mode(mode), SessionState.remember_theme(mode)],
        size="2",
    )
