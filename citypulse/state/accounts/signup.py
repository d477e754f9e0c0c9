"""/signup: live field checks, the strength meter, and registration.

The visitor is not signed in: every database step runs through `_load` (one transaction,
visitors allowed). The password is kept only in backend vars (`_password`, `_confirm`);
the page receives just the meter's reading and which rules hold.
"""

from __future__ import annotations

from dataclasses import replace
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
from citypulse.state.accounts.views import SignupErrors
from citypulse.state.forms import errors_of, typed
from citypulse.state.session import SessionState

# The meter's checklist, in the order of `rules_met` (the page shows these texts).
STRENGTH_RULE_DESCRIPTIONS = tuple(description for _, description, _ in STRENGTH_RULES)
USERNAME_TAKEN = "An account with this username already exists"


class SignupState(SessionState):
    """The sign-up form.

    The typed name fields are `signup_*`: `SessionState.username`/`full_name` belong to the
    viewer (reset to '' for a visitor on every event that looks the viewer up).
    """

    signup_username: str = ""
    signup_full_name: str = ""
    email: str = ""
    accepted_terms: bool = False
    errors: SignupErrors = SignupErrors()
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
        if getattr(self.errors, field) != (message or ""):
            self.errors = replace(self.errors, **{field: message or ""})

    @rx.var
    def can_submit(self) -> bool:
        """Submit stays disabled until every field is filled and valid."""
        filled = self.signup_username and self.signup_full_name and self.email and self.has_password
        return bool(filled and self.confirm_matches and self.accepted_terms and not self.errors.any)

    @rx.event
    async def set_username(self, value: str):
        """Check the format and (live) availability of the username."""
        self.signup_username = typed(value).strip().lower()[:30]
        problem = username_problem(self.signup_username)
        if problem is None:
            name = self.signup_username
            outcome = await self._load(lambda db, viewer: username_taken(db, name))
            problem = USERNAME_TAKEN if outcome.value else outcome.message or None
        self._set_error("username", problem)

    @rx.event
    def set_full_name(self, value: str):
        self.signup_full_name = typed(value)[:100]
        ok = 2 <= len(self.signup_full_name.strip()) <= 100
        self._set_error("full_name", None if ok else "Full name must be 2–100 characters")

    @rx.event
    def set_email(self, value: str):
        self.email = typed(value).strip()[:254]
        ok = "@" in self.email and "." in self.email.split("@")[-1]
        self._set_error("email", None if ok else "Enter a valid email address")

    def _check_passwords(self) -> None:
        strength = password_strength(self._password)
        self.strength_percent, self.strength_label = strength.percent, strength.label
        self.rules_met = [rule(self._password) for _, _, rule in STRENGTH_RULES]
        self.has_password = bool(self._password)
        problem = password_problem(self._password, username=self.signup_username, email=self.email)
        self._set_error("password", problem if self._password else None)
        self.has_confirm = bool(self._confirm)
        self.confirm_matches = bool(self._confirm) and self._confirm == self._password
        mismatch = self.has_confirm and not self.confirm_matches
        self._set_error("confirm_password", "Passwords do not match" if mismatch else None)

    @rx.event
    def set_password(self, value: str):
        self._password = typed(value)[:128]
        self._check_passwords()

    @rx.event
    def set_confirm(self, value: str):
        self._confirm = typed(value)[:128]
        self._check_passwords()

    @rx.event
    def set_accepted_terms(self, value: bool):
        self.accepted_terms = bool(value)

    @rx.event
    async def submit(self):
        """Create the account (rules re-checked by the service) and show "Check your email"."""
        form = SignUpForm(
            self.signup_username, self.signup_full_name, self.email, self._password, self._confirm,
            self.accepted_terms,
        )  # fmt: skip
        ip = self._client_ip()
        now = datetime.now(UTC)
        outcome = await self._load(
            lambda db, viewer: account_register(db, form=form, ip=ip, now=now)
        )
        if outcome.field_errors:
            self.errors = errors_of(SignupErrors, outcome.field_errors)
            self.form_error = "Please correct the highlighted fields"
            return
        if not outcome.ok:
            self.form_error = outcome.message
            return
        self._password = self._confirm = ""
        self.form_error = ""
        self.registered = True

    @rx.event
    async def resend(self):
        """Send the verification link again (the reply never reveals anything)."""
        email, now = self.email, datetime.now(UTC)
        outcome = await self._load(lambda db, viewer: verification_resend(db, email=email, now=now))
        self.resend_message = outcome.value if outcome.ok else outcome.message
