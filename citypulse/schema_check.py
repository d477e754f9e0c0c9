"""Start-up guard: the app refuses to run on a database with pending migrations (§5.5)."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from citypulse.db import get_engine
from citypulse.settings import PROJECT_ROOT

SCRIPT_LOCATION = PROJECT_ROOT / "alembic"


class SchemaOutdatedError(RuntimeError):
    """The database is not at the newest alembic revision."""


def schema_revisions(engine: Engine) -> tuple[set[str], set[str]]:
    """(revisions applied to the database, head revisions of the code)."""
    heads = set(ScriptDirectory(str(SCRIPT_LOCATION)).get_heads())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current, heads


def assert_schema_current(engine: Engine | None = None) -> None:
    """Raise SchemaOutdatedError unless the database is exactly at head."""
    current, heads = schema_revisions(engine or get_engine())
    if current != heads:
        raise SchemaOutdatedError(
            f"Database schema is at {sorted(current) or 'nothing'}, code expects "
            f"{sorted(heads)}: run `python -m citypulse.cli migrate` first."
        )
