"""/signup: live field checks, the strength meter, and registration.

The password is kept only in backend vars (`_password`, `_confirm`); the page receives
just the meter's reading and which rules hold.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import reflex as rx

from citypulse.auth.password_policy import STRENGTH_RULES, password_problem, password_strength
from citypulse.services.accounts.registration import (
    SignUpForm,
    account_register,
    username_problem,
    username_taken,
    verification_resend,
)
from citypulse.services.errors import ServiceError, ValidationFailed
from citypulse.services.unit_of_work import run_transaction
from citypulse.state.session import SessionState

# The meter's checklist, in the order of `rules_met` (the page shows these texts).
STRENGTH_RULE_DESCRIPTIONS = tuple(description for _, description, _ in STRENGTH_RULES)
FIELDS = ("username", "full_name", "email", "password", "confirm_password", "accepted_terms")


class SignupState(SessionState):
    """The sign-up form."""

    username: str = ""
    full_name: str = ""
    email: str = ""
    accepted_terms: bool = False
    errors: dict[str, str] = {}
    strength_percent: int = 0
    strength_label: str = "Weak"
    rules_met: list[bool] = [False] * len(STRENGTH_RULES)
    has_password: bool = False
    confirm_matches: bool = False
    has_confirm: bool = False
    form_error: str = ""
    registered: bool = False
    resend_message: str = ""
    _password: str = ""
    _confirm: str = ""

    def _set_error(self, field: str, message: str | None) -> None:
        errors = dict(self.errors)
        if message:
            errors[field] = message
        else:
            errors.pop(field, None)
        self.errors = errors

    @rx.var
    def can_submit(self) -> bool:
        """Submit stays disabled until every field is filled and valid."""
        filled = self.username and self.full_name and self.email and self.has_password
        return bool(filled and self.confirm_matches and self.accepted_terms and not self.errors)

    @rx.event
    async def set_username(self, value: str):
        """Check the format and (live) availability of the username."""
        self.username = value.strip().lower()[:30]
        problem = username_problem(self.username)
        if problem is None:
            name = self.username
            taken = await asyncio.to_thread(run_transaction, lambda db: username_taken(db, name))
            problem = "An account with this username already exists" if taken else None
        self._set_error("username", problem)

    @rx.event
    def set_full_name(self, value: str):
        self.full_name = value[:100]
        ok = 2 <= len(self.full_name.strip()) <= 100
        self._set_error("full_name", None if ok else "Full name must be 2–100 characters")

    @rx.event
    def set_email(self, value: str):
        self.email = value.strip()[:254]
        ok = "@" in self.email and "." in self.email.split("@")[-1]
        self._set_error("email", None if ok else "Enter a valid email address")

    def _check_passwords(self) -> None:
        strength = password_strength(self._password)
        self.strength_percent, self.strength_label = strength.percent, strength.label
        self.rules_met = [rule(self._password) for _, _, rule in STRENGTH_RULES]
        self.has_password = bool(self._password)
        problem = password_problem(self._password, username=self.username, email=self.email)
        self._set_error("password", problem if self._password else None)
        self.has_confirm = bool(self._confirm)
        self.confirm_matches = bool(self._confirm) and self._confirm == self._password
        mismatch = self.has_confirm and not self.confirm_matches
        self._set_error("confirm_password", "Passwords do not match" if mismatch else None)

    @rx.event
    def set_password(self, value: str):
        self._password = value[:128]
        self._check_passwords()

    @rx.event
    def set_confirm(self, value: str):
        self._confirm = value[:128]
        self._check_passwords()

    @rx.event
    def set_accepted_terms(self, value: bool):
        self.accepted_terms = bool(value)

    @rx.event
    async def submit(self):
        """Create the account (rules re-checked by the service) and show "Check your email"."""
        form = SignUpForm(
            self.username, self.full_name, self.email, self._password, self._confirm,
            self.accepted_terms,
        )  # fmt: skip
        ip = self._client_ip()
        now = datetime.now(UTC)
        try:
            await asyncio.to_thread(
                run_transaction, lambda db: account_register(db, form=form, ip=ip, now=now)
            )
        except ValidationFailed as error:
            self.errors = {k: v for k, v in error.field_errors.items() if k in FIELDS}
            self.form_error = "Please correct the highlighted fields"
            return
        except ServiceError as error:
            self.form_error = error.message
            return
        self._password = self._confirm = ""
        self.form_error = ""
        self.registered = True

    @rx.event
    async def resend(self):
        """Send the verification link again (the reply never reveals anything)."""
        email, now = self.email, datetime.now(UTC)
        try:
            self.resend_message = await asyncio.to_thread(
                run_transaction, lambda db: verification_resend(db, email=email, now=now)
            )
        except ServiceError as error:
            self.resend_message = error.message
