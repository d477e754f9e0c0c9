"""Social: buddies and blocks, and interactions with recommendations.

Interactions (ratings, likes, saves, views, shares) are indexed by
(recommendation_id, created_at) for trending windows and by (created_at) for the
"events in the last N days" scans across all recommendations.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from citypulse.models.base import (
    MutableTableBase,
    TableBase,
    enum_check,
    enum_field,
    fk_field,
    timestamp_field,
)
from citypulse.models.enums import BuddyStatus, ModerationStatus, SharePlatform


class BuddyConnection(MutableTableBase, table=True):
    """One row per unordered pair of users; re-requests reuse the row."""

    __tablename__ = "buddy_connections"
    __table_args__ = (
        sa.CheckConstraint("requester_id <> addressee_id", name="not_self"),
        enum_check("status", BuddyStatus),
        sa.Index(
            "uq_buddy_connections_pair",
            sa.text("least(requester_id, addressee_id)"),
            sa.text("greatest(requester_id, addressee_id)"),
            unique=True,
        ),
        sa.Index("ix_buddy_connections_requester_id_status", "requester_id", "status"),
        sa.Index("ix_buddy_connections_addressee_id_status", "addressee_id", "status"),
    )

    requester_id: int = fk_field("users.id", "CASCADE")
    addressee_id: int = fk_field("users.id", "CASCADE")
    status: BuddyStatus = enum_field(BuddyStatus, BuddyStatus.pending)
    request_message: str | None = Field(default=None, sa_type=sa.String(300))
    response_message: str | None = Field(default=None, sa_type=sa.String(300))
    requested_at: datetime | None = timestamp_field(nullable=False, server_now=True)
    responded_at: datetime | None = timestamp_field()


class Block(TableBase, table=True):
    """`blocker_id` blocks `blocked_id`; hiding applies both ways."""

    __tablename__ = "blocks"
    __table_args__ = (
        sa.UniqueConstraint("blocker_id", "blocked_id"),
        sa.CheckConstraint("blocker_id <> blocked_id", name="not_self"),
        sa.Index("ix_blocks_blocked_id", "blocked_id"),
    )

    blocker_id: int = fk_field("users.id", "CASCADE")
    blocked_id: int = fk_field("users.id", "CASCADE")
    reason: str | None = Field(default=None, sa_type=sa.String(100))


class Rating(MutableTableBase, table=True):
    """A 1–5 rating with an optional review; a moderator may hide the review text only."""

    __tablename__ = "ratings"
    __table_args__ = (
        sa.UniqueConstraint("recommendation_id", "user_id"),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        enum_check("review_status", ModerationStatus),
        sa.Index(
            "ix_ratings_recommendation_id_created_at_id", "recommendation_id", "created_at", "id"
        ),
        sa.Index("ix_ratings_user_id_created_at", "user_id", "created_at"),
        sa.Index("ix_ratings_created_at", "created_at"),
    )

    recommendation_id: int = fk_field("recommendations.id", "CASCADE")
    user_id: int = fk_field("users.id", "CASCADE")
    rating: int = Field(sa_type=sa.SmallInteger, nullable=False)
    review: str | None = Field(default=None, sa_type=sa.String(1000))
    review_status: ModerationStatus = enum_field(ModerationStatus, ModerationStatus.active)


class Like(TableBase, table=True):
    """A like (toggle: unliking deletes the row)."""

    __tablename__ = "likes"
    __table_args__ = (
        sa.UniqueConstraint("recommendation_id", "user_id"),
        sa.Index("ix_likes_recommendation_id_created_at", "recommendation_id", "created_at"),
        sa.Index("ix_likes_user_id_created_at_id", "user_id", "created_at", "id"),
        sa.Index("ix_likes_created_at", "created_at"),
    )

    recommendation_id: int = fk_field("recommendations.id", "CASCADE")
    user_id: int = fk_field("users.id", "CASCADE")


class Save(TableBase, table=True):
    """A save (toggle); the saved list is private and newest first."""

    __tablename__ = "saves"
    __table_args__ = (
        sa.UniqueConstraint("recommendation_id", "user_id"),
        sa.Index("ix_saves_recommendation_id_created_at", "recommendation_id", "created_at"),
        sa.Index("ix_saves_user_id_created_at_id", "user_id", "created_at", "id"),
        sa.Index("ix_saves_created_at", "created_at"),
    )

    recommendation_id: int = fk_field("recommendations.id", "CASCADE")
    user_id: int = fk_field("users.id", "CASCADE")


class View(TableBase, table=True):
    """A counted view, by a signed-in user or an anonymous cookie id (hashed).

    `user_id` is SET NULL on purge: the view stays counted in `views_count`.
    """

    __tablename__ = "views"
    __table_args__ = (
        sa.Index("ix_views_recommendation_id_created_at", "recommendation_id", "created_at"),
        sa.Index("ix_views_created_at", "created_at"),
        sa.Index(
            "ix_views_user_id_recommendation_id_viewed_at",
            "user_id",
            "recommendation_id",
            "viewed_at",
            postgresql_where=sa.text("user_id IS NOT NULL"),
        ),
        sa.Index(
            "ix_views_anon_key_hash_recommendation_id_viewed_at",
            "anon_key_hash",
            "recommendation_id",
            "viewed_at",
            postgresql_where=sa.text("anon_key_hash IS NOT NULL"),
        ),
    )

    recommendation_id: int = fk_field("recommendations.id", "CASCADE")
    user_id: int | None = fk_field("users.id", "SET NULL", nullable=True)
    anon_key_hash: str | None = Field(default=None, sa_type=sa.String(64))
    viewed_at: datetime | None = timestamp_field(nullable=False, server_now=True)


class Share(TableBase, table=True):
    """Every share is recorded; the service decides whether `shares_count` rises."""

    __tablename__ = "shares"
    __table_args__ = (
        enum_check("platform", SharePlatform),
        sa.Index("ix_shares_recommendation_id_created_at", "recommendation_id", "created_at"),
        sa.Index(
            "ix_shares_user_id_recommendation_id_platform_created_at",
            "user_id",
            "recommendation_id",
            "platform",
            "created_at",
        ),
    )

    recommendation_id: int = fk_field("recommendations.id", "CASCADE")
    user_id: int = fk_field("users.id", "CASCADE")
    platform: SharePlatform = enum_field(SharePlatform)
