"""/login: shows the outcome the /auth/login route left in its flash cookie."""

from __future__ import annotations

from datetime import UTC, datetime

import reflex as rx

from citypulse.auth.oauth_state import safe_next_path
from citypulse.services.accounts.registration import verification_resend
from citypulse.state.session import SessionState

IDLE_SIGNED_OUT = "You were signed out after 15 minutes without activity. Log in to continue."
RESET_DONE = "Your password has been changed. Log in with your new password."
DEACTIVATED = (
    "Your account is deactivated and will be deleted in 30 days. "
    "Log in before then to reactivate it."
)


class LoginState(SessionState):
    """The login page's messages; the credentials themselves never pass through here."""

    error: str = ""
    reason: str = ""
    notice: str = ""
    email: str = ""
    next_path: str = ""
    resend_message: str = ""

    @rx.event
    def load(self):
        """Read the flash message and the safe `next` of this visit."""
        flash = self._flash()
        self.error = flash.get("error", "")
        self.reason = flash.get("reason", "")
        self.notice = flash.get("notice", "")
        self.email = flash.get("email", "")
        query = self.router.url.query_parameters
        if query.get("reset") == "done":
            self.notice = RESET_DONE
        elif query.get("deactivated") == "1":
            self.notice = DEACTIVATED
        elif query.get("reason") == "idle" and not self.error:
            self.notice = IDLE_SIGNED_OUT
        next_param = self.router.url.query_parameters.get("next", "")
        self.next_path = safe_next_path(next_param) if next_param else ""
        self.resend_message = ""

    @rx.event
    async def resend_verification(self):
        """Send a new verification link to the email this visitor typed.

        The visitor is not signed in: `_load` runs it in one transaction (visitors allowed).
        """
        email, now = self.email, datetime.now(UTC)
        outcome = await self._load(lambda db, viewer: verification_resend(db, email=email, now=now))
        self.resend_message = outcome.value if outcome.ok else outcome.message
