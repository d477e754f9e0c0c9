"""The account sections of /settings: what the owner sees and may change (§2.2 /settings)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from citypulse.auth.sessions import SessionInfo, list_sessions, revoke_family
from citypulse.email.messages import PREFERENCE_CATEGORIES
from citypulse.models import AuthSession, EmailPreferences, User
from citypulse.models.enums import RevokeReason, Theme
from citypulse.realtime import SessionsRevoked, publish_after_commit
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound, ValidationFailed


@dataclass(frozen=True)
class AccountSettings:
    """Everything the owner's account sections show (their own data only)."""

    email: str
    has_password: bool
    theme: str
    status: str
    email_preferences: dict[str, bool]
    sessions: list[SessionInfo]


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("User not found")
    return user


def _preferences(session: Session, user_id: int) -> EmailPreferences:
    row = session.exec(select(EmailPreferences).where(EmailPreferences.user_id == user_id)).first()
    if row is None:  # every account gets one at sign-up; recreate rather than fail
        row = EmailPreferences(user_id=user_id)
        session.add(row)
        session.flush()
    return row


def account_settings_view(session: Session, *, actor: Viewer, now: datetime) -> AccountSettings:
    """The actor's own account settings (the actor's session marked as the current one).

    Raises:
        NotFound: the account no longer exists.
    """
    user = _user(session, actor.user_id)
    preferences = _preferences(session, user.id)
    return AccountSettings(
        email=user.email,
        has_password=user.password_hash is not None,
        theme=user.theme,
        status=user.account_status,
        email_preferences={name: getattr(preferences, name) for name in PREFERENCE_CATEGORIES},
        sessions=list_sessions(session, user, actor.family_id, now),
    )


def email_preferences_update(session: Session, *, actor: Viewer, values: dict[str, bool]) -> None:
    """Replace the actor's preference switches (unknown keys are refused)."""
    unknown = set(values) - set(PREFERENCE_CATEGORIES)
    if unknown:
        raise ValidationFailed({"email_preferences": "Unknown email preference"})
    _user(session, actor.user_id)  # a vanished account is "not found", not a foreign-key error
    preferences = _preferences(session, actor.user_id)
    for name, enabled in values.items():
        setattr(preferences, name, bool(enabled))
    session.add(preferences)


def theme_update(session: Session, *, user_id: int, theme: str) -> None:
    """Store the account's theme (light, dark or system)."""
    if theme not in {t.value for t in Theme}:
        raise ValidationFailed({"theme": "Choose Light, Dark or System"})
    user = _user(session, user_id)
    user.theme = theme
    session.add(user)


def session_revoke(session: Session, *, actor: Viewer, family_id: str, now: datetime) -> None:
    """End one of the actor's own sessions (another user's session id is 'not found')."""
    try:
        family = uuid.UUID(family_id)
    except ValueError as error:
        raise NotFound("Session not found") from error
    owned = session.exec(
        select(AuthSession.id).where(
            AuthSession.family_id == family, AuthSession.user_id == actor.user_id
        )
    ).first()
    if owned is None:
        raise NotFound("Session not found")
    revoke_family(session, family, RevokeReason.revoked_by_user, now)
    publish_after_commit(session, SessionsRevoked(actor.user_id))
