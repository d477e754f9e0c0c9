"""Whether this deployment offers "Sign in with Google" (PRODUCT.md §2.1, issue 15 item 5).

The frontend is exported once (in the image build, without Google credentials) and the
backend reads its settings at run time, so the answer must come from the backend: a
computed var evaluated when a tab hydrates, never a value baked in at compile time.
"""

from __future__ import annotations

import reflex as rx

from citypulse.settings import get_settings


def google_sign_in_configured() -> bool:
    """True when both the Google client id and its secret are set."""
    settings = get_settings()
    return bool(settings.google_client_id and settings.google_client_secret)


class GoogleSignInState(rx.State):
    """Read-only: pages show their Google buttons only when `enabled` is true."""

    @rx.var(initial_value=False)  # the exported page starts without the buttons
    def enabled(self) -> bool:
        """Google sign-in is configured on the server this tab talks to."""
        return google_sign_in_configured()
