"""Search: the "has photos" filter key and the nearby index (PRODUCT.md §4.10, issue 11).

- `search_history.filters` / `saved_searches.filters` may also hold `has_photos`
  (the key CHECK is rebuilt from `models.search.FILTER_KEYS`).
- `ix_recommendations_active_lat_lng`: active recommendations with coordinates by
  (latitude, longitude), so "near" reads a bounding box from the index and computes the
  exact distance only inside it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 04:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("search_history", "saved_searches")
OLD_KEYS = (
    "cities", "near", "categories", "tags", "difficulty", "price", "min_rating",
    "created_from", "created_to", "best_months", "location", "kind", "sort",
)  # fmt: skip
NEW_KEYS = (*OLD_KEYS, "has_photos")


def _keys_check(table: str, keys: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{key}'" for key in keys)
    op.drop_constraint(op.f(f"ck_{table}_filters_keys"), table, type_="check")
    op.create_check_constraint(
        op.f(f"ck_{table}_filters_keys"),
        table,
        f"(filters - ARRAY[{listed}]::text[]) = '{{}}'::jsonb",
    )


def upgrade() -> None:
    for table in TABLES:
        _keys_check(table, NEW_KEYS)
    op.create_index(
        op.f("ix_recommendations_active_lat_lng"),
        "recommendations",
        ["latitude", "longitude"],
        postgresql_where=sa.text("status = 'active' AND latitude IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_recommendations_active_lat_lng", table_name="recommendations")
    for table in TABLES:
        op.execute(f"DELETE FROM {table} WHERE filters ? 'has_photos'")
        _keys_check(table, OLD_KEYS)
