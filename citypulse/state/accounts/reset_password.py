"""/reset-password: email → 6-digit code → new password (§4.1 item 8).

The grant obtained with the right code stays in a backend var of this tab: it never
reaches the browser, which binds it to this browser session. The visitor is not signed
in, so each step runs through `_load` (one transaction, visitors allowed).
"""

from __future__ import annotations

from datetime import UTC, datetime

import reflex as rx

from citypulse.params import parse_text
from citypulse.services.accounts.password_reset import (
    CodeVoid,
    password_reset_complete,
    password_reset_request,
    password_reset_verify,
)
from citypulse.state.session import SessionState

INVALID_EMAIL = "Enter a valid email address"


class ResetPasswordState(SessionState):
    """Which step the visitor is on and the messages to show."""

    step: int = 1
    email: str = ""
    message: str = ""
    error: str = ""
    code_error: str = ""
    code_void: bool = False  # only a new code helps: the code form gives way to that button
    password_error: str = ""
    confirm_error: str = ""
    _grant: str = ""

    @rx.event
    def start(self):
        """Every visit (and "Request a new code") starts at step 1; the email is kept."""
        self.step, self.message, self.error = 1, "", ""
        self.code_error, self.code_void = "", False
        self.password_error = self.confirm_error = ""
        self._grant = ""

    @rx.event
    async def request_code(self, form: dict):
        """Step 1: the reply is the same whether or not the account exists."""
        email = parse_text(str(form.get("email", "")).strip(), max_length=254)
        if email is None:  # over-long, or a NUL no address contains
            self.error = INVALID_EMAIL
            return
        ip, now = self._client_ip(), datetime.now(UTC)
        outcome = await self._load(
            lambda db, viewer: password_reset_request(db, email=email, ip=ip, now=now)
        )
        self.error = outcome.message
        if outcome.ok:
            self.message, self.email, self.step = outcome.value, email, 2

    @rx.event
    async def verify_code(self, form: dict):
        """Step 2: the right code yields the grant (kept server-side)."""
        code = parse_text(str(form.get("code", ""))[:12], max_length=12) or ""  # "": wrong
        email, now = self.email, datetime.now(UTC)
        outcome = await self._load(
            lambda db, viewer: password_reset_verify(db, email=email, code=code, now=now)
        )
        if not outcome.ok:
            self.code_error = outcome.field_errors.get("code", outcome.message)
            self.code_void = isinstance(outcome.error, CodeVoid)
            return
        self._grant = outcome.value
        self.code_error, self.message, self.step = "", "", 3

    @rx.event
    async def set_password(self, form: dict):
        """Step 3: new password + confirmation; then log in again."""
        grant, now = self._grant, datetime.now(UTC)
        password = str(form.get("password", ""))[:128]
        confirm = str(form.get("confirm_password", ""))[:128]
        outcome = await self._load(
            lambda db, viewer: password_reset_complete(
                db, grant=grant, password=password, confirm_password=confirm, now=now
            )
        )
        if not outcome.ok:
            fields = outcome.field_errors or {"password": outcome.message}
            self.password_error = fields.get("password", "")
            self.confirm_error = fields.get("confirm_password", "")
            return
        self._grant = ""
        return rx.redirect("/login?reset=done")
