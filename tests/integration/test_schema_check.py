"""The start-up guard accepts a migrated database and refuses an unmigrated one."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine

from citypulse.schema_check import SchemaOutdatedError, assert_schema_current
from tests.support.database import drop_database, recreate_database

EMPTY_DATABASE = "citypulse_unmigrated"


@pytest.fixture
def empty_engine() -> Iterator[Engine]:
    engine = create_engine(recreate_database(EMPTY_DATABASE))
    yield engine
    engine.dispose()
    drop_database(EMPTY_DATABASE)


def test_migrated_database_passes(engine: Engine) -> None:
    assert_schema_current(engine)


def test_unmigrated_database_is_refused(empty_engine: Engine) -> None:
    with pytest.raises(SchemaOutdatedError, match=r"citypulse\.cli migrate"):
        assert_schema_current(empty_engine)
