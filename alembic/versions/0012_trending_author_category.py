"""Feed: trending rows carry their recommendation's author and category (issue 11).

The Trending ranking of a feed session then reads `trending_scores` alone, in its rank
index's order, and leaves out per viewer only their own places and authors blocked
either way (a hashed list of the viewer's blocks) instead of a primary-key probe with the
whole visibility rule per row; the frozen session's pages still re-check the rule. The
rows are derived data (replaced by the job runner every 5 minutes): existing ones are
filled from their recommendations.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 12:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("trending_scores", sa.Column("author_id", sa.Integer(), nullable=True))
    op.add_column("trending_scores", sa.Column("category_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE trending_scores AS t SET author_id = r.author_id, category_id = r.category_id "
        "FROM recommendations AS r WHERE r.id = t.recommendation_id"
    )
    op.alter_column("trending_scores", "author_id", nullable=False)
    op.alter_column("trending_scores", "category_id", nullable=False)


def downgrade() -> None:
    op.drop_column("trending_scores", "category_id")
    op.drop_column("trending_scores", "author_id")
