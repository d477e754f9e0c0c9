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
    )

    user_id: int = fk_field("users.id", "CASCADE")
    achievement_id: int = fk_field("achievements.id", "CASCADE")
    progress: int = counter_field()
    completed_at: datetime | None = timestamp_field()
    seen_at: datetime | None = timestamp_field()
