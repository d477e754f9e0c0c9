"""Achievement totals: the maintained leaderboard score per user (PRODUCT.md §4.7, §4.8).

One row per user who was ever evaluated (or liked): points, completed badges and badge
families, recounted by the achievement services whenever a badge is awarded; the like
path's running `likes_received`; the 30-day engagement score refreshed by the job
runner. The partial indexes serve each board in order (eligible = ≥1 completed badge;
engagement = a score > 0); "Recently earned" reads the newest unlocks through
`ix_user_achievements_completed_at_id`. The totals row doubles as the per-user lock of every evaluation.

Existing data: `cli achievements-backfill` fills the rows (and awards what is due).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 04:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "achievement_totals"
ELIGIBLE = sa.text("completed > 0")


def upgrade() -> None:
    zero = sa.text("0")
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), server_default=zero, nullable=False),
        sa.Column("completed", sa.Integer(), server_default=zero, nullable=False),
        sa.Column("families", sa.Integer(), server_default=zero, nullable=False),
        sa.Column("likes_received", sa.Integer(), server_default=zero, nullable=False),
        sa.Column("engagement_score", sa.Double(), server_default=zero, nullable=False),
        sa.CheckConstraint("points >= 0", name=op.f("ck_achievement_totals_points_nonnegative")),
        sa.CheckConstraint(
            "completed >= 0", name=op.f("ck_achievement_totals_completed_nonnegative")
        ),
        sa.CheckConstraint(
            "families BETWEEN 0 AND 7", name=op.f("ck_achievement_totals_families_range")
        ),
        sa.CheckConstraint(
            "engagement_score >= 0", name=op.f("ck_achievement_totals_engagement_nonnegative")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_achievement_totals_user_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_achievement_totals")),
        sa.UniqueConstraint("user_id", name=op.f("uq_achievement_totals_user_id")),
    )  # fmt: skip
    for name, first, second in (
        ("ix_achievement_totals_points_completed", "points", "completed"),
        ("ix_achievement_totals_completed_points", "completed", "points"),
        ("ix_achievement_totals_families_points", "families", "points"),
    ):
        op.create_index(
            name, TABLE, [sa.text(f"{first} DESC"), sa.text(f"{second} DESC")],
            unique=False, postgresql_where=ELIGIBLE,
        )  # fmt: skip
    op.create_index(
        "ix_achievement_totals_engagement_score", TABLE, [sa.text("engagement_score DESC")],
        unique=False, postgresql_where=sa.text("engagement_score > 0"),
    )  # fmt: skip
    op.create_index(
        "ix_user_achievements_completed_at_id", "user_achievements",
        [sa.text("completed_at DESC"), sa.text("id DESC")],
        unique=False, postgresql_where=sa.text("completed_at IS NOT NULL"),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_user_achievements_completed_at_id", table_name="user_achievements")
    op.drop_table(TABLE)
