"""Integration tier: one migrated database per session, one rolled-back transaction per test."""

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine
from sqlmodel import Session

from tests.support.database import drop_database, migrate, recreate_database, use_database

# Per-process name: several test runs on one server must not drop each other's database.
DATABASE_NAME = f"citypulse_integration_{os.getpid()}"


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    """A freshly created and migrated test database (dropped at the end)."""
    url = recreate_database(DATABASE_NAME)
    use_database(url)
    migrate(url)
    engine = create_engine(url)
    yield engine
    engine.dispose()
    from citypulse.db import get_engine

    get_engine().dispose()
    drop_database(DATABASE_NAME)


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
