"""Feed: materialised trending scores and frozen feed snapshots (PRODUCT.md §4.9, issue 11).

- `trending_scores`: T per public active recommendation and window (7 / 30 days), replaced
  by the job runner's `trending_refresh` pass; ranked by an index on (window, T, created, id).
- `feed_snapshots`: the ranked ids (≤ 500) of one For You / Trending feed session, held
  30 minutes; later pages are slices (no OFFSET), purged by `feed_snapshots_purge`.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 08:39:27.185831+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feed_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("tab", sa.String(length=32), nullable=False),
        sa.Column("window_days", sa.SmallInteger(), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("item_ids", postgresql.ARRAY(sa.Integer()), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "tab IN ('for_you', 'trending')", name=op.f("ck_feed_snapshots_tab_valid")
        ),
        sa.CheckConstraint(
            "cardinality(item_ids) <= 500", name=op.f("ck_feed_snapshots_item_ids_max")
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name=op.f("fk_feed_snapshots_category_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_feed_snapshots_user_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_snapshots")),
    )
    op.create_index("ix_feed_snapshots_expires_at", "feed_snapshots", ["expires_at"], unique=False)
    op.create_index("ix_feed_snapshots_user_id", "feed_snapshots", ["user_id"], unique=False)
    op.create_table(
        "trending_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("window_days", sa.SmallInteger(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("recommendation_created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("score > 0", name=op.f("ck_trending_scores_score_positive")),
        sa.CheckConstraint(
            "window_days IN (7, 30)", name=op.f("ck_trending_scores_window_days_valid")
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_trending_scores_recommendation_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trending_scores")),
        sa.UniqueConstraint(
            "window_days",
            "recommendation_id",
            name=op.f("uq_trending_scores_window_days_recommendation_id"),
        ),
    )
    op.create_index(
        "ix_trending_scores_recommendation_id",
        "trending_scores",
        ["recommendation_id"],
        unique=False,
    )
    op.create_index(
        "ix_trending_scores_window_days_rank",
        "trending_scores",
        [
            "window_days",
            sa.literal_column("score DESC"),
            sa.literal_column("recommendation_created_at DESC"),
            sa.literal_column("recommendation_id DESC"),
        ],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_trending_scores_window_days_rank", table_name="trending_scores")
    op.drop_index("ix_trending_scores_recommendation_id", table_name="trending_scores")
    op.drop_table("trending_scores")
    op.drop_index("ix_feed_snapshots_user_id", table_name="feed_snapshots")
    op.drop_index("ix_feed_snapshots_expires_at", table_name="feed_snapshots")
    op.drop_table("feed_snapshots")
