"""Simultaneous interactions from separate transactions keep the counters exact.

Unlike the other tests this one commits for real (each thread is its own transaction),
so it runs on a database of its own (`own_database`); it still deletes its users at the end.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session

from citypulse.models import Category, RateLimitHit, User
from citypulse.services.interactions.likes_saves import like_toggle
from citypulse.services.interactions.ratings import rating_upsert
from citypulse.services.interactions.views_shares import view_record
from tests.integration.interactions.support import assert_counters_match_rows, viewer
from tests.integration.support import NOW
from tests.support.factories import create_category, create_recommendation, create_user

pytestmark = pytest.mark.own_database
RATERS = 6


@pytest.fixture
def committed(engine: Engine) -> Iterator[tuple[User, list[User], int]]:
    tag = secrets.token_hex(3)
    with Session(engine, expire_on_commit=False) as db:
        author = create_user(db, username=f"race_author_{tag}")
        raters = [create_user(db, username=f"race_{i}_{tag}") for i in range(RATERS)]
        category = create_category(db, name=f"Race {tag}")
        rec_id = create_recommendation(db, author=author, category=category).id
        db.commit()
    yield author, raters, rec_id
    with Session(engine) as db:
        ids = [author.id, *(rater.id for rater in raters)]
        db.execute(sa.delete(User).where(User.id.in_(ids)))  # cascades to everything
        db.execute(sa.delete(Category).where(Category.id == category.id))
        keys = [f"interact:{user_id}" for user_id in ids]
        db.execute(sa.delete(RateLimitHit).where(RateLimitHit.key.in_(keys)))
        db.commit()


def together(engine: Engine, calls: list[Callable[[Session], object]]) -> list[BaseException]:
    """Run each call in its own transaction, all released at the same moment."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[Session], object]) -> None:
        with Session(engine) as db:
            barrier.wait()
            try:
                call(db)
                db.commit()
            except BaseException as error:
                errors.append(error)
                db.rollback()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_simultaneous_ratings_likes_and_views(engine: Engine, committed) -> None:
    _, raters, rec_id = committed
    first = raters[0]

    def rate(user: User, value: int) -> Callable[[Session], object]:
        return lambda db: rating_upsert(db, actor=viewer(user), recommendation_id=rec_id,
                                        rating=value, review=None, now=NOW)  # fmt: skip

    def like(user: User) -> Callable[[Session], object]:
        return lambda db: like_toggle(db, actor=viewer(user), recommendation_id=rec_id, now=NOW)

    def visit(user: User) -> Callable[[Session], object]:
        return lambda db: view_record(db, viewer_id=user.id, anon_key=None, ip=None,
                                      is_bot=False, recommendation_id=rec_id, now=NOW)  # fmt: skip

    assert together(engine, [rate(user, 1 + i % 5) for i, user in enumerate(raters)]) == []
    assert together(engine, [like(user) for user in raters]) == []
    assert together(engine, [visit(first) for _ in range(4)]) == []

    with Session(engine) as db:
        stored = assert_counters_match_rows(db, rec_id)
        assert stored["ratings_count"] == RATERS and stored["likes_count"] == RATERS
        assert stored["views_count"] == 1
        notices = db.execute(
            sa.text("SELECT count(*) FROM notifications WHERE target_id = :id"), {"id": rec_id}
        ).scalar_one()
        assert notices == 2 * RATERS  # one first-rating and one first-like each
