"""Trips: the trip, its cities, companions, itinerary, places and comments.

Rows added by a member (`added_by_id`, `invited_by_id`, ...) survive that member's purge
with the reference set to NULL; deleting the trip cascades to everything in it.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field

from citypulse.models.base import (
    MutableTableBase,
    bool_field,
    enum_check,
    enum_field,
    fk_field,
    lat_lng_checks,
    timestamp_field,
)
from citypulse.models.enums import (
    ActivityType,
    CompanionRole,
    CompanionStatus,
    ContentStatus,
    ItineraryStatus,
    ModerationStatus,
    PlaceStatus,
    TripStatus,
    Visibility,
)

MAX_TRIP_DAYS = 365
MAX_BUDGET = 10_000_000


class Trip(MutableTableBase, table=True):
    """A trip plan. Dates are both set or both NULL and span at most 365 days."""

    __tablename__ = "trips"
    __table_args__ = (
        sa.CheckConstraint("char_length(btrim(title)) BETWEEN 3 AND 200", name="title_length"),
        sa.CheckConstraint("(start_date IS NULL) = (end_date IS NULL)", name="dates_pair"),
        sa.CheckConstraint("end_date >= start_date", name="dates_order"),
        # day_number = date - start_date + 1 must stay within 1..365.
        sa.CheckConstraint(f"end_date - start_date < {MAX_TRIP_DAYS}", name="dates_span"),
        sa.CheckConstraint(f"total_budget BETWEEN 0 AND {MAX_BUDGET}", name="budget_range"),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_format"),
        enum_check("status", TripStatus),
        enum_check("visibility", Visibility),
        enum_check("moderation_status", ModerationStatus),
        sa.Index("ix_trips_created_at_id", "created_at", "id"),
        sa.Index("ix_trips_owner_id_created_at_id", "owner_id", "created_at", "id"),
        sa.Index("ix_trips_status_start_date", "status", "start_date"),
        sa.Index("ix_trips_updated_at", "updated_at"),
    )

    owner_id: int = fk_field("users.id", "CASCADE")
    title: str = Field(sa_type=sa.String(200), nullable=False)
    description: str | None = Field(default=None, sa_type=sa.String(2000))
    start_date: date | None = Field(default=None)
    end_date: date | None = Field(default=None)
    status: TripStatus = enum_field(TripStatus, TripStatus.planning)
    visibility: Visibility = enum_field(Visibility, Visibility.friends_only)
    cover_key: str | None = Field(default=None, sa_type=sa.String(255))
    is_collaborative: bool = bool_field(False)
    total_budget: Decimal | None = Field(default=None, sa_type=sa.Numeric(12, 2))
    currency: str = Field(
        default="USD",
        sa_type=sa.String(3),
        nullable=False,
        sa_column_kwargs={"server_default": "USD"},
    )
    moderation_status: ModerationStatus = enum_field(ModerationStatus, ModerationStatus.active)
    removed_reason: str | None = Field(default=None, sa_type=sa.String(1000))
    share_token_hash: str | None = Field(default=None, sa_type=sa.String(64), unique=True)


class TripCity(MutableTableBase, table=True):
    """A stop of a trip. Positions are 1..n; the unique (trip, position) is deferred so a
    reorder can permute them in one transaction."""

    __tablename__ = "trip_cities"
    __table_args__ = (
        sa.UniqueConstraint("trip_id", "city_id"),
        sa.UniqueConstraint("trip_id", "position", deferrable=True, initially="DEFERRED"),
        sa.CheckConstraint("position >= 1", name="position_positive"),
        sa.CheckConstraint("departure_date >= arrival_date", name="dates_order"),
        sa.Index("ix_trip_cities_city_id", "city_id"),
    )

    trip_id: int = fk_field("trips.id", "CASCADE")
    city_id: int = fk_field("cities.id", "RESTRICT")
    position: int = Field(sa_type=sa.SmallInteger, nullable=False)
    arrival_date: date | None = Field(default=None)
    departure_date: date | None = Field(default=None)
    notes: str | None = Field(default=None, sa_type=sa.String(500))
    added_by_id: int | None = fk_field("users.id", "SET NULL", nullable=True)


class TripCompanion(MutableTableBase, table=True):
    """Membership of a user in a trip; the owner has a row (owner, accepted)."""

    __tablename__ = "trip_companions"
    __table_args__ = (
        sa.UniqueConstraint("trip_id", "user_id"),
        enum_check("role", CompanionRole),
        enum_check("status", CompanionStatus),
        sa.CheckConstraint("role <> 'owner' OR status = 'accepted'", name="owner_accepted"),
        sa.Index(
            "uq_trip_companions_owner",
            "trip_id",
            unique=True,
            postgresql_where=sa.text("role = 'owner'"),
        ),
        sa.Index("ix_trip_companions_user_id_status", "user_id", "status"),
        sa.Index(
            "ix_trip_companions_invited_by_id",
            "invited_by_id",
            postgresql_where=sa.text("invited_by_id IS NOT NULL"),
        ),
    )

    trip_id: int = fk_field("trips.id", "CASCADE")
    user_id: int = fk_field("users.id", "CASCADE")
    role: CompanionRole = enum_field(CompanionRole, CompanionRole.participant)
    status: CompanionStatus = enum_field(CompanionStatus, CompanionStatus.invited)
    invited_by_id: int | None = fk_field("users.id", "SET NULL", nullable=True)
    message: str | None = Field(default=None, sa_type=sa.String(300))
    responded_at: datetime | None = timestamp_field()
    # SHA-256 of the member's private calendar feed token (NULL: no feed).
    calendar_token_hash: str | None = Field(default=None, sa_type=sa.String(64), unique=True)


class ItineraryItem(MutableTableBase, table=True):
    """An activity on a trip day; ordered by day_number, start_time (nulls last), position."""

    __tablename__ = "itinerary_items"
    __table_args__ = (
        sa.CheckConstraint(f"day_number BETWEEN 1 AND {MAX_TRIP_DAYS}", name="day_number_range"),
        sa.CheckConstraint("duration_minutes BETWEEN 1 AND 1440", name="duration_range"),
        sa.CheckConstraint("char_length(btrim(title)) BETWEEN 1 AND 200", name="title_length"),
        sa.CheckConstraint("estimated_cost >= 0", name="estimated_cost_nonnegative"),
        sa.CheckConstraint("position >= 0", name="position_nonnegative"),
        *lat_lng_checks(),
        enum_check("activity_type", ActivityType),
        enum_check("status", ItineraryStatus),
        sa.Index(
            "ix_itinerary_items_trip_id_day_number",
            "trip_id",
            "day_number",
            "start_time",
            "position",
        ),
        sa.Index("ix_itinerary_items_trip_city_id", "trip_city_id"),
    )

    trip_id: int = fk_field("trips.id", "CASCADE")
    # Deleting a trip city unlinks its items rather than deleting them.
    trip_city_id: int | None = fk_field("trip_cities.id", "SET NULL", nullable=True)
    day_number: int = Field(sa_type=sa.SmallInteger, nullable=False)
    activity_date: date | None = Field(default=None)
    start_time: time | None = Field(default=None)
    duration_minutes: int | None = Field(default=None, sa_type=sa.SmallInteger)
    title: str = Field(sa_type=sa.String(200), nullable=False)
    description: str | None = Field(default=None, sa_type=sa.String(2000))
    activity_type: ActivityType = enum_field(ActivityType, ActivityType.other)
    estimated_cost: Decimal | None = Field(default=None, sa_type=sa.Numeric(12, 2))
    location_name: str | None = Field(default=None, sa_type=sa.String(255))
    latitude: float | None = Field(default=None, sa_type=sa.Double)
    longitude: float | None = Field(default=None, sa_type=sa.Double)
    status: ItineraryStatus = enum_field(ItineraryStatus, ItineraryStatus.planned)
    notes: str | None = Field(default=None, sa_type=sa.String(1000))
    position: int = Field(default=0, nullable=False, sa_column_kwargs={"server_default": "0"})
    added_by_id: int | None = fk_field("users.id", "SET NULL", nullable=True)
    updated_by_id: int | None = fk_field("users.id", "SET NULL", nullable=True)


class TripRecommendation(MutableTableBase, table=True):
    """A "Place" on a trip: a recommendation, optionally tied to an itinerary item."""

    __tablename__ = "trip_recommendations"
    __table_args__ = (
        sa.UniqueConstraint("trip_id", "recommendation_id"),
        enum_check("status", PlaceStatus),
        sa.Index("ix_trip_recommendations_recommendation_id", "recommendation_id"),
        sa.Index(
            "ix_trip_recommendations_itinerary_item_id",
            "itinerary_item_id",
            postgresql_where=sa.text("itinerary_item_id IS NOT NULL"),
        ),
    )

    trip_id: int = fk_field("trips.id", "CASCADE")
    recommendation_id: int = fk_field("recommendations.id", "CASCADE")
    itinerary_item_id: int | None = fk_field("itinerary_items.id", "SET NULL", nullable=True)
    status: PlaceStatus = enum_field(PlaceStatus, PlaceStatus.wishlist)
    notes: str | None = Field(default=None, sa_type=sa.String(500))
    added_by_id: int | None = fk_field("users.id", "SET NULL", nullable=True)


class TripComment(MutableTableBase, table=True):
    """A comment on a trip; `status` removed = by a moderator, deleted = by its author."""

    __tablename__ = "trip_comments"
    __table_args__ = (
        sa.CheckConstraint("char_length(btrim(body)) BETWEEN 1 AND 1000", name="body_length"),
        enum_check("status", ContentStatus),
        sa.Index("ix_trip_comments_trip_id_created_at_id", "trip_id", "created_at", "id"),
        sa.Index("ix_trip_comments_author_id", "author_id"),
    )

    trip_id: int = fk_field("trips.id", "CASCADE")
    author_id: int = fk_field("users.id", "CASCADE")
    body: str = Field(sa_type=sa.String(1000), nullable=False)
    status: ContentStatus = enum_field(ContentStatus, ContentStatus.active)
    edited_at: datetime | None = timestamp_field()
