"""Account read models → the typed view models the account pages render.

Every var of the account states that holds a record is one of these frozen dataclasses
(real booleans, no string-keyed dicts); the mappers below are the only place that turns
service read models into display text.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime

from citypulse.auth.sessions import SessionInfo
from citypulse.services.accounts.data_export import ExportView
from citypulse.state.moments import moment_iso


def format_moment(moment: datetime | None) -> str:
    """A timestamp as the account pages show it (UTC, minutes; '' when unknown)."""
    return moment.astimezone(UTC).strftime("%d %b %Y, %H:%M UTC") if moment else ""


@dataclass(frozen=True)
class SessionRowView:
    """One signed-in browser in "Active sessions"."""

    family_id: str = ""
    device: str = ""
    network: str = ""
    last_seen: str = ""  # the server's wording, until the browser words the ISO value
    last_seen_iso: str = ""
    signed_in: str = ""
    is_current: bool = False


@dataclass(frozen=True)
class EmailPreferencesView:
    """The six email switches (§4.12), in the order the page lists them."""

    buddy_requests: bool = True
    recommendations: bool = True
    trips: bool = True
    achievements: bool = True
    weekly_digest: bool = True
    marketing: bool = False


PREFERENCE_KEYS = tuple(field.name for field in fields(EmailPreferencesView))


@dataclass(frozen=True)
class ExportStatusView:
    """The latest data export; `status` is '' when there is none."""

    status: str = ""
    requested_at: str = ""
    expires_at: str = ""
    download_url: str = ""


@dataclass(frozen=True)
class PasswordErrors:
    """Field errors of "Change password" ('' when the field is fine)."""

    current_password: str = ""
    new_password: str = ""
    confirm_password: str = ""


@dataclass(frozen=True)
class SignupErrors:
    """Field errors of the sign-up form ('' when the field is fine)."""

    username: str = ""
    full_name: str = ""
    email: str = ""
    password: str = ""
    confirm_password: str = ""
    accepted_terms: str = ""

    @property
    def any(self) -> bool:
        """True while at least one field has an error."""
        return any(getattr(self, field.name) for field in fields(self))


def session_rows(sessions: list[SessionInfo]) -> list[SessionRowView]:
    """The viewer's own sessions, current one marked."""
    return [
        SessionRowView(
            family_id=str(info.family_id),
            device=info.device,
            network=info.network,
            last_seen=format_moment(info.last_seen),
            last_seen_iso=moment_iso(info.last_seen),
            signed_in=format_moment(info.signed_in),
            is_current=info.is_current,
        )
        for info in sessions
    ]


def email_preferences_view(values: dict[str, bool]) -> EmailPreferencesView:
    """The switches from the stored preferences (unknown keys ignored)."""
    return EmailPreferencesView(
        **{key: bool(values[key]) for key in PREFERENCE_KEYS if key in values}
    )


def export_status_view(export: ExportView | None) -> ExportStatusView:
    """The "Your data" section's status line and download link."""
    if export is None:
        return ExportStatusView()
    return ExportStatusView(
        status=str(export.status),
        requested_at=format_moment(export.created_at),
        expires_at=format_moment(export.expires_at),
        download_url=export.download_url or "",
    )
