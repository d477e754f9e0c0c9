"""Accounts: users, their auth tokens and sessions, email preferences and data exports.

Secrets are never stored in clear: every token column holds a hash (SHA-256 hex for
random tokens; the reset code hash may be any format up to 255 characters).
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from citypulse.models.base import (
    MutableTableBase,
    TableBase,
    bool_field,
    counter_field,
    enum_check,
    enum_field,
    fk_field,
    timestamp_field,
    trgm_index,
)
from citypulse.models.enums import AccountStatus, DataExportStatus, RevokeReason, Role, Theme

USERNAME_PATTERN = r"^[a-z0-9_]{3,30}$"
PHONE_PATTERN = r"^\+?[1-9]\d{1,14}$"
# Refused at registration/rename by the service; seeded staff accounts (admin, mod) use
# some of them, so the database does not forbid them.
RESERVED_USERNAMES = frozenset(
    {
        "admin", "administrator", "moderator", "mod", "support", "help", "api", "auth",
        "edit", "settings", "me", "null", "undefined", "citypulse",
    }
)  # fmt: skip


class User(MutableTableBase, table=True):
    """An account. Deleting the row (the purge) cascades to the user's own data."""

    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(f"username ~ '{USERNAME_PATTERN}'", name="username_format"),
        sa.CheckConstraint("email = lower(email) AND email LIKE '%_@_%'", name="email_format"),
        sa.CheckConstraint(
            "char_length(btrim(full_name)) BETWEEN 2 AND 100", name="full_name_length"
        ),
        sa.CheckConstraint(f"phone ~ '{PHONE_PATTERN}'", name="phone_format"),
        sa.CheckConstraint("failed_login_count >= 0", name="failed_login_count_nonnegative"),
        enum_check("role", Role),
        enum_check("account_status", AccountStatus),
        enum_check("theme", Theme),
        sa.Index("uq_users_username_lower", sa.text("lower(username)"), unique=True),
        sa.Index("uq_users_email_lower", sa.text("lower(email)"), unique=True),
        sa.Index("ix_users_created_at_id", "created_at", "id"),
        sa.Index("ix_users_account_status", "account_status"),
        sa.Index(
            "ix_users_deletion_due_at",
            "deletion_due_at",
            postgresql_where=sa.text("deletion_due_at IS NOT NULL"),
        ),
        trgm_index("ix_users_username_trgm", "username"),
        trgm_index("ix_users_full_name_trgm", "full_name"),
        trgm_index("ix_users_bio_trgm", "bio"),  # buddy finder text filter (0003)
    )

    username: str = Field(sa_type=sa.String(30), nullable=False)
    email: str = Field(sa_type=sa.String(254), nullable=False)
    password_hash: str | None = Field(default=None, sa_type=sa.String(255))
    full_name: str = Field(sa_type=sa.String(100), nullable=False)
    bio: str | None = Field(default=None, sa_type=sa.String(500))
    current_location: str | None = Field(default=None, sa_type=sa.String(100))
    hometown: str | None = Field(default=None, sa_type=sa.String(100))
    phone: str | None = Field(default=None, sa_type=sa.String(16))
    google_sub: str | None = Field(default=None, sa_type=sa.String(255), unique=True)
    role: Role = enum_field(Role, Role.user)
    account_status: AccountStatus = enum_field(AccountStatus, AccountStatus.active)
    theme: Theme = enum_field(Theme, Theme.system)
    email_verified_at: datetime | None = timestamp_field()
    terms_accepted_at: datetime | None = timestamp_field()
    last_login_at: datetime | None = timestamp_field()
    last_active_at: datetime | None = timestamp_field()
    failed_login_count: int = counter_field()
    login_locked_until: datetime | None = timestamp_field()
    deactivated_at: datetime | None = timestamp_field()
    deletion_due_at: datetime | None = timestamp_field()
    suspended_until: datetime | None = timestamp_field()


class EmailVerificationToken(TableBase, table=True):
    """Single-use email verification link (24 h). Issuing a new one voids older ones."""

    __tablename__ = "email_verification_tokens"
    __table_args__ = (sa.Index("ix_email_verification_tokens_expires_at", "expires_at"),)

    user_id: int = fk_field("users.id", "CASCADE", index=True)
    token_hash: str = Field(sa_type=sa.String(64), nullable=False, unique=True)
    expires_at: datetime = timestamp_field(nullable=False)
    used_at: datetime | None = timestamp_field()


class PasswordReset(MutableTableBase, table=True):
    """A password-reset request: emailed code, then a short-lived grant.

    "Open" means `used_at IS NULL`; voiding a request (new request, 5 wrong codes,
    expiry noticed, grant consumed) sets `used_at`, so at most one is open per user.
    """

    __tablename__ = "password_resets"
    __table_args__ = (
        sa.CheckConstraint("failed_attempts BETWEEN 0 AND 5", name="failed_attempts_range"),
        sa.CheckConstraint(
            "grant_hash IS NULL OR (verified_at IS NOT NULL AND grant_expires_at IS NOT NULL)",
            name="grant_after_verify",
        ),
        sa.Index(
            "uq_password_resets_open_user",
            "user_id",
            unique=True,
            postgresql_where=sa.text("used_at IS NULL"),
        ),
        sa.Index("ix_password_resets_expires_at", "expires_at"),
    )

    user_id: int = fk_field("users.id", "CASCADE", index=True)
    code_hash: str = Field(sa_type=sa.String(255), nullable=False)
    failed_attempts: int = counter_field(sa_type=sa.SmallInteger)
    expires_at: datetime = timestamp_field(nullable=False)
    verified_at: datetime | None = timestamp_field()
    used_at: datetime | None = timestamp_field()
    grant_hash: str | None = Field(default=None, sa_type=sa.String(64), unique=True)
    grant_expires_at: datetime | None = timestamp_field()


class AuthSession(MutableTableBase, table=True):
    """A refresh session; rotation replaces it by a new row of the same `family_id`."""

    __tablename__ = "auth_sessions"
    __table_args__ = (
        enum_check("revoke_reason", RevokeReason),
        sa.Index(
            "ix_auth_sessions_user_open",
            "user_id",
            postgresql_where=sa.text("revoked_at IS NULL"),
        ),
        sa.Index("ix_auth_sessions_family_id", "family_id"),
        sa.Index("ix_auth_sessions_expires_at", "expires_at"),
        # "Active in the last 24 h" (active buddies): newest activity per user (0003).
        sa.Index("ix_auth_sessions_user_id_last_used_at", "user_id", "last_used_at"),
    )

    user_id: int = fk_field("users.id", "CASCADE", index=True)
    token_hash: str = Field(sa_type=sa.String(64), nullable=False, unique=True)
    family_id: uuid.UUID = Field(default_factory=uuid.uuid4, sa_type=sa.Uuid, nullable=False)
    remember_me: bool = bool_field(False)
    user_agent: str | None = Field(default=None, sa_type=sa.String(255))
    # The client's network, never the full address: IPv4 /24 or IPv6 /48 (§5.4, §5.6).
    ip_prefix: str | None = Field(default=None, sa_type=sa.String(64))
    last_used_at: datetime | None = timestamp_field(nullable=False, server_now=True)
    expires_at: datetime = timestamp_field(nullable=False)
    revoked_at: datetime | None = timestamp_field()
    revoke_reason: RevokeReason | None = enum_field(RevokeReason, nullable=True)
    replaced_by_id: int | None = fk_field("auth_sessions.id", "SET NULL", nullable=True)


class EmailPreferences(MutableTableBase, table=True):
    """One row per user; transactional email ignores these (PRODUCT.md §4.12)."""

    __tablename__ = "email_preferences"

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", unique=True)
    buddy_requests: bool = bool_field(True)
    recommendations: bool = bool_field(True)
    trips: bool = bool_field(True)
    achievements: bool = bool_field(True)
    weekly_digest: bool = bool_field(False)
    marketing: bool = bool_field(False)
    # Where the last daily summary of likes and ratings (§4.12) stopped, mailed or not:
    # the next one covers first likes and ratings after it, at most one per 24 h.
    recommendations_summarized_at: datetime | None = timestamp_field()


class DataExport(MutableTableBase, table=True):
    """A "download my data" job; the file lives under `file_key` until `expires_at`."""

    __tablename__ = "data_exports"
    __table_args__ = (
        enum_check("status", DataExportStatus),
        sa.Index("ix_data_exports_user_id_created_at", "user_id", "created_at"),
        sa.Index(
            "ix_data_exports_pending",
            "created_at",
            postgresql_where=sa.text("status = 'pending'"),
        ),
    )

    user_id: int = fk_field("users.id", "CASCADE")
    status: DataExportStatus = enum_field(DataExportStatus, DataExportStatus.pending)
    file_key: str | None = Field(default=None, sa_type=sa.String(255))
    expires_at: datetime | None = timestamp_field()
