"""Places: cities (shared reference data) and the cities a user has visited."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field

from citypulse.models.base import (
    MutableTableBase,
    enum_check,
    enum_field,
    fk_field,
    lat_lng_checks,
    trgm_index,
)
from citypulse.models.enums import CityVisitSource

# The identity of a city, ignoring case and surrounding whitespace. Services matching a
# typed "City, State, Country" must compare with these same expressions.
CITY_IDENTITY_SQL = (
    "lower(btrim(name))",
    "lower(COALESCE(btrim(state_province), ''))",
    "lower(btrim(country))",
)


class City(MutableTableBase, table=True):
    """A city. Coordinates are NULL when unknown, never the 0/0 placeholder."""

    __tablename__ = "cities"
    __table_args__ = (
        sa.CheckConstraint("btrim(name) <> ''", name="name_not_blank"),
        sa.CheckConstraint("btrim(country) <> ''", name="country_not_blank"),
        sa.CheckConstraint("NOT (latitude = 0 AND longitude = 0)", name="not_null_island"),
        *lat_lng_checks(),
        sa.Index("uq_cities_identity", *(sa.text(expr) for expr in CITY_IDENTITY_SQL), unique=True),
        trgm_index("ix_cities_name_trgm", "name"),
    )

    name: str = Field(sa_type=sa.String(100), nullable=False)
    state_province: str | None = Field(default=None, sa_type=sa.String(100))
    country: str = Field(sa_type=sa.String(100), nullable=False)
    latitude: float | None = Field(default=None, sa_type=sa.Double)
    longitude: float | None = Field(default=None, sa_type=sa.Double)
    timezone: str | None = Field(default=None, sa_type=sa.String(64))  # IANA name
    cover_key: str | None = Field(default=None, sa_type=sa.String(255))
    description: str | None = Field(default=None, sa_type=sa.String(2000))


class CityVisit(MutableTableBase, table=True):
    """A city on a user's "cities visited" list (one row per user and city)."""

    __tablename__ = "city_visits"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "city_id"),
        sa.CheckConstraint(r"visit_month ~ '^\d{4}-(0[1-9]|1[0-2])$'", name="visit_month_format"),
        enum_check("source", CityVisitSource),
        sa.Index("ix_city_visits_city_id", "city_id"),
    )

    user_id: int = fk_field("users.id", "CASCADE")
    # Cities are shared: deleting one still in use must be a deliberate merge.
    city_id: int = fk_field("cities.id", "RESTRICT")
    visit_month: str | None = Field(default=None, sa_type=sa.String(7))  # YYYY-MM
    source: CityVisitSource = enum_field(CityVisitSource, CityVisitSource.manual)
