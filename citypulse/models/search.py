"""Search: per-user search history and saved searches.

`filters` is a JSON object whose keys are limited (by a CHECK) to `FILTER_KEYS`: the
filters of PRODUCT.md §4.10 plus `kind` (the result tab), `sort` and `has_photos`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from citypulse.models.base import (
    MutableTableBase,
    bool_field,
    counter_field,
    fk_field,
    sql_list,
    timestamp_field,
)

FILTER_KEYS = (
    "cities",
    "near",
    "categories",
    "tags",
    "difficulty",
    "price",
    "min_rating",
    "created_from",
    "created_to",
    "best_months",
    "location",
    "kind",
    "sort",
    "has_photos",  # alembic 0007
)
MAX_HISTORY_PER_USER = 100
MAX_SAVED_SEARCHES_PER_USER = 50


def _filters_checks() -> tuple[sa.CheckConstraint, ...]:
    return (
        sa.CheckConstraint("jsonb_typeof(filters) = 'object'", name="filters_object"),
        sa.CheckConstraint(
            f"(filters - ARRAY[{sql_list(FILTER_KEYS)}]::text[]) = '{{}}'::jsonb",
            name="filters_keys",
        ),
    )


def _filters_field() -> Any:
    return Field(
        default_factory=dict,
        sa_type=JSONB,
        nullable=False,
        sa_column_kwargs={"server_default": sa.text("'{}'::jsonb")},
    )


def _query_field() -> Any:
    return Field(
        default="", sa_type=sa.String(255), nullable=False, sa_column_kwargs={"server_default": ""}
    )


class SearchHistory(MutableTableBase, table=True):
    """One executed search; repeating it within 10 min updates the row (newest 100 kept)."""

    __tablename__ = "search_history"
    __table_args__ = (
        *_filters_checks(),
        sa.CheckConstraint("result_count >= 0", name="result_count_nonnegative"),
        sa.Index("ix_search_history_user_id_searched_at", "user_id", "searched_at", "id"),
        sa.Index(
            "ix_search_history_clicked_recommendation_id",
            "clicked_recommendation_id",
            postgresql_where=sa.text("clicked_recommendation_id IS NOT NULL"),
        ),
    )

    user_id: int = fk_field("users.id", "CASCADE")
    query: str = _query_field()
    filters: dict[str, Any] = _filters_field()
    result_count: int = counter_field()
    searched_at: datetime | None = timestamp_field(nullable=False, server_now=True)
    clicked_recommendation_id: int | None = fk_field(
        "recommendations.id", "SET NULL", nullable=True
    )


class SavedSearch(MutableTableBase, table=True):
    """A named search (name unique per user ignoring case; at most 50 per user)."""

    __tablename__ = "saved_searches"
    __table_args__ = (
        *_filters_checks(),
        sa.CheckConstraint("char_length(btrim(name)) BETWEEN 1 AND 100", name="name_length"),
        sa.Index(
            "uq_saved_searches_user_id_name_lower", "user_id", sa.text("lower(name)"), unique=True
        ),
        sa.Index("ix_saved_searches_user_id_created_at_id", "user_id", "created_at", "id"),
    )

    user_id: int = fk_field("users.id", "CASCADE")
    name: str = Field(sa_type=sa.String(100), nullable=False)
    query: str = _query_field()
    filters: dict[str, Any] = _filters_field()
    is_active: bool = bool_field(True)
