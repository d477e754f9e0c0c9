"""Job runner: procrastinate's tables and functions, in a PostgreSQL schema of their own.

The worker (`python -m citypulse.cli worker`, citypulse/jobs/) keeps its queue in
PostgreSQL. Its objects live in the schema `procrastinate`, never in `public`: the
models, `alembic check` and the migrated-vs-create_all comparison only see `public`,
and the worker's connections put `procrastinate` on their search_path.

The SQL is the schema of procrastinate 3.10.0 (the pinned version), copied into
`alembic/sql/` so this revision never changes. Upgrading procrastinate means a new
revision that applies its `sql/migrations/*.sql` files newer than 3.10.0 with the same
search_path (tests/unit/test_jobs_schedule.py fails until the copy matches the pin).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 04:00:00+00:00
"""

from collections.abc import Sequence
from pathlib import Path

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "procrastinate"
SCHEMA_SQL = Path(__file__).resolve().parents[1] / "sql" / "procrastinate-3.10.0.sql"


def upgrade() -> None:
    op.execute(f"CREATE SCHEMA {SCHEMA}")
    # Unqualified names in the file land in the new schema (for this transaction only).
    op.execute(f"SET LOCAL search_path TO {SCHEMA}")
    op.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    op.execute("SET LOCAL search_path TO DEFAULT")


def downgrade() -> None:
    op.execute(f"DROP SCHEMA {SCHEMA} CASCADE")
