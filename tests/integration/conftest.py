"""Integration tier: one migrated database per session, one rolled-back transaction per test.

A test that commits for real (racing transactions in threads, several connections) is
marked `own_database`: its `engine` is then a fresh copy of the migrated template,
dropped after the test, so nothing it commits can reach the tests sharing the session's
database (counting rows there, e.g. the seed's categories) whatever the order or outcome.
Code that opens its own connections through `citypulse.db.get_engine()` still uses the
session's database; such tests clean up after themselves instead (tests/integration/jobs).
"""

import os
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import Engine, create_engine
from sqlmodel import Session

from citypulse.db import to_libpq_url
from tests.support.database import (
    drop_database,
    migrate,
    recreate_database,
    server_url,
    url_for_database,
    use_database,
)

# Per-process name: several test runs on one server must not drop each other's database.
DATABASE_NAME = f"citypulse_integration_{os.getpid()}"
# Migrated once and never connected to afterwards, so PostgreSQL can copy it.
TEMPLATE_NAME = f"{DATABASE_NAME}_template"
OWN_NAME = f"{DATABASE_NAME}_own"
IDLE_TIMEOUT = "-c idle_in_transaction_session_timeout=60s"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "own_database: the test's `engine` is a fresh database of its own"
    )


def copy_template(name: str) -> str:
    """Database `name` as a copy of the migrated template; its psycopg URL."""
    with psycopg.connect(to_libpq_url(server_url()), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE_NAME}"')
    return url_for_database(name)


@pytest.fixture(scope="session")
def shared_engine() -> Iterator[Engine]:
    """The session's database, a copy of the freshly migrated template (both dropped)."""
    use_database(url_for_database(DATABASE_NAME))
    migrate(recreate_database(TEMPLATE_NAME))
    engine = create_engine(copy_template(DATABASE_NAME))
    yield engine
    engine.dispose()
    from citypulse.db import get_engine

    get_engine().dispose()
    drop_database(DATABASE_NAME)
    drop_database(TEMPLATE_NAME)


@pytest.fixture
def engine(request: pytest.FixtureRequest, shared_engine: Engine) -> Iterator[Engine]:
    """The session's database, or for an `own_database` test a fresh one of its own."""
    if request.node.get_closest_marker("own_database") is None:
        yield shared_engine
        return
    # A racing test that fails while one of its transactions is open would otherwise wait
    # forever in its cleanup (the row locks stay held): the server ends such a session.
    own = create_engine(copy_template(OWN_NAME), connect_args={"options": IDLE_TIMEOUT})
    try:
        yield own
    finally:
        own.dispose()
        drop_database(OWN_NAME)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose commits become savepoints of a transaction rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        with Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        ) as db:
            yield db
        transaction.rollback()
