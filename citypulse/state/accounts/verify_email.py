"""/verify-email?token=: uses the single-use link, with a resend form on failure."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import reflex as rx

from citypulse.services.accounts.registration import email_verify, verification_resend
from citypulse.services.errors import ServiceError
from citypulse.services.unit_of_work import run_transaction
from citypulse.state.session import SessionState


class VerifyEmailState(SessionState):
    """verifying → verified | failed."""

    status: str = "verifying"
    resend_email: str = ""
    resend_message: str = ""

    @rx.event
    async def verify(self):
        """Consume the token from the URL."""
        token, now = self.router.url.query_parameters.get("token", ""), datetime.now(UTC)
        self.status = "verifying"
        try:
            await asyncio.to_thread(
                run_transaction, lambda db: email_verify(db, token=token, now=now)
            )
        except ServiceError:
            self.status = "failed"
            return
        self.status = "verified"

    @rx.event
    def set_resend_email(self, value: str):
        self.resend_email = value.strip()[:254]

    @rx.event
    async def resend(self):
        """Send a fresh link (generic reply)."""
        email, now = self.resend_email, datetime.now(UTC)
        try:
            self.resend_message = await asyncio.to_thread(
                run_transaction, lambda db: verification_resend(db, email=email, now=now)
            )
        except ServiceError as error:
            self.resend_message = error.message
