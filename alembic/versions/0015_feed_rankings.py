"""Feed: For You rankings computed ahead of the visit (issue 11).

One row per recently active viewer and chip (NULL: every category): their For You
ranking (ids, authors and scores, best first) as of `ranked_at`, and the terms it was
ranked with. A new feed session merges
what was published since into it instead of ranking ~1,000 candidates again; the job
runner re-ranks viewers with an open feed session every few minutes. Derived data:
starts empty (the first session of each viewer ranks live and stores its ranking).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 23:50:19.933387+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feed_rankings",
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
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("ranked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("item_ids", postgresql.ARRAY(sa.Integer()), nullable=False),
        sa.Column("author_ids", postgresql.ARRAY(sa.Integer()), nullable=False),
        sa.Column("scores", postgresql.ARRAY(sa.Double()), nullable=False),
        sa.Column("top_trending", sa.Double(), nullable=False),
        sa.Column("city_ids", postgresql.ARRAY(sa.Integer()), nullable=False),
        sa.Column("interest_ids", postgresql.ARRAY(sa.Integer()), nullable=False),
        sa.Column("buddy_ids", postgresql.ARRAY(sa.Integer()), nullable=False),
        sa.Column("blocked_ids", postgresql.ARRAY(sa.Integer()), nullable=False),
        sa.CheckConstraint(
            "cardinality(item_ids) <= 500 AND cardinality(author_ids) = cardinality(item_ids)"
            " AND cardinality(scores) = cardinality(item_ids)",
            name=op.f("ck_feed_rankings_arrays_parallel"),
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name=op.f("fk_feed_rankings_category_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_feed_rankings_user_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_rankings")),
    )
    op.create_index(
        "uq_feed_rankings_user_id_category_id",
        "feed_rankings",
        ["user_id", "category_id"],
        unique=True,
        postgresql_nulls_not_distinct=True,
    )
    op.create_index("ix_feed_rankings_ranked_at", "feed_rankings", ["ranked_at"], unique=False)


def downgrade() -> None:
    op.drop_table("feed_rankings")  # its indexes go with it
