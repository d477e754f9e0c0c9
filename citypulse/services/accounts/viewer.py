"""Who is signed in: re-established from the session cookie on every request and event."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from citypulse.auth.sessions import IDLE_TIMEOUT, active_session, session_touch
from citypulse.auth.tokens import InvalidToken, read_access_token
from citypulse.models import User
from citypulse.models.enums import AccountStatus, Role


@dataclass(frozen=True)
class Viewer:
    """The signed-in user as the UI may know them (no secrets)."""

    user_id: int
    username: str
    full_name: str
    role: str
    status: str
    family_id: uuid.UUID
    suspended_until: datetime | None
    theme: str = "system"
    idle_deadline: datetime | None = None  # None for "Remember me" sessions

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.moderator, Role.admin)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin

    @property
    def is_restricted(self) -> bool:
        return self.status in (AccountStatus.suspended, AccountStatus.banned)


def viewer_from_access_token(
    session: Session,
    token: str | None,
    now: datetime,
    *,
    touch: bool = True,
    live_connection: bool = False,
) -> Viewer | None:
    """The viewer behind an access-token cookie, or None when signed out or revoked.

    Role and status are read from the database every time (§1.5). `touch` records
    activity for the idle timeout. HTTP requests need an unexpired access token (open
    pages refresh it every few minutes); the live connection's cookie is frozen at the
    handshake, so there the session row alone decides (`live_connection=True`).
    """
    if not token:
        return None
    try:
        claims = read_access_token(token, now, allow_expired=live_connection)
    except InvalidToken:
        return None
    row = active_session(session, claims.family_id, now)
    if row is None or row.user_id != claims.user_id:
        return None
    user = session.get(User, row.user_id)
    if user is None or user.account_status == AccountStatus.deactivated:
        return None
    if touch:
        session_touch(session, row, now)
    return Viewer(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        status=user.account_status,
        family_id=row.family_id,
        suspended_until=user.suspended_until,
        theme=user.theme,
        idle_deadline=None if row.remember_me else row.last_used_at + IDLE_TIMEOUT,
    )
