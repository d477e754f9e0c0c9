"""`python -m citypulse.cli achievements-backfill`: the operator's recompute (§4.7.5).

The command opens its own transactions on the app's database, so this test commits
its author for real and deletes them (with everything cascading from them) afterwards.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session

from citypulse import cli
from citypulse.db import get_engine
from citypulse.models import Achievement, Category, City, User
from citypulse.seed.reference import seed_achievements
from tests.integration.achievements.support import earned, recommendation_in
from tests.support.factories import create_city, create_user


@pytest.fixture(autouse=True)
def catalogue() -> None:
    """Not the conftest's: its uncommitted catalogue would block the committed seed below."""


@pytest.fixture
def committed_author(shared_engine: Engine) -> Iterator[User]:
    """An author whose recommendation predates evaluation (no badge yet), committed.

    `shared_engine` points the app (`get_engine()`, which the command uses) at the
    session's migrated database.
    """
    tag = secrets.token_hex(3)
    with Session(get_engine(), expire_on_commit=False) as db:
        had_catalogue = db.execute(sa.select(sa.func.count()).select_from(Achievement)).scalar()
        seed_achievements(db)
        author = create_user(db, username=f"backfill_{tag}")
        city = create_city(db, name=f"Backfill {tag}")
        category_id = recommendation_in(db, author, city).category_id  # deleted afterwards
        db.commit()
    yield author
    with Session(get_engine()) as db:
        db.execute(sa.delete(User).where(User.id == author.id))
        db.execute(sa.delete(Category).where(Category.id == category_id))
        db.execute(sa.delete(City).where(City.id == city.id))
        if not had_catalogue:
            db.execute(sa.delete(Achievement))
        db.commit()


def test_the_command_awards_what_is_due_and_is_idempotent(
    committed_author: User, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["achievements-backfill"]) == 0
    first = capsys.readouterr().out
    assert "badges awarded:" in first
    with Session(get_engine()) as db:
        assert earned(db, committed_author) == {"first_steps", "bronze_achiever"}
    assert cli.main(["achievements-backfill"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("badges awarded: 0")
