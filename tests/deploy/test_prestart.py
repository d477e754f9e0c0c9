"""deploy/prestart.sh: bounded wait for the database, migrate, then exec the server."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import psycopg
import pytest

from citypulse.db import to_libpq_url
from tests.deploy.stack import child_env
from tests.deploy.support import DEPLOY_DIR, free_port
from tests.support.database import drop_database, recreate_database

DATABASE_NAME = "citypulse_prestart"
SERVE = [sys.executable, "-c", "print('SERVING')"]  # stands in for `reflex run`


def prestart(database_url: str, *command: str, attempts: int = 30) -> subprocess.CompletedProcess:
    env = child_env(
        APP_ENV="test",
        DATABASE_URL=database_url,
        PYTHON=sys.executable,
        PRESTART_DB_ATTEMPTS=str(attempts),
        PRESTART_DB_DELAY="0.1",
    )
    return subprocess.run(
        [str(DEPLOY_DIR / "prestart.sh"), *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def scratch_database() -> Iterator[str]:
    url = recreate_database(DATABASE_NAME)
    yield url
    drop_database(DATABASE_NAME)


def test_gives_up_after_bounded_retries_without_starting() -> None:
    unreachable = f"postgresql://nobody@127.0.0.1:{free_port()}/nothing"
    result = prestart(unreachable, *SERVE, attempts=3)
    assert result.returncode != 0
    assert "(3/3)" in result.stderr and "giving up" in result.stderr
    assert "SERVING" not in result.stdout and "applying migrations" not in result.stdout


def test_migrates_then_execs_the_server(scratch_database: str) -> None:
    result = prestart(scratch_database, *SERVE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("SERVING")
    with psycopg.connect(to_libpq_url(scratch_database)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()


def test_a_failed_migration_stops_the_start(scratch_database: str) -> None:
    with psycopg.connect(to_libpq_url(scratch_database), autocommit=True) as conn:
        # A revision this code base does not know: alembic cannot upgrade from it.
        conn.execute("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES ('not-a-revision')")
    result = prestart(scratch_database, *SERVE)
    assert result.returncode != 0
    assert "SERVING" not in result.stdout
