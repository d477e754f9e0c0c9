"""/verify-email?token=: uses the single-use link, with a resend form on failure."""

from __future__ import annotations

from datetime import UTC, datetime

import reflex as rx

from citypulse.services.accounts.registration import email_verify, verification_resend
from citypulse.state.forms import typed
from citypulse.state.session import SessionState


class VerifyEmailState(SessionState):
    """verifying → verified | failed (visitors: each step runs through `_load`)."""

    status: str = "verifying"
    resend_email: str = ""
    resend_message: str = ""

    @rx.event
    async def verify(self):
        """Consume the token from the URL."""
        token, now = self.router.url.query_parameters.get("token", ""), datetime.now(UTC)
        self.status = "verifying"
        outcome = await self._load(lambda db, viewer: email_verify(db, token=token, now=now))
        if not outcome.renewing:  # a reconnecting socket loads the page again
            self.status = "verified" if outcome.ok else "failed"

    @rx.event
    def set_resend_email(self, value: str):
        self.resend_email = typed(value).strip()[:254]

    @rx.event
    async def resend(self):
        """Send a fresh link (generic reply)."""
        email, now = self.resend_email, datetime.now(UTC)
        outcome = await self._load(lambda db, viewer: verification_resend(db, email=email, now=now))
        self.resend_message = outcome.value if outcome.ok else outcome.message
