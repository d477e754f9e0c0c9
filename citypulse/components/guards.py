"""What a page shows while its access level is checked (no flash of protected content)."""

from collections.abc import Callable

import reflex as rx

from citypulse.components.layout import page_layout
from citypulse.state.session import SessionState


def checking_screen() -> rx.Component:
    """Shown until the server has confirmed who the viewer is."""
    return page_layout(
        rx.center(
            rx.spinner(size="3"),
            rx.text("Checking your session…", role="status", margin_left="var(--space-3)"),
            padding_y="var(--space-9)",
        )
    )


def guarded(
    access: str, content: Callable[[], rx.Component], not_found: Callable[[], rx.Component]
) -> Callable[[], rx.Component]:
    """Wrap a page so that A pages need a signed-in viewer and M pages a moderator."""
    if access == "A":
        return lambda: rx.cond(
            SessionState.auth_checked & SessionState.signed_in, content(), checking_screen()
        )
    if access == "M":
        return lambda: rx.cond(
            SessionState.is_moderator,
            content(),
            rx.cond(SessionState.auth_checked, not_found(), checking_screen()),
        )
    return content
