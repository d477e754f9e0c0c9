"""Read side of achievements: /achievements and the profile's achievements tab (§4.7, §2.2).

Progress is the metric's current value, counted when the page opens (the stored
`user_achievements.progress` is the value at the last evaluation; likes are only
evaluated at thresholds, see likes.py). Earned state and dates come from the stored
rows: completed_at is never cleared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from citypulse.models import Achievement, Profile, User, UserAchievement
from citypulse.models.enums import AccountStatus, Metric, Tier, Visibility
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.achievements.leaderboard import Board, position
from citypulse.services.achievements.metrics import COUNTED, metric_values_sql
from citypulse.services.prepared import PerViewer, Prepared
from citypulse.services.profiles.queries import profile_view
from citypulse.services.social.graph import blocked_between

RECENT_LIMIT = 10


@dataclass(frozen=True)
class BadgeView:
    achievement_id: int
    code: str
    name: str
    description: str
    icon: str | None
    tier: str
    threshold: int
    points: int
    progress: int | None  # current value; None when not shown (someone else's profile)
    earned_at: datetime | None  # None: locked (or not shown to others)
    earned: bool

    @property
    def locked(self) -> bool:
        return not self.earned


@dataclass(frozen=True)
class TierGroup:
    tier: str
    badges: tuple[BadgeView, ...]


@dataclass(frozen=True)
class RecentUnlock:
    username: str
    full_name: str
    avatar_key: str | None
    achievement_id: int
    achievement_name: str
    icon: str | None
    tier: str
    earned_at: datetime


@dataclass(frozen=True)
class AchievementsPage:
    completed: int
    total: int
    percent: int  # of `total`, rounded down
    points: int
    rank: int | None  # Overall rank; None: not ranked yet
    tiers: tuple[TierGroup, ...]
    recent: tuple[RecentUnlock, ...]


@dataclass(frozen=True)
class ProfileAchievements:
    """The profile's achievements tab. `visible` False: the limited card (nothing shown)."""

    username: str
    is_owner: bool
    visible: bool
    completed: int
    total: int
    points: int
    tiers: tuple[TierGroup, ...]  # others: earned badges only, no progress or dates


_BADGES = Prepared(sa.text(
    "SELECT a.id, a.code, a.name, a.description, a.icon, a.metric, a.threshold, a.tier, "
    "a.points, ua.completed_at FROM achievements a "
    "LEFT JOIN user_achievements ua ON ua.achievement_id = a.id AND ua.user_id = :user_id "
    "WHERE a.is_active ORDER BY a.sort_order, a.id"
))  # fmt: skip
_VALUES = Prepared(sa.text(metric_values_sql(COUNTED)))


def _recent_query(viewer: sa.BindParameter[int] | None) -> sa.Select:
    return (
        sa.select(
            User.username, User.full_name, Profile.avatar_key, Achievement.id,
            Achievement.name, Achievement.icon, Achievement.tier, UserAchievement.completed_at,
        )
        .select_from(UserAchievement)
        .join(Achievement, Achievement.id == UserAchievement.achievement_id)
        .join(User, User.id == UserAchievement.user_id)
        .join(Profile, Profile.user_id == User.id)
        .where(
            UserAchievement.completed_at.is_not(None),
            User.account_status == AccountStatus.active,
            Profile.profile_visibility == Visibility.public,
            ~blocked_between(viewer, User.id),
        )
        .order_by(UserAchievement.completed_at.desc(), UserAchievement.id.desc())
        .limit(sa.bindparam("limit"))
    )  # fmt: skip


_RECENT = PerViewer(_recent_query)


def _badges(session: Session, user_id: int, *, full: bool) -> tuple[TierGroup, ...]:
    rows = _BADGES.run(session, user_id=user_id).all()
    values: dict[str, int] = {}
    if full:
        counted = _VALUES.run(session, user_id=user_id).one()._mapping
        values = {metric.value: int(counted[metric.value]) for metric in COUNTED}
        for tier in Tier:  # tier_badge(t) = earned non-tier badges of tier t
            values[f"tier:{tier.value}"] = sum(
                1 for r in rows
                if r.metric != Metric.tier_badge and r.tier == tier and r.completed_at
            )  # fmt: skip
    groups = []
    for tier in Tier:
        badges = []
        for r in rows:
            if r.tier != tier or not (full or r.completed_at):
                continue
            key = f"tier:{r.tier}" if r.metric == Metric.tier_badge else r.metric
            badges.append(BadgeView(
                r.id, r.code, r.name, r.description, r.icon, r.tier, r.threshold, r.points,
                progress=values.get(key) if full else None,
                earned_at=r.completed_at if full else None,
                earned=r.completed_at is not None,
            ))  # fmt: skip
        if badges:
            groups.append(TierGroup(tier.value, tuple(badges)))
    return tuple(groups)


def _summary(groups: tuple[TierGroup, ...]) -> tuple[int, int]:
    earned = [b for g in groups for b in g.badges if b.earned]
    return len(earned), sum(b.points for b in earned)


def recently_earned(
    session: Session, *, viewer: Viewer | None, limit: int = RECENT_LIMIT
) -> tuple[RecentUnlock, ...]:
    """The last unlocks by active users with public profiles (blocked users left out)."""
    rows = _RECENT.run(session, viewer.user_id if viewer else None, limit=limit).all()
    return tuple(
        RecentUnlock(r.username, r.full_name, r.avatar_key, r.id, r.name, r.icon, r.tier,
                     r.completed_at)
        for r in rows
    )  # fmt: skip


def achievements_page(session: Session, *, viewer: Viewer) -> AchievementsPage:
    """The signed-in user's /achievements: every active badge with live progress."""
    tiers = _badges(session, viewer.user_id, full=True)
    total = sum(len(g.badges) for g in tiers)
    completed, points = _summary(tiers)
    ranked = position(session, viewer=viewer, board=Board.overall)
    return AchievementsPage(
        completed=completed,
        total=total,
        percent=completed * 100 // total if total else 0,
        points=points,
        rank=ranked.rank if ranked else None,
        tiers=tiers,
        recent=recently_earned(session, viewer=viewer),
    )


def profile_achievements(
    session: Session, *, viewer: Viewer | None, username: str
) -> ProfileAchievements:
    """The achievements tab of `username`'s profile as `viewer` may see it (§4.7.4).

    Raises:
        NotFound: the profile is a 404 for this viewer (§4.2.2).
    """
    profile = profile_view(session, viewer=viewer, username=username)
    total = int(session.execute(
        sa.text("SELECT count(*) FROM achievements WHERE is_active")
    ).scalar_one())  # fmt: skip
    if profile.kind == "limited":
        return ProfileAchievements(profile.username, False, False, 0, total, 0, ())
    tiers = _badges(session, profile.user_id, full=profile.is_owner)
    completed, points = _summary(tiers)
    return ProfileAchievements(
        profile.username, profile.is_owner, True, completed, total, points, tiers
    )
