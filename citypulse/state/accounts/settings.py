"""/settings account sections: preferences, theme, password, sessions, export, deletion.

Each handler re-establishes the viewer and passes only the viewer's own id to a
service; no handler takes a user id from the browser.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from functools import partial

import reflex as rx

from citypulse.services.accounts.data_export import (
    ExportView,
    data_export_latest,
    data_export_request,
    start_export_build_in_background,
)
from citypulse.services.accounts.lifecycle import account_deactivate, password_change
from citypulse.services.accounts.settings import (
    AccountSettings,
    account_settings_view,
    email_preferences_update,
    session_revoke,
)
from citypulse.services.errors import ServiceError, ValidationFailed
from citypulse.services.unit_of_work import run_transaction
from citypulse.state.session import SessionState

PREFERENCE_KEYS = ("buddy_requests", "recommendations", "trips", "achievements",
                   "weekly_digest", "marketing")  # fmt: skip


EXPORT_WAIT_CHECKS = 60  # two minutes: the promised upper bound (§5.6)
EXPORT_WAIT_INTERVAL_SECONDS = 2


def format_moment(moment: datetime | None) -> str:
    """A timestamp as shown in settings (UTC, minutes)."""
    return moment.astimezone(UTC).strftime("%d %b %Y, %H:%M UTC") if moment else ""


class SettingsState(SessionState):
    """What /settings shows about the viewer's own account."""

    email: str = ""
    has_password: bool = True
    theme: str = "system"
    preferences: dict[str, bool] = {}
    preferences_message: str = ""
    sessions: list[dict[str, str]] = []
    restriction_kind: str = ""
    restriction_reason: str = ""
    restriction_ends: str = ""
    password_errors: dict[str, str] = {}
    password_message: str = ""
    deactivate_error: str = ""
    action_error: str = ""
    export_status: str = ""
    export_requested_at: str = ""
    export_expires_at: str = ""
    export_download_url: str = ""
    export_message: str = ""

    async def _run(self, action):
        return await asyncio.to_thread(run_transaction, action)

    def _apply(self, view: AccountSettings) -> None:
        self.email, self.has_password, self.theme = view.email, view.has_password, view.theme
        self.preferences = dict(view.email_preferences)
        self.sessions = [
            {
                "id": info.family_id,
                "device": info.device,
                "network": info.network,
                "last_seen": format_moment(info.last_seen),
                "signed_in": format_moment(info.signed_in),
                "current": "yes" if info.is_current else "",
            }
            for info in view.sessions
        ]
        restriction = view.restriction
        self.restriction_kind = restriction.kind if restriction else ""
        self.restriction_reason = restriction.reason if restriction else ""
        self.restriction_ends = format_moment(restriction.ends_at) if restriction else ""

    def _apply_export(self, export: ExportView | None) -> None:
        self.export_status = export.status if export else ""
        self.export_requested_at = format_moment(export.created_at) if export else ""
        self.export_expires_at = format_moment(export.expires_at) if export else ""
        self.export_download_url = (export.download_url or "") if export else ""

    async def _reload(self) -> bool:
        viewer = await self._viewer()
        if viewer is None:
            return False
        now = datetime.now(UTC)
        view = await self._run(
            lambda db: account_settings_view(
                db, user_id=viewer.user_id, current_family=viewer.family_id, now=now
            )
        )
        self._apply(view)
        self._apply_export(
            await self._run(lambda db: data_export_latest(db, user_id=viewer.user_id, now=now))
        )
        return True

    @rx.event
    async def load(self):
        """on_load: the viewer's own settings."""
        self.preferences_message = self.password_message = self.action_error = ""
        self.password_errors, self.deactivate_error = {}, ""
        if not await self._reload():
            return self._login_redirect()
        return None

    @rx.event
    async def save_preferences(self, form: dict):
        """Replace the six email preferences with the submitted switches."""
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        values = {key: form.get(key) in ("on", True, "true") for key in PREFERENCE_KEYS}
        await self._run(
            lambda db: email_preferences_update(db, user_id=viewer.user_id, values=values)
        )
        self.preferences = values
        self.preferences_message = "Email preferences saved"
        return None

    @rx.event
    async def change_password(self, form: dict):
        """Current password + new password twice; other sessions end."""
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        now = datetime.now(UTC)
        fields = {key: str(form.get(key, ""))[:128] for key in
                  ("current_password", "new_password", "confirm_password")}  # fmt: skip
        try:
            await self._run(
                lambda db: password_change(
                    db, user_id=viewer.user_id, keep_family=viewer.family_id, now=now, **fields
                )
            )
        except ValidationFailed as error:
            self.password_errors, self.password_message = error.field_errors, ""
            return None
        self.password_errors = {}
        self.password_message = "Password changed. Your other sessions have been signed out."
        await self._reload()
        return None

    @rx.event
    async def revoke_session(self, family_id: str):
        """End one of the viewer's own sessions (the service checks ownership)."""
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        now = datetime.now(UTC)
        try:
            await self._run(
                lambda db: session_revoke(
                    db, user_id=viewer.user_id, family_id=str(family_id), now=now
                )
            )
        except ServiceError as error:
            self.action_error = error.message
            return None
        await self._reload()
        return None

    @rx.event
    async def deactivate(self, form: dict):
        """Deactivate with the password (or username for Google-only accounts)."""
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        confirmation, now = str(form.get("confirmation", ""))[:128], datetime.now(UTC)
        try:
            await self._run(
                lambda db: account_deactivate(
                    db, user_id=viewer.user_id, confirmation=confirmation, now=now
                )
            )
        except ValidationFailed as error:
            self.deactivate_error = error.message
            return None
        await self._show(None)  # signed out here, so the revocation push does not redirect again
        return rx.redirect("/login?deactivated=1")

    @rx.event
    async def request_export(self):
        """Start building the ZIP of the viewer's data (one per 24 h)."""
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        now = datetime.now(UTC)
        try:
            export = await self._run(
                lambda db: data_export_request(db, user_id=viewer.user_id, now=now)
            )
        except ServiceError as error:
            self.export_message = error.message
            return None
        start_export_build_in_background(export.id)
        self._apply_export(export)
        self.export_message = "Your export is being prepared; it takes a few seconds."
        return SettingsState.wait_for_export

    @rx.event(background=True)
    async def wait_for_export(self):
        """Check the build server-side until it is ready (bounded; no client polling)."""
        for _ in range(EXPORT_WAIT_CHECKS):
            await asyncio.sleep(EXPORT_WAIT_INTERVAL_SECONDS)
            async with self:
                viewer = await self._viewer()
                if viewer is None:
                    return
                export = await self._run(
                    partial(data_export_latest, user_id=viewer.user_id, now=datetime.now(UTC))
                )
                self._apply_export(export)
                if export is None or export.status != "pending":
                    self.export_message = ""
                    return
