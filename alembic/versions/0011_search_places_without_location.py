"""Search: an index of the active places without coordinates (PRODUCT.md §4.10, issue 11).

"Near" reads the places of the cities inside its box that have no coordinates of their
own (their city's stand in). `ix_recommendations_active_no_location` holds only those
places' ids, so checking a city's places is a probe of a small index instead of a heap
read per place (a city of 3,000 places cost 2,800 primary-key probes).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 09:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_recommendations_active_no_location"),
        "recommendations",
        ["id"],
        postgresql_where=sa.text("status = 'active' AND latitude IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_recommendations_active_no_location", table_name="recommendations")
