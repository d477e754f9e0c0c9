"""`/settings` opens with one loader transaction: every section the page shows (§2.2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from citypulse.services.accounts.data_export import ExportView, data_export_latest
from citypulse.services.accounts.settings import AccountSettings, account_settings_view
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import PermissionDenied
from citypulse.services.profiles.settings import (
    InterestSettings,
    PrivacySettings,
    interests_view,
    privacy_view,
)


@dataclass(frozen=True)
class SettingsPage:
    """The viewer's own settings: account, latest export, privacy and interests.

    `privacy` and `interests` are None while the account is restricted: a suspended or
    banned user sees the restricted screen, not the profile sections (§4.13.8).
    """

    account: AccountSettings
    export: ExportView | None
    privacy: PrivacySettings | None
    interests: InterestSettings | None


def settings_page(session: Session, *, viewer: Viewer | None, now: datetime) -> SettingsPage | None:
    """Everything `/settings` shows to its signed-in owner; None for a visitor.

    Raises:
        NotFound: the account no longer exists.
    """
    if viewer is None:
        return None
    account = account_settings_view(session, actor=viewer, now=now)
    export = data_export_latest(session, user_id=viewer.user_id, now=now)
    try:
        privacy, interests = (
            privacy_view(session, actor=viewer),
            interests_view(session, actor=viewer),
        )
    except PermissionDenied:  # restricted: refused before anything was read or written
        privacy = interests = None
    return SettingsPage(account, export, privacy, interests)
