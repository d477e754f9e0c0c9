"""Notifications: durable in-app notifications (PRODUCT.md §4.11)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from citypulse.models.base import (
    TableBase,
    bool_field,
    enum_check,
    enum_field,
    fk_field,
    timestamp_field,
)
from citypulse.models.enums import NotificationType


class Notification(TableBase, table=True):
    """A notification for `recipient_id`; `actor_id` is NULL for system/moderation ones.

    `target_type`/`target_id` name the item (free text such as "recommendation", "trip",
    "appeal"); `action_url` is a site-relative path. Reading only sets `is_read`/`read_at`.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        enum_check("type", NotificationType),
        sa.CheckConstraint(
            "action_url LIKE '/%' AND action_url NOT LIKE '//%'", name="action_url_relative"
        ),
        sa.CheckConstraint("(target_type IS NULL) = (target_id IS NULL)", name="target_pair"),
        sa.CheckConstraint("is_read = (read_at IS NOT NULL)", name="read_at_matches"),
        sa.Index("ix_notifications_recipient_id_created_at_id", "recipient_id", "created_at", "id"),
        sa.Index(
            "ix_notifications_unread",
            "recipient_id",
            "created_at",
            "id",
            postgresql_where=sa.text("NOT is_read"),
        ),
        sa.Index("ix_notifications_created_at", "created_at"),
        sa.Index(
            "ix_notifications_actor_id",
            "actor_id",
            postgresql_where=sa.text("actor_id IS NOT NULL"),
        ),
    )

    recipient_id: int = fk_field("users.id", "CASCADE")
    type: NotificationType = enum_field(NotificationType)
    title: str = Field(sa_type=sa.String(200), nullable=False)
    message: str = Field(sa_type=sa.String(1000), nullable=False)
    actor_id: int | None = fk_field("users.id", "SET NULL", nullable=True)
    target_type: str | None = Field(default=None, sa_type=sa.String(32))
    target_id: int | None = Field(default=None)
    action_url: str | None = Field(default=None, sa_type=sa.String(500))
    is_read: bool = bool_field(False)
    read_at: datetime | None = timestamp_field()
