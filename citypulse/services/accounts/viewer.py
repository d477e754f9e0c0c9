"""Who is signed in: re-established from the session cookie on every request and event.

This runs at the start of every event's transaction, so it is one prepared statement
(the open session row joined with its user) plus, at most once a minute per session,
one UPDATE recording activity for the idle timeout. No ORM entity is loaded.

The viewer it returns is remembered as established *in this transaction*: policy checks
(`services.policies`) trust its status and role there instead of reading the user again,
and re-read them for any other Viewer (e.g. one kept from an earlier transaction).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlmodel import Session

from citypulse.auth.sessions import IDLE_TIMEOUT, is_idle, session_touch_row
from citypulse.auth.tokens import InvalidToken, read_access_token
from citypulse.models import AuthSession, User
from citypulse.models.enums import AccountStatus, Role
from citypulse.services.prepared import Prepared

ESTABLISHED_VIEWER = "citypulse.established_viewer"


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
    email_verified: bool = False

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.moderator, Role.admin)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin

    @property
    def is_restricted(self) -> bool:
        return self.status in (AccountStatus.suspended, AccountStatus.banned)

    @property
    def is_active(self) -> bool:
        """Active and verified: may interact and create (PRODUCT.md "active user")."""
        return self.status == AccountStatus.active and self.email_verified


_SIGNED_IN = Prepared(
    select(
        AuthSession.id.label("session_id"),
        AuthSession.remember_me,
        AuthSession.last_used_at,
        AuthSession.expires_at,
        User.username,
        User.full_name,
        User.role,
        User.account_status,
        User.suspended_until,
        User.theme,
        User.email_verified_at.is_not(None).label("email_verified"),
    )
    .join(User, User.id == AuthSession.user_id)
    .where(
        AuthSession.family_id == bindparam("family_id"),
        AuthSession.user_id == bindparam("user_id"),
        AuthSession.revoked_at.is_(None),
    )
)


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
    handshake, so there (`live_connection=True`) an expired token is accepted and the
    session row decides — after `state.connection.usable_access_token` has refused tokens
    expired for longer than its grace (a copied cookie stops working soon after expiry).
    """
    if not token:
        return None
    try:
        claims = read_access_token(token, now, allow_expired=live_connection)
    except InvalidToken:
        return None
    row = _SIGNED_IN.run(session, family_id=claims.family_id, user_id=claims.user_id).first()
    if (
        row is None
        or row.expires_at <= now
        or is_idle(remember_me=row.remember_me, last_used_at=row.last_used_at, now=now)
        or row.account_status == AccountStatus.deactivated
    ):
        return None
    last_used_at = row.last_used_at
    if touch and session_touch_row(
        session, session_id=row.session_id, last_used_at=last_used_at, now=now
    ):
        last_used_at = now
    viewer = Viewer(
        user_id=claims.user_id,
        username=row.username,
        full_name=row.full_name,
        role=row.role,
        status=row.account_status,
        family_id=claims.family_id,
        suspended_until=row.suspended_until,
        theme=row.theme,
        idle_deadline=None if row.remember_me else last_used_at + IDLE_TIMEOUT,
        email_verified=row.email_verified,
    )
    session.info[ESTABLISHED_VIEWER] = (session.get_transaction(), viewer)
    return viewer


def established_here(session: Session, viewer: Viewer) -> bool:
    """True when `viewer` was read from the database in the session's current transaction."""
    transaction, established = session.info.get(ESTABLISHED_VIEWER, (None, None))
    return established is viewer and transaction is session.get_transaction()
