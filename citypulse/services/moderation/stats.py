"""The moderator dashboard's numbers (PRODUCT.md §4.13.12) and the actor's recent actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from citypulse.models import Appeal, ContentReport, ModerationWarning, ModeratorAction, User
from citypulse.models.enums import AccountStatus, ActionType, ReportStatus
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.moderation.authority import require_moderator

RECENT_ACTIONS = 10


@dataclass(frozen=True)
class ModerationStats:
    """Counters shown on /moderator/dashboard."""

    pending_reports: int
    reports_under_review: int
    open_appeals: int
    active_warnings: int
    suspended_users: int
    banned_users: int
    content_removed_30d: int
    reports_7d: int
    my_actions_30d: int


@dataclass(frozen=True)
class ActionSummary:
    """One of the moderator's own recent actions."""

    action_type: str
    target_type: str
    reason: str
    created_at: datetime


def _count(session: Session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def moderation_dashboard(
    session: Session, *, actor: Viewer, now: datetime
) -> tuple[ModerationStats, list[ActionSummary]]:
    """Stats and the actor's latest actions; only moderators and admins may ask.

    Raises:
        NotFound: the actor is not a moderator (moderator pages are 404 for others).
    """
    require_moderator(session, actor)
    month, week = now - timedelta(days=30), now - timedelta(days=7)
    stats = ModerationStats(
        pending_reports=_count(
            session, ContentReport, ContentReport.status == ReportStatus.pending
        ),
        reports_under_review=_count(
            session, ContentReport, ContentReport.status == ReportStatus.under_review
        ),
        open_appeals=_count(session, Appeal, Appeal.status == "pending"),
        active_warnings=_count(
            session,
            ModerationWarning,
            col(ModerationWarning.is_active).is_(True),
            col(ModerationWarning.revoked_at).is_(None),
            ModerationWarning.expires_at > now,
        ),
        suspended_users=_count(session, User, User.account_status == AccountStatus.suspended),
        banned_users=_count(session, User, User.account_status == AccountStatus.banned),
        content_removed_30d=_count(
            session,
            ModeratorAction,
            ModeratorAction.action_type == ActionType.content_removal,
            ModeratorAction.created_at > month,
        ),
        reports_7d=_count(session, ContentReport, ContentReport.created_at > week),
        my_actions_30d=_count(
            session,
            ModeratorAction,
            ModeratorAction.actor_id == actor.user_id,
            ModeratorAction.created_at > month,
        ),
    )
    rows = session.exec(
        select(ModeratorAction)
        .where(ModeratorAction.actor_id == actor.user_id)
        .order_by(col(ModeratorAction.created_at).desc(), col(ModeratorAction.id).desc())
        .limit(RECENT_ACTIONS)
    ).all()
    actions = [ActionSummary(r.action_type, r.target_type, r.reason, r.created_at) for r in rows]
    return stats, actions


CHART_DAYS = 30


@dataclass(frozen=True)
class DayActivity:
    """Reports filed and moderation actions taken on one UTC day."""

    day: date
    reports: int
    actions: int


def activity_by_day(session: Session, *, actor: Viewer, now: datetime) -> list[DayActivity]:
    """The last 30 UTC days (oldest first, today included), every day present.

    Raises:
        NotFound: the actor is not an active moderator or admin.
    """
    require_moderator(session, actor)
    first = (now.astimezone(UTC) - timedelta(days=CHART_DAYS - 1)).date()
    start = datetime.combine(first, time.min, UTC)
    reports = _per_day(session, ContentReport.created_at, start)
    actions = _per_day(session, ModeratorAction.created_at, start)
    days = (first + timedelta(days=n) for n in range(CHART_DAYS))
    return [DayActivity(day, reports.get(day, 0), actions.get(day, 0)) for day in days]


def _per_day(session: Session, column, start: datetime) -> dict[date, int]:
    day = sa.cast(sa.func.timezone("UTC", column), sa.Date)
    rows = session.execute(
        sa.select(day.label("day"), sa.func.count()).where(column >= start).group_by(day)
    ).all()
    return {row[0]: row[1] for row in rows}
