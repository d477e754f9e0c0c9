"""Alembic environment for CityPulse (hand-written).

The target metadata is `citypulse.models.metadata`. The database is, in order:
1. a connection passed by the caller in `config.attributes["connection"]` (tests);
2. `-x url=postgresql://...` on the command line, or `config.attributes["url"]`;
3. `citypulse.db.database_url()`: DATABASE_URL, or the embedded PostgreSQL when unset.
"""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from citypulse.db import to_psycopg_url
from citypulse.models import metadata

config = context.config

# Tests running alembic in-process pass configure_logger=False to keep pytest's logging.
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

# Schemas owned by PostgreSQL or extensions, never by our models.
IGNORED_SCHEMAS = frozenset({"information_schema", "pg_catalog", "pg_toast"})


def database_url() -> str:
    """The URL to migrate, without starting the embedded server when one is given."""
    url = (
        context.get_x_argument(as_dictionary=True).get("url")
        or config.attributes.get("url")
        or config.get_main_option("sqlalchemy.url")
    )
    if url:
        return to_psycopg_url(url)
    from citypulse.db import database_url as configured_url

    return configured_url()


def include_name(name: str | None, type_: str, _parent_names: dict[str, Any]) -> bool:
    """Compare only the default schema (extensions such as pg_trgm add no tables there)."""
    if type_ == "schema":
        return name is None or name not in IGNORED_SCHEMAS
    return True


CONFIGURE_OPTIONS: dict[str, Any] = {
    "target_metadata": metadata,
    "compare_type": True,
    "compare_server_default": True,
    "include_name": include_name,
}


def run_migrations_offline() -> None:
    """Emit SQL to stdout (`alembic upgrade head --sql`)."""
    context.configure(
        url=database_url(),
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **CONFIGURE_OPTIONS,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_with_connection(connection: Connection) -> None:
    context.configure(connection=connection, **CONFIGURE_OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate through the caller's connection, or a short-lived engine of our own."""
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with_connection(connection)
        return
    engine = create_engine(database_url(), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            run_with_connection(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
