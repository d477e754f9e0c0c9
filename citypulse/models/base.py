"""Shared building blocks for every table: naming convention, mixins and field helpers.

Importing this module installs the constraint naming convention on `SQLModel.metadata`,
so it must be imported before any table class is defined (every model module does).

Conventions used by all models:
- Foreign-key attributes end in `_id` (`author_id`, `replaced_by_id`).
- Enumerations are VARCHAR(32) plus a CHECK built by `enum_check`; never native PG enums.
- Timestamps are `timestamptz` and default to `now()` on the server.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Stable, readable constraint names; alembic diffs and migrations rely on them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION

# PostgreSQL extensions the schema needs (created by the initial migration).
EXTENSIONS = ("pg_trgm", "unaccent")

# Text-search configuration: English stemming on unaccented words, so search is
# accent-insensitive while `to_tsvector(TS_CONFIG, ...)` stays IMMUTABLE (usable in a
# generated column). Queries must use the same config: websearch_to_tsquery(TS_CONFIG, q).
TS_CONFIG = "citypulse_english"
TS_CONFIG_DDL = (
    f"CREATE TEXT SEARCH CONFIGURATION {TS_CONFIG} (COPY = pg_catalog.english)",
    f"ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG} "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
)

ENUM_LENGTH = 32
TZDateTime = sa.DateTime(timezone=True)


def enum_values(enum_cls: type[enum.Enum]) -> list[str]:
    """The stored values of an enumeration, in declaration order."""
    return [member.value for member in enum_cls]


def sql_list(values: Iterable[object]) -> str:
    """Render literals for an `IN (...)` or `ARRAY[...]` clause (trusted constants only)."""
    return ", ".join(f"'{v}'" if isinstance(v, str) else str(v) for v in values)


def enum_check(
    column: str, enum_cls: type[enum.Enum], name: str | None = None
) -> sa.CheckConstraint:
    """CHECK that `column` holds one of `enum_cls`'s values (NULL passes; use NOT NULL)."""
    return sa.CheckConstraint(
        f"{column} IN ({sql_list(enum_values(enum_cls))})", name=name or f"{column}_valid"
    )


def enum_field(
    enum_cls: type[enum.Enum],
    default: enum.Enum | None = None,
    *,
    nullable: bool = False,
    index: bool = False,
) -> Any:
    """A VARCHAR enum column; `default` also becomes the server default."""
    kwargs: dict[str, Any] = {}
    if default is not None:
        kwargs["server_default"] = default.value
    return Field(
        default=default,
        sa_type=sa.String(ENUM_LENGTH),
        nullable=nullable,
        index=index,
        sa_column_kwargs=kwargs,
    )


def timestamp_field(*, nullable: bool = True, server_now: bool = False) -> Any:
    """A `timestamptz` column; `server_now` makes the database fill it with now()."""
    kwargs: dict[str, Any] = {"server_default": sa.func.now()} if server_now else {}
    return Field(default=None, sa_type=TZDateTime, nullable=nullable, sa_column_kwargs=kwargs)


def bool_field(default: bool) -> Any:
    """A NOT NULL boolean with the same Python and server default."""
    return Field(
        default=default,
        nullable=False,
        sa_column_kwargs={"server_default": sa.true() if default else sa.false()},
    )


def counter_field(default: int = 0, sa_type: Any = sa.Integer) -> Any:
    """A NOT NULL integer with a server default (pair it with a `>= 0` CHECK)."""
    return Field(
        default=default,
        sa_type=sa_type,
        nullable=False,
        sa_column_kwargs={"server_default": sa.text(str(default))},
    )


def fk_field(target: str, ondelete: str, *, nullable: bool = False, index: bool = False) -> Any:
    """A foreign key to `target` ("table.column") with a deliberate ON DELETE rule."""
    return Field(
        default=None,
        foreign_key=target,
        ondelete=ondelete,
        nullable=nullable,
        index=index,
    )


def trgm_index(name: str, column: str) -> sa.Index:
    """A GIN trigram index for fuzzy/ILIKE matching on `column` (needs pg_trgm)."""
    return sa.Index(name, column, postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"})


def lat_lng_checks(prefix: str = "") -> tuple[sa.CheckConstraint, ...]:
    """Latitude/longitude are both set or both NULL, and within range."""
    lat, lng = f"{prefix}latitude", f"{prefix}longitude"
    return (
        sa.CheckConstraint(f"({lat} IS NULL) = ({lng} IS NULL)", name=f"{prefix}lat_lng_pair"),
        sa.CheckConstraint(f"{lat} BETWEEN -90 AND 90", name=f"{prefix}latitude_range"),
        sa.CheckConstraint(f"{lng} BETWEEN -180 AND 180", name=f"{prefix}longitude_range"),
    )


class TableBase(SQLModel):
    """Every table: an integer `id` and a server-set `created_at`."""

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime | None = timestamp_field(nullable=False, server_now=True)


class MutableTableBase(TableBase):
    """Tables whose rows are edited after insert: adds `updated_at`.

    `onupdate` only fires for ORM/Core UPDATEs issued through SQLAlchemy on this table;
    raw SQL updates must set `updated_at = now()` themselves.
    """

    updated_at: datetime | None = Field(
        default=None,
        sa_type=TZDateTime,
        nullable=False,
        sa_column_kwargs={"server_default": sa.func.now(), "onupdate": sa.func.now()},
    )


@sa.event.listens_for(SQLModel.metadata, "before_create")
def _create_prerequisites(_target: sa.MetaData, connection: sa.Connection, **_kw: Any) -> None:
    """Make `metadata.create_all()` (used by some tests) work on an empty database.

    Alembic migrations create the same objects explicitly and do not fire this event.
    """
    if connection.dialect.name != "postgresql":
        return
    for extension in EXTENSIONS:
        connection.execute(sa.text(f"CREATE EXTENSION IF NOT EXISTS {extension}"))
    exists = connection.execute(
        sa.text("SELECT 1 FROM pg_ts_config WHERE cfgname = :name"), {"name": TS_CONFIG}
    ).first()
    if not exists:
        for statement in TS_CONFIG_DDL:
            connection.execute(sa.text(statement))
