"""Feed: the For You pool, what the ranking needs of each recent recommendation (issue 11).

One row per active recommendation of the last 90 days by an active author: author,
category, visibility, cities and 7-day T, brought up to date by the job runner every
minute. A session's For You ranking reads index ranges of this table and scores its
columns instead of probing recommendations, users, blocks, buddies, cities and trending
per candidate (~10 ms at 1 M recommendations). Derived data: starts empty (the ranking
reads recommendations directly until the first refresh).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 14:44:53.334981+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feed_pool_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("visibility", sa.String(length=32), nullable=False),
        sa.Column("city_ids", postgresql.ARRAY(sa.Integer()), nullable=False),
        sa.Column("trending", sa.Double(), nullable=False),
        sa.CheckConstraint(
            "visibility IN ('public', 'friends_only', 'private')",
            name=op.f("ck_feed_pool_entries_visibility_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_feed_pool_entries_recommendation_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_pool_entries")),
        sa.UniqueConstraint(
            "recommendation_id", name=op.f("uq_feed_pool_entries_recommendation_id")
        ),
    )
    op.create_index(
        "ix_feed_pool_entries_author_id_created_recommendation_id",
        "feed_pool_entries",
        ["author_id", "recommendation_created_at", "recommendation_id"],
        unique=False,
    )
    op.create_index(
        "ix_feed_pool_entries_category_id_created_recommendation_id",
        "feed_pool_entries",
        ["category_id", "recommendation_created_at", "recommendation_id"],
        unique=False,
    )
    op.create_index(
        "ix_feed_pool_entries_created_recommendation_id",
        "feed_pool_entries",
        ["recommendation_created_at", "recommendation_id"],
        unique=False,
    )
    op.create_index(
        "ix_feed_pool_entries_trending_rank",
        "feed_pool_entries",
        [
            sa.literal_column("trending DESC"),
            sa.literal_column("recommendation_created_at DESC"),
            sa.literal_column("recommendation_id DESC"),
        ],
        unique=False,
        postgresql_where=sa.text("trending > 0"),
    )


def downgrade() -> None:
    op.drop_table("feed_pool_entries")  # its indexes go with it
