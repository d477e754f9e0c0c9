"""Warnings and their escalation (PRODUCT.md §4.13.4).

A warning is active until it is revoked, deactivated by a reinstatement, or 180 days
old. On issue, N = the user's active warnings including the new one:

| severity | N  | escalation            |
|----------|----|-----------------------|
| high     | ≥2 | ban                   |
| medium   | ≥3 | 7-day suspension      |
| low      | ≥5 | 3-day suspension      |

An escalation is a Suspension with source `warning_escalation` and its own audit
entry; an already suspended user keeps the later end time, a banned one is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func
from sqlmodel import Session, col, select

from citypulse.models import ContentReport, ModerationWarning
from citypulse.models.enums import (
    ActionType,
    NotificationType,
    RestrictionKind,
    Severity,
    SuspensionSource,
    TargetType,
    WarningType,
)
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import Conflict, NotFound, ValidationFailed
from citypulse.services.moderation import audit
from citypulse.services.moderation.authority import require_may_act_on, require_moderator
from citypulse.services.moderation.restrictions import checked_text, impose
from citypulse.services.notifications.create import notify

WARNING_LIFETIME = timedelta(days=180)
# severity → (active warnings that escalate, suspension length; None = ban)
ESCALATION: dict[Severity, tuple[int, timedelta | None]] = {
    Severity.high: (2, None),
    Severity.medium: (3, timedelta(days=7)),
    Severity.low: (5, timedelta(days=3)),
}
WARNING_NOT_FOUND = "Warning not found"
REPORT_NOT_FOUND = "Report not found"
NOT_ACTIVE = "This warning is no longer active"
TYPE_INVALID = "Choose one of the listed warning types"
SEVERITY_INVALID = "Choose low, medium or high"


@dataclass(frozen=True)
class IssuedWarning:
    """The stored warning and what it escalated to (`sanction` '' when nothing)."""

    warning_id: int
    active_warnings: int
    sanction: str  # "" | "suspension" | "ban"
    sanction_ends_at: datetime | None


def active_at(moment: datetime) -> ColumnElement[bool]:
    """SQL: the warning is active at `moment` (not revoked or deactivated, not expired)."""
    return and_(col(ModerationWarning.is_active).is_(True), ModerationWarning.expires_at > moment)


def active_warning_count(session: Session, user_id: int, now: datetime) -> int:
    """How many active warnings the user has now."""
    return session.exec(
        select(func.count())
        .select_from(ModerationWarning)
        .where(ModerationWarning.user_id == user_id, active_at(now))
    ).one()


def warnings_that_escalated(
    session: Session, trigger: ModerationWarning
) -> list[ModerationWarning]:
    """The warnings counted when `trigger` was issued that are still active (row-locked).

    They are the user's warnings issued up to the trigger that had not expired by then
    (one revoked since is inactive and needs nothing more).
    """
    issued = trigger.created_at
    return list(
        session.exec(
            select(ModerationWarning)
            .where(
                ModerationWarning.user_id == trigger.user_id,
                col(ModerationWarning.is_active).is_(True),
                ModerationWarning.created_at <= issued,
                ModerationWarning.expires_at > issued,
            )
            .order_by(col(ModerationWarning.id))
            .with_for_update()
        ).all()
    )


def deactivate(
    session: Session, warning: ModerationWarning, *, revoked_by_id: int | None, now: datetime
) -> None:
    """Revoke one warning (its row changes; the caller audits the action it belongs to)."""
    warning.is_active, warning.revoked_at, warning.revoked_by_id = False, now, revoked_by_id
    warning.updated_at = now
    session.add(warning)


def _validated(warning_type: object, severity: object) -> tuple[WarningType, Severity]:
    if warning_type not in WarningType.__members__.values():
        raise ValidationFailed({"warning_type": TYPE_INVALID})
    if severity not in Severity.__members__.values():
        raise ValidationFailed({"severity": SEVERITY_INVALID})
    return WarningType(warning_type), Severity(severity)


def _check_report(session: Session, report_id: object, user_id: int) -> int | None:
    if report_id is None:
        return None
    report = session.get(ContentReport, report_id) if isinstance(report_id, int) else None
    if report is None or isinstance(report_id, bool) or report.content_owner_id != user_id:
        raise NotFound(REPORT_NOT_FOUND)
    return report.id


def warning_issue(
    session: Session,
    *,
    actor: Viewer | None,
    user_id: int,
    warning_type: str,
    severity: str,
    message: str,
    now: datetime,
    report_id: int | None = None,
) -> IssuedWarning:
    """Warn a user, escalating per §4.13.4; notifies the user in-app and by email.

    Who: a moderator (on `user` accounts) or an admin (also on moderators); never on
    themselves or an admin.

    Raises:
        NotFound: not a moderator; "User not found"; a `report_id` not about this user.
        PermissionDenied: the §4.13.10 limits.
        ValidationFailed: type, severity or message (10–1000) invalid.
    """
    moderator = require_moderator(session, actor)
    target = require_may_act_on(session, moderator, user_id, lock=True)
    kind, level = _validated(warning_type, severity)
    text = checked_text(message, field="message", label="Message")
    report = _check_report(session, report_id, target.user_id)
    warning = ModerationWarning(
        user_id=target.user_id,
        moderator_id=moderator.user_id,
        warning_type=kind,
        severity=level,
        message=text,
        report_id=report,
        expires_at=now + WARNING_LIFETIME,
        created_at=now,
        updated_at=now,
    )
    session.add(warning)
    session.flush()
    assert warning.id is not None
    audit.record(
        session, actor=moderator.viewer, action_type=ActionType.warning_issued,
        target_type=TargetType.user, target_id=target.user_id, target_user_id=target.user_id,
        reason=text, details={"warning_id": warning.id, "severity": level.value,
                              "warning_type": kind.value}, now=now,
    )  # fmt: skip
    count = active_warning_count(session, target.user_id, now)
    sanction, ends_at = _escalate(session, moderator.viewer, warning, count, now)
    _notify(session, warning, sanction, ends_at, now)
    return IssuedWarning(warning.id, count, sanction, ends_at)


def _escalate(
    session: Session, actor: Viewer, warning: ModerationWarning, count: int, now: datetime
) -> tuple[str, datetime | None]:
    threshold, length = ESCALATION[Severity(warning.severity)]
    if count < threshold:
        return "", None
    kind = RestrictionKind.ban if length is None else RestrictionKind.suspension
    reason = (
        f"Automatic {kind.value} after {count} active warnings "
        f"(latest: {warning.severity} severity)"
    )
    row = impose(
        session, user_id=warning.user_id, kind=kind,
        ends_at=None if length is None else now + length, imposed_by_id=actor.user_id,
        reason=reason, now=now, source=SuspensionSource.warning_escalation, warning_id=warning.id,
    )  # fmt: skip
    if row is None:  # banned already, or a later end time holds
        return "", None
    action = ActionType.user_ban if kind == RestrictionKind.ban else ActionType.user_suspension
    audit.record(
        session, actor=actor, action_type=action, target_type=TargetType.user,
        target_id=warning.user_id, target_user_id=warning.user_id, reason=reason,
        details={"suspension_id": row.id, "source": SuspensionSource.warning_escalation.value,
                 "warning_id": warning.id,
                 "ends_at": row.ends_at.isoformat() if row.ends_at else None}, now=now,
    )  # fmt: skip
    return kind.value, row.ends_at


def _notify(
    session: Session,
    warning: ModerationWarning,
    sanction: str,
    ends_at: datetime | None,
    now: datetime,
) -> None:
    lines = [f"{warning.severity.capitalize()} severity warning: {warning.message}"]
    if sanction == RestrictionKind.ban:
        lines.append("Because of your active warnings, your account is banned.")
    elif sanction:
        assert ends_at is not None
        until = ends_at.strftime("%d %b %Y, %H:%M UTC")
        lines.append(f"Because of your active warnings, your account is suspended until {until}.")
    notify(
        session, recipient_id=warning.user_id, type=NotificationType.warning_issued, actor=None,
        title=f"You received a {warning.severity} severity warning", message=" ".join(lines),
        target_type="warning", target_id=warning.id, action_url="/settings", now=now,
    )  # fmt: skip


def warning_revoke(
    session: Session, *, actor: Viewer | None, warning_id: int, reason: str, now: datetime
) -> None:
    """Revoke an active warning with a reason; a sanction it caused stays (§4.13.4).

    Raises:
        NotFound: not a moderator; no such warning.
        PermissionDenied: the §4.13.10 limits on the warned user.
        ValidationFailed: reason not 10–1000 characters.
        Conflict: the warning is no longer active.
    """
    moderator = require_moderator(session, actor)
    if isinstance(warning_id, bool) or not isinstance(warning_id, int):
        raise NotFound(WARNING_NOT_FOUND)
    warning = session.get(ModerationWarning, warning_id, with_for_update=True)
    if warning is None:
        raise NotFound(WARNING_NOT_FOUND)
    require_may_act_on(session, moderator, warning.user_id, lock=True)
    text = checked_text(reason)
    if not warning.is_active or warning.expires_at <= now:
        raise Conflict(NOT_ACTIVE)
    deactivate(session, warning, revoked_by_id=moderator.user_id, now=now)
    audit.record(
        session, actor=moderator.viewer, action_type=ActionType.warning_revoked,
        target_type=TargetType.user, target_id=warning.user_id, target_user_id=warning.user_id,
        reason=text, details={"warning_id": warning.id}, now=now,
    )  # fmt: skip
