"""Feed: a person's-newest index carries status, visibility and category (issue 11).

The Buddies tab reads each buddy's newest active places a buddy may see (not private),
in a chip's category: with these columns in `ix_recommendations_author_id_created_at_id`
that is an index-only read of a few entries per buddy, where it read up to 11 places'
rows per buddy (~160 of its ~1,400 buffers came from outside shared buffers on a first
visit, the p95 of its page). Same name and key order, so every other user of the index
is served as before.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 00:15:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_recommendations_author_id_created_at_id"
KEY = ["author_id", "created_at", "id"]


def upgrade() -> None:
    op.drop_index(NAME, table_name="recommendations")
    op.create_index(
        NAME, "recommendations", KEY,
        postgresql_include=["status", "visibility", "category_id"],
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index(NAME, table_name="recommendations")
    op.create_index(NAME, "recommendations", KEY)
