"""Recommendations: categories, the recommendation itself, its cities, tags and photos.

Full-text search: `Recommendation.search_vector` is a stored generated tsvector built
from title (weight A), `search_terms` (B: tags, city names and category name, kept up to
date by the recommendation service) and description + address (C), using the
accent-insensitive `TS_CONFIG`. Query it with
`search_vector @@ websearch_to_tsquery('citypulse_english', :q)`; it has a GIN index.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlmodel import Field

from citypulse.models.base import (
    TS_CONFIG,
    MutableTableBase,
    TableBase,
    bool_field,
    counter_field,
    enum_check,
    enum_field,
    fk_field,
    lat_lng_checks,
    timestamp_field,
    trgm_index,
)
from citypulse.models.enums import ContentStatus, Difficulty, Visibility

MAX_PRICE = 1_000_000
COUNTER_COLUMNS = ("views_count", "likes_count", "saves_count", "shares_count", "ratings_count")
TAG_PATTERN = r"^[a-z0-9 _-]{1,50}$"

SEARCH_VECTOR_SQL = (
    f"setweight(to_tsvector('{TS_CONFIG}'::regconfig, COALESCE(title, '')), 'A') || "
    f"setweight(to_tsvector('{TS_CONFIG}'::regconfig, COALESCE(search_terms, '')), 'B') || "
    f"setweight(to_tsvector('{TS_CONFIG}'::regconfig, "
    "COALESCE(description, '') || ' ' || COALESCE(address, '')), 'C')"
)

# The columns search's filters read, included in the category index (alembic 0014).
SEARCH_FILTER_COLUMNS = ["rating_avg", "ratings_count", "price_min", "price_max", "difficulty"]


class Category(MutableTableBase, table=True):
    """A recommendation category; the 8 seeded ones have `is_system` set."""

    __tablename__ = "categories"
    __table_args__ = (
        sa.CheckConstraint("char_length(btrim(name)) BETWEEN 2 AND 50", name="name_length"),
        sa.Index("uq_categories_name_lower", sa.text("lower(name)"), unique=True),
        sa.Index(
            "ix_categories_created_by_id_created_at",
            "created_by_id",
            "created_at",
            postgresql_where=sa.text("created_by_id IS NOT NULL"),
        ),
    )

    name: str = Field(sa_type=sa.String(50), nullable=False)
    description: str | None = Field(default=None, sa_type=sa.String(500))
    icon: str | None = Field(default=None, sa_type=sa.String(50))
    is_system: bool = bool_field(False)
    created_by_id: int | None = fk_field("users.id", "SET NULL", nullable=True)


class Recommendation(MutableTableBase, table=True):
    """A place recommended by a user. Counters change in the same transaction as their cause."""

    __tablename__ = "recommendations"
    __table_args__ = (
        sa.CheckConstraint("char_length(btrim(title)) BETWEEN 3 AND 200", name="title_length"),
        sa.CheckConstraint(
            "char_length(btrim(description)) BETWEEN 10 AND 2000", name="description_length"
        ),
        sa.CheckConstraint("char_length(btrim(address)) >= 1", name="address_not_blank"),
        sa.CheckConstraint(f"price_min BETWEEN 0 AND {MAX_PRICE}", name="price_min_range"),
        sa.CheckConstraint(f"price_max BETWEEN 0 AND {MAX_PRICE}", name="price_max_range"),
        sa.CheckConstraint("price_max >= price_min", name="price_order"),
        sa.CheckConstraint(
            "best_months <@ ARRAY[1,2,3,4,5,6,7,8,9,10,11,12]::smallint[]",
            name="best_months_valid",
        ),
        sa.CheckConstraint("author_rating BETWEEN 1 AND 5", name="author_rating_range"),
        sa.CheckConstraint("rating_avg BETWEEN 0 AND 5", name="rating_avg_range"),
        *(sa.CheckConstraint(f"{c} >= 0", name=f"{c}_nonnegative") for c in COUNTER_COLUMNS),
        *lat_lng_checks(),
        enum_check("difficulty", Difficulty),
        enum_check("visibility", Visibility),
        enum_check("status", ContentStatus),
        sa.Index("ix_recommendations_created_at_id", "created_at", "id"),
        sa.Index(
            "ix_recommendations_active_created_at_id",
            "created_at",
            "id",
            postgresql_where=sa.text("status = 'active'"),
        ),
        # A person's newest; the Buddies feed filters on the included columns without
        # reading the places' rows (alembic 0016).
        sa.Index(
            "ix_recommendations_author_id_created_at_id",
            "author_id",
            "created_at",
            "id",
            postgresql_include=["status", "visibility", "category_id"],
        ),
        sa.Index("ix_recommendations_category_id_created_at_id", "category_id", "created_at", "id"),
        # Search by filters alone (alembic 0014): the filters checked on the index entries.
        sa.Index(
            "ix_recommendations_active_category_id_created_at_id",
            "category_id",
            "created_at",
            "id",
            postgresql_include=SEARCH_FILTER_COLUMNS,
            postgresql_where=sa.text("status = 'active'"),
        ),
        sa.Index(
            "ix_recommendations_deleted_at",
            "deleted_at",
            postgresql_where=sa.text("deleted_at IS NOT NULL"),
        ),
        sa.Index(
            "ix_recommendations_removed_by_id",
            "removed_by_id",
            postgresql_where=sa.text("removed_by_id IS NOT NULL"),
        ),
        sa.Index("ix_recommendations_search_vector", "search_vector", postgresql_using="gin"),
        trgm_index("ix_recommendations_title_trgm", "title"),
        # "near" (alembic 0007): a bounding box on the index, the exact distance inside it.
        sa.Index(
            "ix_recommendations_active_lat_lng",
            "latitude",
            "longitude",
            postgresql_where=sa.text("status = 'active' AND latitude IS NOT NULL"),
        ),
        # "near" (alembic 0011): the places of a city in the box that have no coordinates.
        sa.Index(
            "ix_recommendations_active_no_location",
            "id",
            postgresql_where=sa.text("status = 'active' AND latitude IS NULL"),
        ),
    )

    author_id: int = fk_field("users.id", "CASCADE")
    title: str = Field(sa_type=sa.String(200), nullable=False)
    description: str = Field(sa_type=sa.String(2000), nullable=False)
    # RESTRICT: a category in use must be merged deliberately, never vanish with its posts.
    category_id: int = fk_field("categories.id", "RESTRICT")
    price_min: Decimal | None = Field(default=None, sa_type=sa.Numeric(10, 2))
    price_max: Decimal | None = Field(default=None, sa_type=sa.Numeric(10, 2))
    difficulty: Difficulty | None = enum_field(Difficulty, nullable=True)
    address: str = Field(sa_type=sa.String(500), nullable=False)
    latitude: float | None = Field(default=None, sa_type=sa.Double)
    longitude: float | None = Field(default=None, sa_type=sa.Double)
    best_months: list[int] = Field(
        default_factory=list,
        sa_type=ARRAY(sa.SmallInteger),
        nullable=False,
        sa_column_kwargs={"server_default": "{}"},
    )
    best_time_text: str | None = Field(default=None, sa_type=sa.String(100))
    duration_suggestion: str | None = Field(default=None, sa_type=sa.String(100))
    author_rating: int = Field(sa_type=sa.SmallInteger, nullable=False)
    visibility: Visibility = enum_field(Visibility, Visibility.public)
    status: ContentStatus = enum_field(ContentStatus, ContentStatus.active)
    removed_reason: str | None = Field(default=None, sa_type=sa.String(1000))
    removed_by_id: int | None = fk_field("users.id", "SET NULL", nullable=True)
    removed_at: datetime | None = timestamp_field()
    deleted_at: datetime | None = timestamp_field()
    views_count: int = counter_field()
    likes_count: int = counter_field()
    saves_count: int = counter_field()
    shares_count: int = counter_field()
    ratings_count: int = counter_field()
    rating_avg: Decimal = Field(
        default=Decimal("0"),
        sa_type=sa.Numeric(3, 2),
        nullable=False,
        sa_column_kwargs={"server_default": sa.text("0")},
    )
    # Denormalised words for weight B of search_vector: tag names, city names, category.
    search_terms: str = Field(
        default="", sa_type=sa.Text, nullable=False, sa_column_kwargs={"server_default": ""}
    )
    search_vector: str | None = Field(
        default=None,
        sa_column=sa.Column(
            "search_vector", TSVECTOR, sa.Computed(SEARCH_VECTOR_SQL, persisted=True)
        ),
    )


class RecommendationCity(MutableTableBase, table=True):
    """Links a recommendation to 1–3 cities; exactly one is primary."""

    __tablename__ = "recommendation_cities"
    __table_args__ = (
        sa.UniqueConstraint("recommendation_id", "city_id"),
        sa.Index(
            "uq_recommendation_cities_primary",
            "recommendation_id",
            unique=True,
            postgresql_where=sa.text("is_primary"),
        ),
        sa.Index(
            "ix_recommendation_cities_city_id_recommendation_id", "city_id", "recommendation_id"
        ),
        # "Near" (alembic 0014): a city's places it is the primary city of, index-only.
        sa.Index(
            "ix_recommendation_cities_primary_city_id",
            "city_id",
            "recommendation_id",
            postgresql_where=sa.text("is_primary"),
        ),
    )

    recommendation_id: int = fk_field("recommendations.id", "CASCADE")
    city_id: int = fk_field("cities.id", "RESTRICT")
    is_primary: bool = bool_field(False)


class Tag(TableBase, table=True):
    """A tag, stored lowercase without '#'."""

    __tablename__ = "tags"
    __table_args__ = (
        sa.CheckConstraint(f"name ~ '{TAG_PATTERN}'", name="name_format"),
        sa.CheckConstraint("name = btrim(name)", name="name_trimmed"),
        sa.Index("uq_tags_name_lower", sa.text("lower(name)"), unique=True),
        trgm_index("ix_tags_name_trgm", "name"),
    )

    name: str = Field(sa_type=sa.String(50), nullable=False)


class RecommendationTag(TableBase, table=True):
    """0–10 tags per recommendation (limit enforced by the service)."""

    __tablename__ = "recommendation_tags"
    __table_args__ = (
        sa.UniqueConstraint("recommendation_id", "tag_id"),
        sa.Index("ix_recommendation_tags_tag_id_recommendation_id", "tag_id", "recommendation_id"),
    )

    recommendation_id: int = fk_field("recommendations.id", "CASCADE")
    tag_id: int = fk_field("tags.id", "CASCADE")


class Photo(MutableTableBase, table=True):
    """Up to 5 photos per recommendation, positions 0–4, exactly one primary.

    The (recommendation, position) constraint is DEFERRABLE INITIALLY DEFERRED so a
    reorder can permute positions within one transaction.
    """

    __tablename__ = "photos"
    __table_args__ = (
        sa.UniqueConstraint("recommendation_id", "position", deferrable=True, initially="DEFERRED"),
        sa.Index(
            "uq_photos_primary",
            "recommendation_id",
            unique=True,
            postgresql_where=sa.text("is_primary"),
        ),
        sa.CheckConstraint("position BETWEEN 0 AND 4", name="position_range"),
        sa.CheckConstraint("width > 0 AND height > 0", name="dimensions_positive"),
        sa.CheckConstraint("file_size > 0", name="file_size_positive"),
    )

    recommendation_id: int = fk_field("recommendations.id", "CASCADE")
    image_key: str = Field(sa_type=sa.String(255), nullable=False)
    thumb_key: str = Field(sa_type=sa.String(255), nullable=False)
    width: int = Field(nullable=False)
    height: int = Field(nullable=False)
    file_size: int = Field(nullable=False)
    caption: str | None = Field(default=None, sa_type=sa.String(200))
    position: int = Field(sa_type=sa.SmallInteger, nullable=False)
    is_primary: bool = bool_field(False)
