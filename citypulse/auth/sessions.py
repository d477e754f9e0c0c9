"""Server-side sessions (§5.3): rotating refresh tokens grouped in families.

A family is one sign-in on one browser. Each refresh replaces the family's current row
by a new one; presenting a replaced token again revokes the whole family (reuse
detection). Browsers only ever hold the tokens in HttpOnly cookies.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, col, select, update

from citypulse.auth.client_info import truncate_ip
from citypulse.auth.tokens import issue_access_token, new_token, token_hash
from citypulse.models import AuthSession, User
from citypulse.models.enums import RevokeReason
from citypulse.realtime import SessionsRevoked, publish_after_commit

SESSION_LIFETIME = timedelta(days=7)
REMEMBER_ME_LIFETIME = timedelta(days=30)
IDLE_TIMEOUT = timedelta(minutes=15)
ACTIVITY_TOUCH_INTERVAL = timedelta(minutes=1)  # bounds writes from busy tabs


class SessionInvalid(Exception):
    """The presented session token is unknown, expired, revoked or reused."""


class SessionJustRotated(Exception):
    """Another tab of the same browser rotated this token a moment ago (not a theft).

    The browser already holds the successor's cookies, so nothing needs to change.
    """


# Two tabs refreshing at once present the same token; within this window the second
# presentation is treated as that race instead of as reuse by a thief.
ROTATION_GRACE = timedelta(seconds=30)


@dataclass(frozen=True)
class IssuedSession:
    """Cookie material for a new or rotated session (never sent to page scripts)."""

    user_id: int
    refresh_token: str
    access_token: str
    family_id: uuid.UUID
    expires_at: datetime
    max_age_seconds: int


@dataclass(frozen=True)
class SessionInfo:
    """One signed-in browser, as listed in /settings."""

    family_id: str
    device: str
    network: str
    last_seen: datetime
    signed_in: datetime
    remember_me: bool
    is_current: bool


def _issue(session: Session, row: AuthSession, now: datetime) -> IssuedSession:
    refresh_token = new_token()
    row.token_hash = token_hash(refresh_token)
    session.add(row)
    session.flush()
    return IssuedSession(
        user_id=row.user_id,
        refresh_token=refresh_token,
        access_token=issue_access_token(row.user_id, row.family_id, now),
        family_id=row.family_id,
        expires_at=row.expires_at,
        max_age_seconds=int((row.expires_at - now).total_seconds()),
    )


def session_start(
    session: Session,
    *,
    user_id: int,
    remember_me: bool,
    user_agent: str | None,
    ip: str | None,
    now: datetime,
) -> IssuedSession:
    """Open a new session family for a user who just proved who they are."""
    lifetime = REMEMBER_ME_LIFETIME if remember_me else SESSION_LIFETIME
    row = AuthSession(
        user_id=user_id,
        token_hash="",
        family_id=uuid.uuid4(),
        remember_me=remember_me,
        user_agent=(user_agent or "")[:255] or None,
        ip_prefix=truncate_ip(ip),
        last_used_at=now,
        expires_at=now + lifetime,
    )
    return _issue(session, row, now)


def _is_idle(row: AuthSession, now: datetime) -> bool:
    return is_idle(remember_me=row.remember_me, last_used_at=row.last_used_at, now=now)


def is_idle(*, remember_me: bool, last_used_at: datetime, now: datetime) -> bool:
    """True when a plain session had no activity for the idle timeout (§4.1.4)."""
    return not remember_me and last_used_at + IDLE_TIMEOUT <= now


def touch_due(last_used_at: datetime, now: datetime) -> bool:
    """True when activity at `now` should be written (at most once a minute per session)."""
    return last_used_at + ACTIVITY_TOUCH_INTERVAL <= now


def session_rotate(session: Session, *, refresh_token: str, now: datetime) -> IssuedSession:
    """Exchange a refresh token for a new one of the same family.

    Raises:
        SessionJustRotated: the token was rotated less than 30 s ago (concurrent tabs).
        SessionInvalid: unknown, expired, idle or revoked token; a reused (already
            rotated) token also revokes its whole family.
    """
    row = session.exec(
        select(AuthSession).where(AuthSession.token_hash == token_hash(refresh_token))
    ).first()
    if row is None:
        raise SessionInvalid("unknown session")
    if row.revoked_at is not None:
        if row.revoke_reason == RevokeReason.rotated and row.revoked_at + ROTATION_GRACE > now:
            raise SessionJustRotated()
        if row.revoke_reason == RevokeReason.rotated:
            revoke_family(session, row.family_id, RevokeReason.reuse_detected, now)
            # Callers roll back on errors; the stolen family must stay revoked regardless.
            session.commit()
        raise SessionInvalid("session revoked")
    if row.expires_at <= now or _is_idle(row, now):
        revoke_family(session, row.family_id, RevokeReason.logout, now)
        session.commit()
        raise SessionInvalid("session expired")
    successor = AuthSession(
        user_id=row.user_id,
        token_hash="",
        family_id=row.family_id,
        remember_me=row.remember_me,
        user_agent=row.user_agent,
        ip_prefix=row.ip_prefix,
        last_used_at=row.last_used_at,  # rotation is not user activity
        expires_at=row.expires_at,
    )
    issued = _issue(session, successor, now)
    row.revoked_at, row.revoke_reason, row.replaced_by_id = now, RevokeReason.rotated, successor.id
    session.add(row)
    return issued


def active_session(session: Session, family_id: uuid.UUID, now: datetime) -> AuthSession | None:
    """The family's current row when it is still valid (not revoked, expired or idle)."""
    row = session.exec(
        select(AuthSession).where(
            AuthSession.family_id == family_id, col(AuthSession.revoked_at).is_(None)
        )
    ).first()
    if row is None or row.expires_at <= now or _is_idle(row, now):
        return None
    return row


def session_touch(session: Session, row: AuthSession, now: datetime) -> None:
    """Record activity (throttled) so the idle timeout starts again."""
    if touch_due(row.last_used_at, now):
        row.last_used_at = now
        session.add(row)


_TOUCH = text(
    "UPDATE auth_sessions SET last_used_at = :now "
    "WHERE id = :session_id AND revoked_at IS NULL AND last_used_at < :now"
)


def session_touch_row(
    session: Session, *, session_id: int, last_used_at: datetime, now: datetime
) -> bool:
    """`session_touch` for the per-event path: one UPDATE, and only when it is due.

    The caller read `last_used_at` in this transaction; between touches nothing is
    written, so a busy tab costs the session row one write a minute. True when written.
    """
    if not touch_due(last_used_at, now):
        return False
    session.execute(_TOUCH, {"session_id": session_id, "now": now})
    return True


def revoke_family(
    session: Session, family_id: uuid.UUID, reason: RevokeReason, now: datetime
) -> int:
    """Revoke every open row of one family; returns how many were open."""
    result = session.execute(
        update(AuthSession)
        .where(AuthSession.family_id == family_id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=now, revoke_reason=reason)
    )
    return result.rowcount


def revoke_user_sessions(
    session: Session,
    user_id: int,
    reason: RevokeReason,
    now: datetime,
    *,
    keep_family: uuid.UUID | None = None,
) -> list[uuid.UUID]:
    """Revoke all of a user's sessions (optionally but one); returns the revoked families."""
    query = select(AuthSession.family_id).where(
        AuthSession.user_id == user_id, col(AuthSession.revoked_at).is_(None)
    )
    if keep_family is not None:
        query = query.where(AuthSession.family_id != keep_family)
    families = list(dict.fromkeys(session.exec(query).all()))
    for family in families:
        revoke_family(session, family, reason, now)
    if families:
        # Open tabs of those sessions show the sign-in screen (pushed after commit).
        publish_after_commit(session, SessionsRevoked(user_id))
    return families


def list_sessions(
    session: Session, user: User, current_family: uuid.UUID | None, now: datetime
) -> list[SessionInfo]:
    """The user's active sessions, most recently used first."""
    rows = session.exec(
        select(AuthSession)
        .where(AuthSession.user_id == user.id, col(AuthSession.revoked_at).is_(None))
        .order_by(col(AuthSession.last_used_at).desc(), col(AuthSession.id).desc())
    ).all()
    return [
        SessionInfo(
            family_id=str(row.family_id),
            device=describe_device(row.user_agent),
            network=row.ip_prefix or "Unknown network",
            last_seen=row.last_used_at,
            signed_in=_family_started(session, row.family_id),
            remember_me=row.remember_me,
            is_current=row.family_id == current_family,
        )
        for row in rows
        if row.expires_at > now and not _is_idle(row, now)
    ]


def _family_started(session: Session, family_id: uuid.UUID) -> datetime:
    return session.exec(
        select(AuthSession.created_at)
        .where(AuthSession.family_id == family_id)
        .order_by(col(AuthSession.id))
    ).first()


def describe_device(user_agent: str | None) -> str:
    """A short human description of a browser from its user agent."""
    agent = user_agent or ""
    browser = next(
        (name for key, name in _BROWSERS if key in agent), "Unknown browser" if agent else "Unknown"
    )
    system = next((name for key, name in _SYSTEMS if key in agent), "")
    return f"{browser} on {system}" if system else browser


_BROWSERS = [
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("Windows", "Windows"),
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
]
