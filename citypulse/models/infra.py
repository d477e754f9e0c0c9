"""Infrastructure tables: fixed-window rate-limit counters and the email outbox."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from citypulse.models.base import (
    MutableTableBase,
    TableBase,
    counter_field,
    enum_check,
    enum_field,
    fk_field,
    timestamp_field,
)
from citypulse.models.enums import EmailStatus


class RateLimitHit(TableBase, table=True):
    """Hits of one rate-limit key (e.g. "login-ip:203.0.113.0") in one fixed window.

    Count atomically with
    `INSERT ... ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_hits.count + 1
    RETURNING count`; a cleanup job deletes windows older than the longest limit (24 h).
    """

    __tablename__ = "rate_limit_hits"
    __table_args__ = (
        sa.UniqueConstraint("key", "window_start"),
        sa.CheckConstraint("count >= 0", name="count_nonnegative"),
        sa.Index("ix_rate_limit_hits_window_start", "window_start"),
    )

    key: str = Field(sa_type=sa.String(200), nullable=False)
    window_start: datetime = timestamp_field(nullable=False)
    count: int = counter_field(1)


class EmailOutbox(MutableTableBase, table=True):
    """An email to send; a worker delivers pending rows and retries failures with backoff.

    `user_id` (when the mail concerns an account) lets the purge delete queued mail.
    """

    __tablename__ = "email_outbox"
    __table_args__ = (
        enum_check("status", EmailStatus),
        sa.CheckConstraint("attempts >= 0", name="attempts_nonnegative"),
        sa.Index(
            "ix_email_outbox_pending",
            "next_attempt_at",
            postgresql_where=sa.text("status = 'pending'"),
        ),
        sa.Index(
            "ix_email_outbox_user_id", "user_id", postgresql_where=sa.text("user_id IS NOT NULL")
        ),
        sa.Index("ix_email_outbox_created_at_id", "created_at", "id"),
    )

    user_id: int | None = fk_field("users.id", "CASCADE", nullable=True)
    to_address: str = Field(sa_type=sa.String(254), nullable=False)
    subject: str = Field(sa_type=sa.String(255), nullable=False)
    html: str = Field(sa_type=sa.Text, nullable=False)
    text: str = Field(sa_type=sa.Text, nullable=False)
    category: str = Field(sa_type=sa.String(50), nullable=False)  # e.g. verification
    status: EmailStatus = enum_field(EmailStatus, EmailStatus.pending)
    attempts: int = counter_field()
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    next_attempt_at: datetime | None = timestamp_field(nullable=False, server_now=True)
    sent_at: datetime | None = timestamp_field()
