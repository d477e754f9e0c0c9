"""Achievements: the badge catalogue and each user's progress towards every badge."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from citypulse.models.base import (
    MutableTableBase,
    bool_field,
    counter_field,
    enum_check,
    enum_field,
    fk_field,
    timestamp_field,
)
from citypulse.models.enums import Metric, Tier


class Achievement(MutableTableBase, table=True):
    """A badge: unlocked when `metric` reaches `threshold` (PRODUCT.md §4.7).

    For `metric = tier_badge` the tier counted is the badge's own `tier`.
    """

    __tablename__ = "achievements"
    __table_args__ = (
        sa.CheckConstraint("code ~ '^[a-z0-9_]{1,50}$'", name="code_format"),
        sa.CheckConstraint("char_length(btrim(name)) >= 1", name="name_not_blank"),
        sa.CheckConstraint("threshold >= 1", name="threshold_positive"),
        sa.CheckConstraint("points >= 0", name="points_nonnegative"),
        enum_check("metric", Metric),
        enum_check("tier", Tier),
        sa.Index("uq_achievements_name_lower", sa.text("lower(name)"), unique=True),
    )

    code: str = Field(sa_type=sa.String(50), nullable=False, unique=True)
    name: str = Field(sa_type=sa.String(100), nullable=False)
    description: str = Field(sa_type=sa.String(500), nullable=False)
    icon: str | None = Field(default=None, sa_type=sa.String(100))
    metric: Metric = enum_field(Metric)
    threshold: int = Field(nullable=False)
    tier: Tier = enum_field(Tier)
    points: int = counter_field()
    sort_order: int = counter_field()
    is_active: bool = bool_field(True)


class UserAchievement(MutableTableBase, table=True):
    """A user's progress on one badge. `completed_at` is never cleared once set."""

    __tablename__ = "user_achievements"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "achievement_id"),
        sa.CheckConstraint("progress >= 0", name="progress_nonnegative"),
        sa.Index(
            "ix_user_achievements_completed",
            "achievement_id",
            "user_id",
            postgresql_where=sa.text("completed_at IS NOT NULL"),
        ),
        # "Recently earned" on /achievements: the newest unlocks first (migration 0006).
        sa.Index(
            "ix_user_achievements_completed_at_id",
            sa.text("completed_at DESC"),
            sa.text("id DESC"),
            postgresql_where=sa.text("completed_at IS NOT NULL"),
        ),
    )

    user_id: int = fk_field("users.id", "CASCADE")
    achievement_id: int = fk_field("achievements.id", "CASCADE")
    progress: int = counter_field()
    completed_at: datetime | None = timestamp_field()
    seen_at: datetime | None = timestamp_field()


class AchievementTotals(MutableTableBase, table=True):
    """One user's maintained leaderboard score and the like path's running count.

    Written only by `citypulse.services.achievements` (never by a client): `points`,
    `completed` and `families` are recounted from `user_achievements` whenever a badge
    is awarded; `likes_received` moves with every like and unlike in the like's counter
    statement (a row lock per author: the like that crosses a threshold is known
    exactly) and is reset to the recount by every evaluation of that metric;
    `engagement_score` is refreshed by the job runner (§4.8, 30 days). The row is also
    the per-user lock every evaluation takes first. See services/achievements/__init__.py.
    """

    __tablename__ = "achievement_totals"
    __table_args__ = (
        sa.CheckConstraint("points >= 0", name="points_nonnegative"),
        sa.CheckConstraint("completed >= 0", name="completed_nonnegative"),
        sa.CheckConstraint("families BETWEEN 0 AND 7", name="families_range"),
        sa.CheckConstraint("engagement_score >= 0", name="engagement_nonnegative"),
        # The leaderboard boards read these in order: eligible = ≥1 completed badge.
        sa.Index(
            "ix_achievement_totals_points_completed",
            sa.text("points DESC"),
            sa.text("completed DESC"),
            postgresql_where=sa.text("completed > 0"),
        ),
        sa.Index(
            "ix_achievement_totals_completed_points",
            sa.text("completed DESC"),
            sa.text("points DESC"),
            postgresql_where=sa.text("completed > 0"),
        ),
        sa.Index(
            "ix_achievement_totals_families_points",
            sa.text("families DESC"),
            sa.text("points DESC"),
            postgresql_where=sa.text("completed > 0"),
        ),
        sa.Index(
            "ix_achievement_totals_engagement_score",
            sa.text("engagement_score DESC"),
            postgresql_where=sa.text("engagement_score > 0"),
        ),
    )

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", nullable=False, unique=True)
    points: int = counter_field()
    completed: int = counter_field()
    families: int = counter_field()
    likes_received: int = counter_field()
    engagement_score: float = Field(
        default=0,
        sa_type=sa.Double,
        nullable=False,
        sa_column_kwargs={"server_default": sa.text("0")},
    )
