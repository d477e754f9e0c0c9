"""Profiles: the public face of a user, travel preferences and interests."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field

from citypulse.models.base import (
    ENUM_LENGTH,
    MutableTableBase,
    TableBase,
    bool_field,
    enum_check,
    enum_field,
    enum_values,
    fk_field,
    lat_lng_checks,
    sql_list,
)
from citypulse.models.enums import ActivityLevel, Difficulty, TravelStyle, Visibility

LINK_COLUMNS = ("instagram_url", "facebook_url", "twitter_url", "linkedin_url", "website_url")
MAX_TRAVEL_STYLES = 5


def _link_field() -> str | None:
    return Field(default=None, sa_type=sa.String(255))


class Profile(MutableTableBase, table=True):
    """One row per user: photos, links, location and privacy switches.

    Link hosts (instagram.com, ...) are checked by the service; the database only
    guarantees an http(s) URL.
    """

    __tablename__ = "profiles"
    __table_args__ = (
        *(sa.CheckConstraint(f"{col} ~* '^https?://'", name=f"{col}_http") for col in LINK_COLUMNS),
        *lat_lng_checks(),
        enum_check("profile_visibility", Visibility),
        enum_check("default_rec_visibility", Visibility),
        enum_check("default_trip_visibility", Visibility),
        sa.Index(
            "ix_profiles_current_city_id",
            "current_city_id",
            postgresql_where=sa.text("current_city_id IS NOT NULL"),
        ),
    )

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", unique=True)
    avatar_key: str | None = Field(default=None, sa_type=sa.String(255))
    cover_key: str | None = Field(default=None, sa_type=sa.String(255))
    instagram_url: str | None = _link_field()
    facebook_url: str | None = _link_field()
    twitter_url: str | None = _link_field()
    linkedin_url: str | None = _link_field()
    website_url: str | None = _link_field()
    whatsapp: str | None = Field(default=None, sa_type=sa.String(50))
    current_city_id: int | None = fk_field("cities.id", "SET NULL", nullable=True)
    latitude: float | None = Field(default=None, sa_type=sa.Double)
    longitude: float | None = Field(default=None, sa_type=sa.Double)
    profile_visibility: Visibility = enum_field(Visibility, Visibility.public)
    location_sharing: bool = bool_field(True)
    social_links_visible: bool = bool_field(True)
    buddy_requests_enabled: bool = bool_field(True)
    default_rec_visibility: Visibility = enum_field(Visibility, Visibility.public)
    default_trip_visibility: Visibility = enum_field(Visibility, Visibility.friends_only)


class TravelPreferences(MutableTableBase, table=True):
    """One row per user. `travel_styles` is a set: reassign the list to change it."""

    __tablename__ = "travel_preferences"
    __table_args__ = (
        sa.CheckConstraint(
            f"travel_styles <@ ARRAY[{sql_list(enum_values(TravelStyle))}]::varchar[]",
            name="travel_styles_valid",
        ),
        sa.CheckConstraint(
            f"cardinality(travel_styles) <= {MAX_TRAVEL_STYLES}", name="travel_styles_max"
        ),
        enum_check("activity_level", ActivityLevel),
        enum_check("preferred_difficulty", Difficulty),
        sa.Index("ix_travel_preferences_travel_styles", "travel_styles", postgresql_using="gin"),
        # Buddy finder activity-level filter (0003).
        sa.Index("ix_travel_preferences_activity_level_user_id", "activity_level", "user_id"),
    )

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", unique=True)
    travel_styles: list[str] = Field(
        default_factory=list,
        sa_type=ARRAY(sa.String(ENUM_LENGTH)),
        nullable=False,
        sa_column_kwargs={"server_default": "{}"},
    )
    activity_level: ActivityLevel = enum_field(ActivityLevel, ActivityLevel.moderate)
    preferred_difficulty: Difficulty = enum_field(Difficulty, Difficulty.moderate)


class UserInterest(TableBase, table=True):
    """A category the user likes (0–8 per user, enforced by the service)."""

    __tablename__ = "user_interests"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "category_id"),
        sa.Index("ix_user_interests_category_id", "category_id"),
    )

    user_id: int = fk_field("users.id", "CASCADE")
    category_id: int = fk_field("categories.id", "CASCADE")
