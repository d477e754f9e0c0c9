"""Trips: who added a trip city, and each member's private calendar feed (PRODUCT.md §4.6).

- `trip_cities.added_by_id`: a collaborative trip's participant may delete the cities
  they added (§4.6.4); survives the adder's purge as NULL.
- `trip_companions.calendar_token_hash`: SHA-256 of the member's revocable private
  calendar feed token (issue 12 item 9); unique, NULL when there is no feed.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 08:45:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("trip_cities", sa.Column("added_by_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        op.f("fk_trip_cities_added_by_id"),
        "trip_cities",
        "users",
        ["added_by_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.add_column(
        "trip_companions", sa.Column("calendar_token_hash", sa.String(length=64), nullable=True)
    )
    op.create_unique_constraint(
        op.f("uq_trip_companions_calendar_token_hash"), "trip_companions", ["calendar_token_hash"]
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("uq_trip_companions_calendar_token_hash"), "trip_companions", type_="unique"
    )
    op.drop_column("trip_companions", "calendar_token_hash")
    op.drop_constraint(op.f("fk_trip_cities_added_by_id"), "trip_cities", type_="foreignkey")
    op.drop_column("trip_cities", "added_by_id")
