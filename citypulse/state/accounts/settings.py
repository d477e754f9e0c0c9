"""/settings account sections: preferences, theme, password, sessions, export, deletion.

Every handler runs through the one event path (`_call` / `_load`): the viewer comes from
the session cookie in the same transaction as the action, and the services change only
that viewer's rows; no handler takes a user id from the browser.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import reflex as rx
from sqlmodel import Session

from citypulse.services.accounts.data_export import (
    ExportView,
    data_export_latest,
    data_export_request,
    start_export_build_in_background,
)
from citypulse.services.accounts.lifecycle import account_deactivate, password_change
from citypulse.services.accounts.settings import email_preferences_update, session_revoke
from citypulse.services.accounts.settings_page import SettingsPage, settings_page
from citypulse.services.accounts.viewer import Viewer
from citypulse.state.accounts.views import (
    PREFERENCE_KEYS,
    EmailPreferencesView,
    ExportStatusView,
    PasswordErrors,
    SessionRowView,
    email_preferences_view,
    export_status_view,
    session_rows,
)
from citypulse.state.forms import errors_of
from citypulse.state.profiles.settings_privacy import PrivacySettingsState
from citypulse.state.session import SessionState

EXPORT_WAIT_CHECKS = 60  # two minutes: the promised upper bound (§5.6)
EXPORT_WAIT_INTERVAL_SECONDS = 2
PASSWORD_FIELDS = ("current_password", "new_password", "confirm_password")
PASSWORD_CHANGED = "Password changed. Your other sessions have been signed out."


# Data exports are kept by user id (the download route and the build job have no viewer).
def _export_request(db: Session, *, actor: Viewer, now: datetime) -> ExportView:
    return data_export_request(db, user_id=actor.user_id, now=now)


def _export_latest(db: Session, *, actor: Viewer, now: datetime) -> ExportView | None:
    return data_export_latest(db, user_id=actor.user_id, now=now)


class SettingsState(SessionState):
    """What /settings shows about the viewer's own account."""

    email: str = ""
    has_password: bool = True
    preferences: EmailPreferencesView = EmailPreferencesView()
    preferences_message: str = ""
    sessions: list[SessionRowView] = []
    password_errors: PasswordErrors = PasswordErrors()
    password_message: str = ""
    deactivate_error: str = ""
    action_error: str = ""
    export: ExportStatusView = ExportStatusView()
    export_message: str = ""

    async def _apply(self, page: SettingsPage) -> None:
        account = page.account
        self.email, self.has_password = account.email, account.has_password
        self.preferences = email_preferences_view(account.email_preferences)
        self.sessions = session_rows(account.sessions)
        self.export = export_status_view(page.export)
        privacy = await self.get_state(PrivacySettingsState)
        privacy._show_settings(page.privacy, page.interests)

    @rx.event
    async def load(self):
        """on_load: the viewer's own settings, every section in one transaction."""
        self.preferences_message = self.password_message = self.action_error = ""
        self.password_errors, self.deactivate_error = PasswordErrors(), ""
        outcome = await self._load(settings_page, now=datetime.now(UTC))
        if not outcome.ok:
            return outcome.event
        if outcome.value is None:
            return self._login_redirect()
        await self._apply(outcome.value)
        return None

    @rx.event
    async def save_preferences(self, form: dict):
        """Replace the six email preferences with the submitted switches."""
        values = {key: form.get(key) in ("on", True, "true") for key in PREFERENCE_KEYS}
        outcome = await self._call(email_preferences_update, values=values)
        if not outcome.ok:
            return outcome.event
        self.preferences = email_preferences_view(values)
        self.preferences_message = "Email preferences saved"
        return None

    @rx.event
    async def change_password(self, form: dict):
        """Current password + new password twice; the viewer's other sessions end."""
        fields = {key: str(form.get(key, ""))[:128] for key in PASSWORD_FIELDS}
        outcome = await self._call(password_change, now=datetime.now(UTC), **fields)
        if outcome.field_errors:
            self.password_errors = errors_of(PasswordErrors, outcome.field_errors)
            self.password_message = ""
            return None
        if not outcome.ok:
            return outcome.event
        self.password_errors, self.password_message = PasswordErrors(), PASSWORD_CHANGED
        self.sessions = [row for row in self.sessions if row.is_current]  # the others ended
        return None

    @rx.event
    async def revoke_session(self, family_id: str):
        """End one of the viewer's own sessions (the service checks ownership)."""
        family = str(family_id)[:64]
        outcome = await self._call(session_revoke, family_id=family, now=datetime.now(UTC))
        if outcome.signed_out:
            return outcome.redirect
        if not outcome.ok:
            self.action_error = outcome.message
            return None
        self.action_error = ""
        self.sessions = [row for row in self.sessions if row.family_id != family]
        return None

    @rx.event
    async def deactivate(self, form: dict):
        """Deactivate with the password (or username for Google-only accounts)."""
        confirmation = str(form.get("confirmation", ""))[:128]
        outcome = await self._call(
            account_deactivate, confirmation=confirmation, now=datetime.now(UTC)
        )
        if outcome.field_errors:
            self.deactivate_error = outcome.message
            return None
        if not outcome.ok:
            return outcome.event
        await self._show(None)  # signed out here, so the revocation push does not redirect again
        return rx.redirect("/login?deactivated=1")

    @rx.event
    async def request_export(self):
        """Start building the ZIP of the viewer's data (one per 24 h)."""
        outcome = await self._call(_export_request, now=datetime.now(UTC))
        if outcome.signed_out:
            return outcome.redirect
        if not outcome.ok or outcome.value is None:
            self.export_message = outcome.message
            return None
        start_export_build_in_background(outcome.value.id)
        self.export = export_status_view(outcome.value)
        self.export_message = "Your export is being prepared; it takes a few seconds."
        return SettingsState.wait_for_export

    @rx.event(background=True)
    async def wait_for_export(self):
        """Check the build server-side until it is ready (bounded; no client polling)."""
        for _ in range(EXPORT_WAIT_CHECKS):
            await asyncio.sleep(EXPORT_WAIT_INTERVAL_SECONDS)
            async with self:
                outcome = await self._call(_export_latest, now=datetime.now(UTC))
                if not outcome.ok:
                    return
                self.export = export_status_view(outcome.value)
                if outcome.value is None or outcome.value.status != "pending":
                    self.export_message = ""
                    return
