"""Moderation: reports, warnings, sanctions, appeals and the append-only audit log.

Moderator references are SET NULL on purge so the history survives ("deleted user").
`Warning` shadows Python's builtin of the same name; import it under an alias
(`from citypulse.models import Warning as UserWarningRow`) or use `ModerationWarning`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from citypulse.models.base import (
    MutableTableBase,
    TableBase,
    bool_field,
    enum_check,
    enum_field,
    fk_field,
    timestamp_field,
)
from citypulse.models.enums import (
    ActionType,
    AppealStatus,
    AppealTarget,
    ReportContentType,
    ReportReason,
    ReportStatus,
    RestrictionKind,
    Severity,
    SuspensionSource,
    TargetType,
    WarningType,
)


class ContentReport(MutableTableBase, table=True):
    """A user's report about one item; `reporter_id` becomes NULL when the reporter is purged."""

    __tablename__ = "content_reports"
    __table_args__ = (
        sa.UniqueConstraint("reporter_id", "content_type", "content_id"),
        enum_check("content_type", ReportContentType),
        enum_check("reason", ReportReason),
        enum_check("status", ReportStatus),
        sa.CheckConstraint(
            "reason <> 'other' OR char_length(btrim(COALESCE(description, ''))) >= 10",
            name="other_needs_description",
        ),
        sa.Index("ix_content_reports_status_created_at_id", "status", "created_at", "id"),
        sa.Index("ix_content_reports_content_type_content_id", "content_type", "content_id"),
        sa.Index("ix_content_reports_content_owner_id", "content_owner_id"),
        sa.Index("ix_content_reports_reporter_id_created_at", "reporter_id", "created_at"),
        sa.Index(
            "ix_content_reports_reviewed_by_id",
            "reviewed_by_id",
            postgresql_where=sa.text("reviewed_by_id IS NOT NULL"),
        ),
    )

    reporter_id: int | None = fk_field("users.id", "SET NULL", nullable=True)
    content_type: ReportContentType = enum_field(ReportContentType)
    content_id: int = Field(nullable=False)
    content_owner_id: int = fk_field("users.id", "CASCADE")
    reason: ReportReason = enum_field(ReportReason)
    description: str | None = Field(default=None, sa_type=sa.String(1000))
    status: ReportStatus = enum_field(ReportStatus, ReportStatus.pending)
    reviewed_by_id: int | None = fk_field("users.id", "SET NULL", nullable=True)
    reviewed_at: datetime | None = timestamp_field()
    resolution_note: str | None = Field(default=None, sa_type=sa.String(1000))


class Warning(MutableTableBase, table=True):  # named as in PRODUCT.md; shadows the builtin
    """A warning to a user; active until revoked or `expires_at` (issue + 180 days)."""

    __tablename__ = "warnings"
    __table_args__ = (
        sa.CheckConstraint(
            "char_length(btrim(message)) BETWEEN 10 AND 1000", name="message_length"
        ),
        enum_check("warning_type", WarningType),
        enum_check("severity", Severity),
        sa.Index("ix_warnings_user_id_is_active_expires_at", "user_id", "is_active", "expires_at"),
        sa.Index(
            "ix_warnings_report_id", "report_id", postgresql_where=sa.text("report_id IS NOT NULL")
        ),
    )

    user_id: int = fk_field("users.id", "CASCADE")
    moderator_id: int | None = fk_field("users.id", "SET NULL", nullable=True)
    warning_type: WarningType = enum_field(WarningType)
    severity: Severity = enum_field(Severity)
    message: str = Field(sa_type=sa.String(1000), nullable=False)
    report_id: int | None = fk_field("content_reports.id", "SET NULL", nullable=True)
    is_active: bool = bool_field(True)
    expires_at: datetime = timestamp_field(nullable=False)
    revoked_at: datetime | None = timestamp_field()
    revoked_by_id: int | None = fk_field("users.id", "SET NULL", nullable=True)


ModerationWarning = Warning


class Suspension(MutableTableBase, table=True):
    """A suspension (with `ends_at`) or a ban (no end). At most one open (unlifted) per user:
    re-suspending updates the open row; a ban after a suspension lifts it first."""

    __tablename__ = "suspensions"
    __table_args__ = (
        enum_check("kind", RestrictionKind),
        enum_check("source", SuspensionSource),
        sa.CheckConstraint("char_length(btrim(reason)) BETWEEN 10 AND 1000", name="reason_length"),
        sa.CheckConstraint(
            "(kind = 'suspension' AND ends_at IS NOT NULL) OR (kind = 'ban' AND ends_at IS NULL)",
            name="ends_at_matches_kind",
        ),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.Index(
            "uq_suspensions_open_user",
            "user_id",
            unique=True,
            postgresql_where=sa.text("lifted_at IS NULL"),
        ),
        sa.Index("ix_suspensions_user_id_created_at", "user_id", "created_at"),
        sa.Index(
            "ix_suspensions_due",
            "ends_at",
            postgresql_where=sa.text("lifted_at IS NULL AND kind = 'suspension'"),
        ),
    )

    user_id: int = fk_field("users.id", "CASCADE")
    kind: RestrictionKind = enum_field(RestrictionKind)
    imposed_by_id: int | None = fk_field("users.id", "SET NULL", nullable=True)
    source: SuspensionSource = enum_field(SuspensionSource, SuspensionSource.manual)
    warning_id: int | None = fk_field("warnings.id", "SET NULL", nullable=True)
    reason: str = Field(sa_type=sa.String(1000), nullable=False)
    starts_at: datetime | None = timestamp_field(nullable=False, server_now=True)
    ends_at: datetime | None = timestamp_field()
    lifted_at: datetime | None = timestamp_field()
    lifted_by_id: int | None = fk_field("users.id", "SET NULL", nullable=True)  # NULL = expiry
    lift_reason: str | None = Field(default=None, sa_type=sa.String(1000))


class Appeal(MutableTableBase, table=True):
    """An appeal of a warning, sanction or removal; one per target, decided once."""

    __tablename__ = "appeals"
    __table_args__ = (
        sa.UniqueConstraint("target_type", "target_id"),
        enum_check("target_type", AppealTarget),
        enum_check("status", AppealStatus),
        sa.CheckConstraint(
            "char_length(btrim(message)) BETWEEN 20 AND 2000", name="message_length"
        ),
        sa.CheckConstraint(
            "char_length(btrim(decision_note)) BETWEEN 10 AND 1000", name="decision_note_length"
        ),
        sa.CheckConstraint(
            "status = 'pending' OR (decided_at IS NOT NULL AND decision_note IS NOT NULL)",
            name="decision_complete",
        ),
        sa.Index("ix_appeals_status_created_at_id", "status", "created_at", "id"),
        sa.Index("ix_appeals_appellant_id", "appellant_id"),
    )

    appellant_id: int = fk_field("users.id", "CASCADE")
    target_type: AppealTarget = enum_field(AppealTarget)
    target_id: int = Field(nullable=False)
    message: str = Field(sa_type=sa.String(2000), nullable=False)
    status: AppealStatus = enum_field(AppealStatus, AppealStatus.pending)
    decided_by_id: int | None = fk_field("users.id", "SET NULL", nullable=True)
    decision_note: str | None = Field(default=None, sa_type=sa.String(1000))
    decided_at: datetime | None = timestamp_field()


class ModeratorAction(TableBase, table=True):
    """The audit log: one row per moderation action, never edited (only purge nulls refs).

    `actor_id` NULL = the system (e.g. suspension_expired). `notes` are moderator-only.
    """

    __tablename__ = "moderator_actions"
    __table_args__ = (
        enum_check("action_type", ActionType),
        enum_check("target_type", TargetType),
        sa.CheckConstraint("char_length(btrim(reason)) BETWEEN 1 AND 1000", name="reason_length"),
        sa.Index("ix_moderator_actions_created_at_id", "created_at", "id"),
        sa.Index("ix_moderator_actions_actor_id_created_at", "actor_id", "created_at"),
        sa.Index("ix_moderator_actions_target_user_id_created_at", "target_user_id", "created_at"),
        sa.Index("ix_moderator_actions_action_type_created_at", "action_type", "created_at"),
        sa.Index("ix_moderator_actions_target", "target_type", "target_id"),
    )

    actor_id: int | None = fk_field("users.id", "SET NULL", nullable=True)
    action_type: ActionType = enum_field(ActionType)
    target_type: TargetType = enum_field(TargetType)
    target_id: int = Field(nullable=False)
    target_user_id: int | None = fk_field("users.id", "SET NULL", nullable=True)
    reason: str = Field(sa_type=sa.String(1000), nullable=False)
    notes: str | None = Field(default=None, sa_type=sa.String(2000))
    details: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=JSONB,
        nullable=False,
        sa_column_kwargs={"server_default": sa.text("'{}'::jsonb")},
    )
