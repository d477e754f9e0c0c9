"""Feed: the materialised trending scores and the frozen feed snapshots (PRODUCT.md §4.9).

- `trending_scores` holds, per window (7 or 30 days), every public active recommendation
  with T > 0, T = 2·likes + 3·saves + 2·ratings + 0.1·views counted inside the window. The
  job runner replaces a window's rows in one transaction (`services/feed/trending.py`), so
  readers always see a complete ranking; the index serves the ranked order directly.
  Rows are only inserted and deleted (never updated): no `updated_at`.
- `feed_snapshots` freeze the first page of For You or Trending for one feed session: the
  ranked recommendation ids (≤ 500) and the moment they were ranked (the "N new posts"
  cutoff). Later pages are slices of `item_ids`; rows expire after 30 minutes.
- `feed_pool` holds what For You's ranking needs of each recent recommendation (90 days,
  active, by an active author): its author, category, visibility, cities and 7-day T, so
  a session's ranking reads index ranges of this one table and scores columns, with no
  probe of recommendations, users, cities or trending per candidate. Derived data: the
  job runner brings it up to date every minute (`services/feed/pool.py`).
- `feed_rankings` hold each recently active viewer's For You rankings (every category,
  and the chips they use), computed ahead of their next feed session
  (`services/feed/ready.py`): the best ids with their authors and scores, and the
  viewer's terms (cities, interests, buddies, blocks) it was ranked with.
  A new session merges what was published since into it instead of ranking again.
  Derived data: one row per viewer, replaced by every ranking.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field

from citypulse.models.base import (
    MutableTableBase,
    TableBase,
    TZDateTime,
    bool_field,
    enum_check,
    enum_field,
    fk_field,
)
from citypulse.models.enums import Visibility

TRENDING_WINDOWS = (7, 30)


class SnapshotTab(enum.StrEnum):
    """The ranked feed tabs whose first page is frozen (Buddies is a plain keyset)."""

    for_you = "for_you"
    trending = "trending"


class TrendingScore(TableBase, table=True):
    """T of one recommendation in one window; `created_at` is the refresh that wrote it."""

    __tablename__ = "trending_scores"
    __table_args__ = (
        sa.UniqueConstraint("window_days", "recommendation_id"),
        sa.CheckConstraint(
            f"window_days IN ({', '.join(str(w) for w in TRENDING_WINDOWS)})",
            name="window_days_valid",
        ),
        sa.CheckConstraint("score > 0", name="score_positive"),
        sa.Index(
            "ix_trending_scores_window_days_rank",
            "window_days",
            sa.text("score DESC"),
            sa.text("recommendation_created_at DESC"),
            sa.text("recommendation_id DESC"),
        ),
        sa.Index("ix_trending_scores_recommendation_id", "recommendation_id"),
    )

    window_days: int = Field(sa_type=sa.SmallInteger, nullable=False)
    recommendation_id: int = fk_field("recommendations.id", "CASCADE")
    score: float = Field(sa_type=sa.Double, nullable=False)
    recommendation_created_at: datetime = Field(sa_type=TZDateTime, nullable=False)
    # Copied from the recommendation at the refresh: a session's ranking filters on them
    # without a probe per row (its pages re-check the visibility rule).
    author_id: int = Field(sa_type=sa.Integer, nullable=False)
    category_id: int = Field(sa_type=sa.Integer, nullable=False)


class FeedSnapshot(TableBase, table=True):
    """One feed session's frozen ranking; `created_at` is when it was ranked."""

    __tablename__ = "feed_snapshots"
    __table_args__ = (
        enum_check("tab", SnapshotTab),
        sa.CheckConstraint("cardinality(item_ids) <= 500", name="item_ids_max"),
        sa.Index("ix_feed_snapshots_user_id", "user_id"),
        sa.Index("ix_feed_snapshots_expires_at", "expires_at"),
    )

    user_id: int = fk_field("users.id", "CASCADE")
    tab: SnapshotTab = enum_field(SnapshotTab)
    window_days: int | None = Field(default=None, sa_type=sa.SmallInteger)
    category_id: int | None = fk_field("categories.id", "CASCADE", nullable=True)
    item_ids: list[int] = Field(default_factory=list, sa_type=ARRAY(sa.Integer), nullable=False)
    expires_at: datetime = Field(sa_type=TZDateTime, nullable=False)
    # False while a For You session holds only its first look (`feed.first_look`).
    complete: bool = bool_field(True)


class FeedPoolEntry(MutableTableBase, table=True):
    """One recent recommendation as For You ranks it, as of the last pool refresh
    (`created_at`: the refresh that added it; `updated_at`: the last one that changed it)."""

    __tablename__ = "feed_pool_entries"
    __table_args__ = (
        sa.UniqueConstraint("recommendation_id"),  # the refresh's upsert target
        enum_check("visibility", Visibility),
        # The sources of `services/feed/pool.py`, each newest first: everyone's, a
        # buddy's, a category's; and the 7-day trending top (a city's are read from its
        # links, `ix_recommendation_cities_city_id_recommendation_id`).
        sa.Index(
            "ix_feed_pool_entries_created_recommendation_id",
            "recommendation_created_at",
            "recommendation_id",
        ),
        sa.Index(
            "ix_feed_pool_entries_author_id_created_recommendation_id",
            "author_id",
            "recommendation_created_at",
            "recommendation_id",
        ),
        sa.Index(
            "ix_feed_pool_entries_category_id_created_recommendation_id",
            "category_id",
            "recommendation_created_at",
            "recommendation_id",
        ),
        sa.Index(
            "ix_feed_pool_entries_trending_rank",
            sa.text("trending DESC"),
            sa.text("recommendation_created_at DESC"),
            sa.text("recommendation_id DESC"),
            postgresql_where=sa.text("trending > 0"),
        ),
    )

    recommendation_id: int = fk_field("recommendations.id", "CASCADE")
    author_id: int = Field(sa_type=sa.Integer, nullable=False)
    category_id: int = Field(sa_type=sa.Integer, nullable=False)
    recommendation_created_at: datetime = Field(sa_type=TZDateTime, nullable=False)
    visibility: Visibility = enum_field(Visibility)
    city_ids: list[int] = Field(default_factory=list, sa_type=ARRAY(sa.Integer), nullable=False)
    trending: float = Field(default=0.0, sa_type=sa.Double, nullable=False)


class FeedRanking(MutableTableBase, table=True):
    """A viewer's For You ranking (every category, or a chip's) as of `ranked_at`, best
    first (before the author-run limit): parallel arrays of ids (trips negated), authors
    and scores S as of `ranked_at`; the top 7-day T it normalised by; and the terms it
    used, so a changed buddy, block, interest or city makes it unusable at once."""

    __tablename__ = "feed_rankings"
    __table_args__ = (
        # One per viewer and chip (NULL: every category); its index serves the read.
        sa.Index(
            "uq_feed_rankings_user_id_category_id",
            "user_id",
            "category_id",
            unique=True,
            postgresql_nulls_not_distinct=True,
        ),
        sa.CheckConstraint(
            "cardinality(item_ids) <= 500 AND cardinality(author_ids) = cardinality(item_ids)"
            " AND cardinality(scores) = cardinality(item_ids)",
            name="arrays_parallel",
        ),
        sa.Index("ix_feed_rankings_ranked_at", "ranked_at"),
    )

    user_id: int = fk_field("users.id", "CASCADE")
    category_id: int | None = fk_field("categories.id", "CASCADE", nullable=True)
    ranked_at: datetime = Field(sa_type=TZDateTime, nullable=False)
    item_ids: list[int] = Field(default_factory=list, sa_type=ARRAY(sa.Integer), nullable=False)
    author_ids: list[int] = Field(default_factory=list, sa_type=ARRAY(sa.Integer), nullable=False)
    scores: list[float] = Field(default_factory=list, sa_type=ARRAY(sa.Double), nullable=False)
    top_trending: float = Field(default=0.0, sa_type=sa.Double, nullable=False)
    city_ids: list[int] = Field(default_factory=list, sa_type=ARRAY(sa.Integer), nullable=False)
    interest_ids: list[int] = Field(default_factory=list, sa_type=ARRAY(sa.Integer), nullable=False)
    buddy_ids: list[int] = Field(default_factory=list, sa_type=ARRAY(sa.Integer), nullable=False)
    blocked_ids: list[int] = Field(default_factory=list, sa_type=ARRAY(sa.Integer), nullable=False)
