"""Racing actions never award a badge twice and never miss one (real transactions).

Each action runs in its own connection and commits for real, so this module seeds the
catalogue for real and deletes its users (and, if it added it, the catalogue) afterwards.
The second transaction is started while the first still holds its user lock; the test
waits until PostgreSQL reports it waiting on that lock, then commits the first.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session

from citypulse.models import Achievement, AchievementTotals, Category, Like, RateLimitHit, User
from citypulse.seed.reference import seed_achievements
from citypulse.services.achievements.evaluate import evaluate
from citypulse.services.achievements.metrics import PUBLISHED
from citypulse.services.interactions.likes_saves import like_toggle
from tests.integration.achievements.support import earned, recommendation_in, viewer
from tests.integration.support import NOW
from tests.support.factories import create_category, create_recommendation, create_user

pytestmark = pytest.mark.own_database  # commits for real: a fresh database of its own


@pytest.fixture(autouse=True)
def catalogue(engine: Engine) -> Iterator[None]:
    """The catalogue, committed (the conftest's version lives in a rolled-back session)."""
    with Session(engine) as db:
        had = db.execute(sa.select(sa.func.count()).select_from(Achievement)).scalar_one()
        seed_achievements(db)
        db.commit()
    yield
    if not had:
        with Session(engine) as db:
            db.execute(sa.delete(Achievement))
            db.commit()


class People:
    def __init__(self, engine: Engine) -> None:
        self.engine, self.ids, self.tag = engine, [], secrets.token_hex(3)

    def user(self, db: Session, name: str) -> User:
        user = create_user(db, username=f"race_{name}_{self.tag}")
        self.ids.append(user.id)
        return user


@pytest.fixture
def people(engine: Engine) -> Iterator[People]:
    made = People(engine)
    yield made
    with Session(engine) as db:
        db.execute(sa.delete(User).where(User.id.in_(made.ids)))  # cascades to their rows
        keys = [f"interact:{user_id}" for user_id in made.ids]
        db.execute(sa.delete(RateLimitHit).where(RateLimitHit.key.in_(keys)))
        db.execute(sa.delete(Category).where(Category.name.like(f"Race {made.tag}%")))
        db.commit()


def in_thread(engine: Engine, call: Callable[[Session], object]) -> tuple[threading.Thread, list]:
    """Start `call` in its own transaction (committed at the end); returns results/errors."""
    out: list = []

    def run() -> None:
        with Session(engine) as db:
            try:
                out.append(call(db))
                db.commit()
            except BaseException as error:  # reported by the test
                out.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def wait_until_blocked(engine: Engine, out: list) -> None:
    """Until another backend waits on a row lock (bounded: fails after ~30 s).

    Each poll is a transaction of its own: PostgreSQL reads pg_stat_activity once per
    transaction, so polls inside one never see the other backend start waiting.
    """
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for _ in range(3000):
            waiting = conn.execute(sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            )).scalar_one()  # fmt: skip
            if waiting:
                return
            assert not out, f"the second transaction ended without waiting: {out}"
            conn.execute(sa.text("SELECT pg_sleep(0.01)"))
    raise AssertionError("the second transaction never waited for the first one's lock")


def test_two_evaluations_racing_award_once(engine: Engine, people: People) -> None:
    with Session(engine, expire_on_commit=False) as db:
        carol = people.user(db, "carol")
        category = create_category(db, name=f"Race {people.tag}")
        create_recommendation(db, author=carol, category=category)
        db.commit()
    with Session(engine) as first:
        awarded_first = evaluate(first, user_id=carol.id, metrics=PUBLISHED, now=NOW)
        thread, out = in_thread(
            engine, lambda db: evaluate(db, user_id=carol.id, metrics=PUBLISHED, now=NOW)
        )
        try:
            wait_until_blocked(engine, out)
        finally:
            first.commit()
            thread.join(timeout=30)
    assert len(awarded_first) == 2 and out == [()]
    with Session(engine) as db:
        assert earned(db, carol) == {"first_steps", "bronze_achiever"}
        notices = db.execute(sa.text(
            "SELECT count(*) FROM notifications WHERE recipient_id = :u "
            "AND type = 'achievement_unlocked'"), {"u": carol.id}).scalar_one()  # fmt: skip
        assert notices == 2
        points = db.execute(sa.select(AchievementTotals.points)
                            .where(AchievementTotals.user_id == carol.id)).scalar_one()  # fmt: skip
        assert points == 15


def test_two_likes_racing_across_25_never_miss_the_award(engine: Engine, people: People) -> None:
    """24th and 25th likes on two different recommendations of one author, at once."""
    with Session(engine, expire_on_commit=False) as db:
        author = people.user(db, "author")
        one, two = recommendation_in(db, author), recommendation_in(db, author)
        fans = [people.user(db, f"fan{i}") for i in range(23)]
        for fan in fans:
            db.add(Like(recommendation_id=one.id, user_id=fan.id))
        db.execute(sa.update(sa.table("recommendations", sa.column("id"), sa.column("likes_count")))
                   .where(sa.column("id") == one.id).values(likes_count=23))  # fmt: skip
        db.add(AchievementTotals(user_id=author.id, likes_received=23))
        late = [people.user(db, "late1"), people.user(db, "late2")]
        db.commit()
    with Session(engine) as first:
        like_toggle(first, actor=viewer(late[0]), recommendation_id=one.id, now=NOW)  # 24
        thread, out = in_thread(engine, lambda db: like_toggle(
            db, actor=viewer(late[1]), recommendation_id=two.id, now=NOW))  # fmt: skip
        try:
            wait_until_blocked(engine, out)  # on the author's totals row
        finally:
            first.commit()
            thread.join(timeout=30)
    assert not [o for o in out if isinstance(o, BaseException)], out
    with Session(engine) as db:
        assert {"rising_star", "silver_achiever"} <= earned(db, author)


def test_many_simultaneous_likes_award_exactly_once(engine: Engine, people: People) -> None:
    with Session(engine, expire_on_commit=False) as db:
        author = people.user(db, "star")
        recs = [recommendation_in(db, author) for _ in range(3)]
        fans = [people.user(db, f"crowd{i}") for i in range(27)]
        db.commit()
    barrier = threading.Barrier(len(fans))
    errors: list[BaseException] = []

    def like(index: int) -> None:
        with Session(engine) as db:
            barrier.wait()
            try:
                like_toggle(db, actor=viewer(fans[index]), recommendation_id=recs[index % 3].id,
                            now=NOW)  # fmt: skip
                db.commit()
            except BaseException as error:
                errors.append(error)

    threads = [threading.Thread(target=like, args=(i,)) for i in range(len(fans))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    with Session(engine) as db:
        assert "rising_star" in earned(db, author)
        rows = db.execute(sa.text(
            "SELECT count(*) FROM notifications WHERE recipient_id = :u "
            "AND title LIKE '%Rising Star'"), {"u": author.id}).scalar_one()  # fmt: skip
        assert rows == 1
        running = db.execute(
            sa.select(AchievementTotals.likes_received).where(
                AchievementTotals.user_id == author.id
            )
        ).scalar_one()
        assert running == 27
