"""Settings → "Notifications in this browser": browser notifications and sound (§6.1).

Both are off by default and belong to this browser (permission to show notifications is
given per browser, not per account): plain checkboxes that assets/browser-notifications.js
reads and keeps in localStorage. Switching browser notifications on asks the browser for
permission; without it the box stays off and the status line says why.
"""

from __future__ import annotations

import reflex as rx

from citypulse.state.session import SessionState

BROWSER_ID = "browser-notifications-toggle"
SOUND_ID = "notification-sound-toggle"
STATUS_ID = "browser-notifications-status"


def _toggle(box_id: str, label: str, hint: str) -> rx.Component:
    hint_id = f"{box_id}-hint"
    return rx.hstack(
        rx.el.input(
            type="checkbox",
            id=box_id,
            default_checked=False,
            aria_describedby=hint_id,
            style={"width": "1.1rem", "height": "1.1rem", "accent-color": "var(--accent-9)"},
        ),
        rx.vstack(
            rx.el.label(label, html_for=box_id, style={"font-weight": "500"}),
            rx.text(hint, id=hint_id, size="1", color_scheme="gray"),
            spacing="0",
        ),
        spacing="3",
        align="center",
    )


def browser_notifications_section() -> rx.Component:
    """The two switches of this browser and a status line read out when it changes."""
    return rx.el.section(
        rx.heading("Notifications in this browser", as_="h2", size="5"),
        rx.vstack(
            _toggle(
                BROWSER_ID,
                "Browser notifications",
                "Show new notifications as system notifications while CityPulse is in "
                "the background. Your browser asks for permission first.",
            ),
            _toggle(SOUND_ID, "Sound", "Play a short sound when a new notification arrives."),
            rx.text(
                "Browser notifications are off.",
                id=STATUS_ID,
                role="status",
                aria_live="polite",
                size="2",
            ),
            align="start",
            # Mounted again once the tab's state arrived: hydration resets the
            # prerendered boxes, the script sets the new ones from this browser's choice.
            key=SessionState.auth_checked.to_string(),
        ),
    )
