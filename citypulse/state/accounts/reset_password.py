"""/reset-password: email → 6-digit code → new password (§4.1 item 8).

The grant obtained with the right code stays in a backend var of this tab: it never
reaches the browser, which binds it to this browser session.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import reflex as rx

from citypulse.services.accounts.password_reset import (
    password_reset_complete,
    password_reset_request,
    password_reset_verify,
)
from citypulse.services.errors import ServiceError, ValidationFailed
from citypulse.services.unit_of_work import run_transaction
from citypulse.state.session import SessionState


class ResetPasswordState(SessionState):
    """Which step the visitor is on and the messages to show."""

    step: int = 1
    email: str = ""
    message: str = ""
    error: str = ""
    password_error: str = ""
    confirm_error: str = ""
    _grant: str = ""

    @rx.event
    def start(self):
        """Every visit starts at step 1."""
        self.step, self.message, self.error = 1, "", ""
        self.password_error = self.confirm_error = ""
        self._grant = ""

    async def _run(self, action):
        return await asyncio.to_thread(run_transaction, action)

    @rx.event
    async def request_code(self, form: dict):
        """Step 1: the reply is the same whether or not the account exists."""
        email, ip, now = (
            str(form.get("email", "")).strip()[:254],
            self._client_ip(),
            datetime.now(UTC),
        )
        self.error = ""
        try:
            self.message = await self._run(
                lambda db: password_reset_request(db, email=email, ip=ip, now=now)
            )
        except ServiceError as error:
            self.error = error.message
            return
        self.email, self.step = email, 2

    @rx.event
    async def verify_code(self, form: dict):
        """Step 2: the right code yields the grant (kept server-side)."""
        email, code, now = self.email, str(form.get("code", ""))[:12], datetime.now(UTC)
        try:
            self._grant = await self._run(
                lambda db: password_reset_verify(db, email=email, code=code, now=now)
            )
        except ServiceError as error:
            self.error = error.message
            return
        self.error, self.message, self.step = "", "", 3

    @rx.event
    async def set_password(self, form: dict):
        """Step 3: new password + confirmation; then log in again."""
        grant, now = self._grant, datetime.now(UTC)
        password = str(form.get("password", ""))[:128]
        confirm = str(form.get("confirm_password", ""))[:128]
        try:
            await self._run(
                lambda db: password_reset_complete(
                    db, grant=grant, password=password, confirm_password=confirm, now=now
                )
            )
        except ValidationFailed as error:
            self.password_error = error.field_errors.get("password", "")
            self.confirm_error = error.field_errors.get("confirm_password", "")
            return
        self._grant = ""
        return rx.redirect("/login?reset=done")
