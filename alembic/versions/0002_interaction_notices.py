"""Interaction notices: remember a user's first like / first rating of a recommendation.

Only a user's first like and first rating notify the author (PRODUCT.md §4.4, §4.11).
Unliking deletes the `likes` row, so the memory lives in its own table. Existing likes
and ratings are copied in, so nothing that happened before this revision re-notifies.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 13:45:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "interaction_notices"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "kind IN ('like', 'rating')", name=op.f("ck_interaction_notices_kind_valid")
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_interaction_notices_recommendation_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_interaction_notices_user_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction_notices")),
        sa.UniqueConstraint(
            "recommendation_id",
            "user_id",
            "kind",
            name=op.f("uq_interaction_notices_recommendation_id_user_id_kind"),
        ),
    )
    op.create_index("ix_interaction_notices_user_id", TABLE, ["user_id"], unique=False)
    # Likes and ratings that exist already count as announced.
    for kind, source in (("like", "likes"), ("rating", "ratings")):
        op.execute(
            f"INSERT INTO {TABLE} (recommendation_id, user_id, kind) "
            f"SELECT recommendation_id, user_id, '{kind}' FROM {source} "
            "ON CONFLICT DO NOTHING"
        )


def downgrade() -> None:
    op.drop_index("ix_interaction_notices_user_id", table_name=TABLE)
    op.drop_table(TABLE)
