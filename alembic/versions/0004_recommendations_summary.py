"""Daily summary of likes and ratings: remember where each user's last one stopped.

PRODUCT.md §4.12: the "recommendations" preference gets one daily summary of first likes
and first ratings (at most one per 24 h) instead of a mail per event. The summary job
(`services/notifications/summaries.py`) covers the notifications created after
`email_preferences.recommendations_summarized_at` and then moves it to the run's time,
whether a mail went out or not (preference off, unverified, deactivated).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 04:05:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "email_preferences",
        sa.Column("recommendations_summarized_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("email_preferences", "recommendations_summarized_at")
