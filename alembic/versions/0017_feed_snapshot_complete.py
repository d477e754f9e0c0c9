"""Feed: a For You session may start from a first look, completed after it (issue 11).

A For You session without a usable stored ranking freezes its first items from a short
live ranking (`feed.first_look`) and the rest of its list is appended once the full
ranking has run, in the background or at the latest by the page that reaches the end of
what is there. `complete` says whether that has happened (every other session is
complete when it is created).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 08:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "feed_snapshots",
        sa.Column("complete", sa.Boolean(), nullable=False, server_default=sa.true()),
    )


def downgrade() -> None:
    op.drop_column("feed_snapshots", "complete")
