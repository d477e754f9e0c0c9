"""Suspensions and bans as stored facts: impose, lift, expire (PRODUCT.md §4.13.5–§4.13.7).

The account's `account_status` (and `suspended_until`) is what every visibility rule and
actor check reads (`policies`, `recommendations.visibility`, `social.lists`, search,
leaderboard, notifications): setting it hides the user's profile and content everywhere
and turns every session of theirs into a restricted one at once, because status is read
from the database on every request and live event (§1.5). The open `Suspension` row
(at most one per user, `lifted_at IS NULL`) holds the reason and the end time the
restricted screen shows.

Callers (sanctions, warnings, appeals) check who may act first and write the audit entry
and the notification; this module only changes the rows. After commit it publishes
`AccountStandingChanged`, which makes every open tab of the user re-check its session
(state/push.py → `UserChannel.session_epoch`): a restricted tab moves to the restricted
screen, a lifted one back into the app, a promoted one shows Moderator tools.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from citypulse.models import Suspension, User
from citypulse.models.enums import (
    AccountStatus,
    ActionType,
    NotificationType,
    RestrictionKind,
    SuspensionSource,
    TargetType,
)
from citypulse.realtime import publish_after_commit
from citypulse.services.display_text import free_text_problem
from citypulse.services.errors import ValidationFailed
from citypulse.services.moderation import audit
from citypulse.services.moderation.events import AccountStandingChanged
from citypulse.services.notifications.create import notify

EXPIRED_REASON = "The suspension ended"
REPLACED_BY_BAN = "Replaced by a ban"
EXPIRY_BATCH = 500  # suspensions one job pass lifts; the next pass takes the rest


def checked_text(
    value: object, *, field: str = "reason", label: str = "Reason", low: int = 10, high: int = 1000
) -> str:
    """A moderation text (reason, message, note) trimmed and within `low`–`high` characters.

    Raises:
        ValidationFailed: on `field`: too short, too long or with control characters.
    """
    text = value.strip() if isinstance(value, str) else ""
    if not low <= len(text) <= high:
        raise ValidationFailed({field: f"{label} must be {low}–{high} characters"})
    if problem := free_text_problem(label, text):
        raise ValidationFailed({field: problem})
    return text


def open_restriction(session: Session, user_id: int, *, lock: bool = False) -> Suspension | None:
    """The user's current suspension or ban (None when there is none)."""
    query = select(Suspension).where(
        Suspension.user_id == user_id, col(Suspension.lifted_at).is_(None)
    )
    return session.exec(query.with_for_update() if lock else query).first()


def _set_status(
    session: Session, user_id: int, status: AccountStatus, until: datetime | None, now: datetime
) -> None:
    session.execute(
        update(User)
        .where(col(User.id) == user_id)
        .values(account_status=status, suspended_until=until, updated_at=now)
    )
    publish_after_commit(session, AccountStandingChanged(user_id))


def impose(
    session: Session,
    *,
    user_id: int,
    kind: RestrictionKind,
    ends_at: datetime | None,
    imposed_by_id: int | None,
    reason: str,
    now: datetime,
    source: SuspensionSource = SuspensionSource.manual,
    warning_id: int | None = None,
) -> Suspension | None:
    """Suspend (until `ends_at`) or ban the user; the caller locked the user row.

    Re-suspending replaces the end time (§4.13.5); an escalation only ever moves it later
    ("the later end time wins", §4.13.4). A ban lifts an open suspension first. An open
    ban is never changed here: callers refuse or skip before.

    Returns:
        The open restriction now in force, or None when nothing changed (an escalation
        whose end is not later than the current one, or the user is banned).
    """
    current = open_restriction(session, user_id, lock=True)
    if current is not None and current.kind == RestrictionKind.ban:
        return None
    if kind == RestrictionKind.suspension and current is not None:
        assert ends_at is not None and current.ends_at is not None
        if source == SuspensionSource.warning_escalation and current.ends_at >= ends_at:
            return None
        current.ends_at, current.reason, current.updated_at = ends_at, reason, now
        current.imposed_by_id, current.source, current.warning_id = (
            imposed_by_id,
            source,
            warning_id,
        )
        session.add(current)
        row = current
    else:
        if current is not None:  # a ban replaces the running suspension
            _close(session, current, lifted_by_id=imposed_by_id, reason=REPLACED_BY_BAN, now=now)
        row = Suspension(
            user_id=user_id,
            kind=kind,
            imposed_by_id=imposed_by_id,
            source=source,
            warning_id=warning_id,
            reason=reason,
            starts_at=now,
            ends_at=ends_at if kind == RestrictionKind.suspension else None,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
    session.flush()
    status = AccountStatus.banned if kind == RestrictionKind.ban else AccountStatus.suspended
    _set_status(session, user_id, status, row.ends_at, now)
    return row


def _close(
    session: Session, row: Suspension, *, lifted_by_id: int | None, reason: str, now: datetime
) -> None:
    row.lifted_at, row.lifted_by_id, row.lift_reason, row.updated_at = (
        now,
        lifted_by_id,
        reason,
        now,
    )
    session.add(row)
    session.flush()  # the one-open-row index must see it closed before a new row


def lift(
    session: Session, row: Suspension, *, lifted_by_id: int | None, reason: str, now: datetime
) -> None:
    """End `row` (the user's open restriction) and make the account active again."""
    _close(session, row, lifted_by_id=lifted_by_id, reason=reason, now=now)
    _set_status(session, row.user_id, AccountStatus.active, None, now)


def _expire(session: Session, row: Suspension, now: datetime) -> None:
    """Auto-lift at `ends_at`: active again, suspension_ended, one system audit entry."""
    lift(session, row, lifted_by_id=None, reason=EXPIRED_REASON, now=now)
    audit.record(
        session,
        actor=None,
        action_type=ActionType.suspension_expired,
        target_type=TargetType.user,
        target_id=row.user_id,
        target_user_id=row.user_id,
        reason=EXPIRED_REASON,
        details={"suspension_id": row.id, "ends_at": row.ends_at.isoformat()},
        now=now,
    )
    notify(
        session,
        recipient_id=row.user_id,
        type=NotificationType.suspension_ended,
        actor=None,
        title="Your suspension has ended",
        message="Your account is active again. Welcome back to CityPulse.",
        target_type="user",
        target_id=row.user_id,
        action_url="/dashboard",
        now=now,
    )


def _due(now: datetime):
    """Due suspensions, locking each with its user (in that order, like the moderators'
    actions, which lock the user first): rows another transaction holds are skipped."""
    return (
        select(Suspension)
        .join(User, col(User.id) == Suspension.user_id)
        .where(
            col(Suspension.lifted_at).is_(None),
            Suspension.kind == RestrictionKind.suspension,
            col(Suspension.ends_at) <= now,
        )
        .order_by(col(Suspension.ends_at), col(Suspension.id))
    )


def suspension_expire_for(session: Session, user_id: int, now: datetime) -> bool:
    """The on-request check: lift this user's suspension if its end time has passed.

    Returns True when it was lifted now (a concurrent pass that got there first: False).
    """
    row = session.exec(
        _due(now).where(Suspension.user_id == user_id).with_for_update(skip_locked=True)
    ).first()
    if row is None:
        return False
    _expire(session, row, now)
    return True


def suspensions_expire_due(session: Session, now: datetime) -> int:
    """Job pass: lift every suspension whose end time has passed; returns how many."""
    rows = session.exec(_due(now).limit(EXPIRY_BATCH).with_for_update(skip_locked=True)).all()
    for row in rows:
        _expire(session, row, now)
    return len(rows)
