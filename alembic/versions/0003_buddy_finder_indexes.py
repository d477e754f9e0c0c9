"""Buddy finder indexes (PRODUCT.md §4.5.7–§4.5.8).

- `users.bio` gets a trigram index: the finder's text filter matches bio (public
  profiles only) with ILIKE, next to the existing username/full_name trigram indexes.
- `travel_preferences (activity_level, user_id)`: the activity-level filter.
- `auth_sessions (user_id, last_used_at)`: "active in the last 24 h" is the newest
  session activity of a buddy (`last_used_at` is touched at most once a minute), read
  as one backward index probe per buddy.

City (visited or current), interests and travel style are served by indexes of 0001
(`ix_city_visits_city_id`, `ix_profiles_current_city_id`, `ix_user_interests_category_id`,
`ix_travel_preferences_travel_styles`).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 03:45:00+00:00
"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_users_bio_trgm",
        "users",
        ["bio"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"bio": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_travel_preferences_activity_level_user_id",
        "travel_preferences",
        ["activity_level", "user_id"],
        unique=False,
    )
    op.create_index(
        "ix_auth_sessions_user_id_last_used_at",
        "auth_sessions",
        ["user_id", "last_used_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_auth_sessions_user_id_last_used_at", table_name="auth_sessions")
    op.drop_index("ix_travel_preferences_activity_level_user_id", table_name="travel_preferences")
    op.drop_index("ix_users_bio_trgm", table_name="users")
