"""Suspend, ban and reinstate accounts (PRODUCT.md §4.13.5–§4.13.7, limits §4.13.10).

Each command is one moderation action: the authority check, the change
(`restrictions`), exactly one audit entry and the user's notification (in-app and by
email), in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from citypulse.models import ModerationWarning
from citypulse.models.enums import (
    AccountStatus,
    ActionType,
    NotificationType,
    RestrictionKind,
    TargetType,
)
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import Conflict, ValidationFailed
from citypulse.services.moderation import audit
from citypulse.services.moderation.authority import require_may_act_on, require_moderator
from citypulse.services.moderation.restrictions import checked_text, impose, lift, open_restriction
from citypulse.services.moderation.warnings import active_at, deactivate
from citypulse.services.notifications.create import notify

MIN_DAYS, MAX_DAYS, DEFAULT_DAYS = 1, 365, 7
DAYS_INVALID = f"Days must be a whole number from {MIN_DAYS} to {MAX_DAYS}"
ALREADY_BANNED = "This user is already banned"
BANNED_REINSTATE_FIRST = "This user is banned: reinstate them before suspending"
NOT_RESTRICTED = "This user is not suspended or banned"


@dataclass(frozen=True)
class SanctionReceipt:
    """The restriction now in force."""

    suspension_id: int
    kind: str
    ends_at: datetime | None


def _when(moment: datetime) -> str:
    return moment.strftime("%d %b %Y, %H:%M UTC")


def user_suspend(
    session: Session,
    *,
    actor: Viewer | None,
    user_id: int,
    days: int,
    reason: str,
    now: datetime,
) -> SanctionReceipt:
    """Suspend a user for 1–365 days; re-suspending replaces the end time.

    Raises:
        NotFound: not a moderator; "User not found".
        PermissionDenied: the §4.13.10 limits.
        ValidationFailed: days out of range; reason not 10–1000 characters.
        Conflict: the user is banned (reinstate first).
    """
    moderator = require_moderator(session, actor)
    target = require_may_act_on(session, moderator, user_id, lock=True)
    if isinstance(days, bool) or not isinstance(days, int) or not MIN_DAYS <= days <= MAX_DAYS:
        raise ValidationFailed({"days": DAYS_INVALID})
    text = checked_text(reason)
    if target.status == AccountStatus.banned:
        raise Conflict(BANNED_REINSTATE_FIRST)
    row = impose(
        session, user_id=target.user_id, kind=RestrictionKind.suspension,
        ends_at=now + timedelta(days=days), imposed_by_id=moderator.user_id, reason=text, now=now,
    )  # fmt: skip
    assert row is not None and row.id is not None and row.ends_at is not None
    audit.record(
        session, actor=moderator.viewer, action_type=ActionType.user_suspension,
        target_type=TargetType.user, target_id=target.user_id, target_user_id=target.user_id,
        reason=text, details={"suspension_id": row.id, "days": days,
                              "ends_at": row.ends_at.isoformat()}, now=now,
    )  # fmt: skip
    notify(
        session, recipient_id=target.user_id, type=NotificationType.account_suspended,
        actor=None, title=f"Your account is suspended until {_when(row.ends_at)}",
        message=f"Reason: {text}. You can appeal from your settings.",
        target_type="suspension", target_id=row.id, action_url="/settings", now=now,
    )  # fmt: skip
    return SanctionReceipt(row.id, row.kind, row.ends_at)


def user_ban(
    session: Session, *, actor: Viewer | None, user_id: int, reason: str, now: datetime
) -> SanctionReceipt:
    """Ban a user until reinstated (replaces a running suspension).

    Raises:
        NotFound: not a moderator; "User not found".
        PermissionDenied: the §4.13.10 limits.
        ValidationFailed: reason not 10–1000 characters.
        Conflict: already banned.
    """
    moderator = require_moderator(session, actor)
    target = require_may_act_on(session, moderator, user_id, lock=True)
    text = checked_text(reason)
    if target.status == AccountStatus.banned:
        raise Conflict(ALREADY_BANNED)
    row = impose(
        session, user_id=target.user_id, kind=RestrictionKind.ban, ends_at=None,
        imposed_by_id=moderator.user_id, reason=text, now=now,
    )  # fmt: skip
    assert row is not None and row.id is not None
    audit.record(
        session, actor=moderator.viewer, action_type=ActionType.user_ban,
        target_type=TargetType.user, target_id=target.user_id, target_user_id=target.user_id,
        reason=text, details={"suspension_id": row.id}, now=now,
    )  # fmt: skip
    notify(
        session, recipient_id=target.user_id, type=NotificationType.account_banned, actor=None,
        title="Your account is banned",
        message=f"Reason: {text}. You can appeal from your settings.",
        target_type="ban", target_id=row.id, action_url="/settings", now=now,
    )  # fmt: skip
    return SanctionReceipt(row.id, row.kind, None)


def user_reinstate(
    session: Session, *, actor: Viewer | None, user_id: int, reason: str, now: datetime
) -> None:
    """End a suspension or ban: active again, every active warning deactivated, notified.

    Raises:
        NotFound: not a moderator; "User not found".
        PermissionDenied: the §4.13.10 limits.
        ValidationFailed: reason not 10–1000 characters.
        Conflict: the user is neither suspended nor banned.
    """
    moderator = require_moderator(session, actor)
    target = require_may_act_on(session, moderator, user_id, lock=True)
    text = checked_text(reason)
    row = open_restriction(session, target.user_id, lock=True)
    if row is None:
        raise Conflict(NOT_RESTRICTED)
    lift(session, row, lifted_by_id=moderator.user_id, reason=text, now=now)
    warnings = session.exec(
        select(ModerationWarning)
        .where(ModerationWarning.user_id == target.user_id, active_at(now))
        .with_for_update()
    ).all()
    for warning in warnings:
        deactivate(session, warning, revoked_by_id=moderator.user_id, now=now)
    audit.record(
        session, actor=moderator.viewer, action_type=ActionType.user_reinstatement,
        target_type=TargetType.user, target_id=target.user_id, target_user_id=target.user_id,
        reason=text, details={"suspension_id": row.id, "kind": row.kind,
                              "warnings_deactivated": [w.id for w in warnings]}, now=now,
    )  # fmt: skip
    notify(
        session, recipient_id=target.user_id, type=NotificationType.account_reinstated,
        actor=None, title="Your account has been reinstated",
        message=f"Your account is active again. Reason: {text}",
        target_type="user", target_id=target.user_id, action_url="/dashboard", now=now,
    )  # fmt: skip
