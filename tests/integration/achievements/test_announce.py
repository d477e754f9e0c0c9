"""The unlock pop-up is claimed once across tabs (§4.7.3, §6.5): claim_unlocks."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session

from citypulse.services.achievements.announce import ANNOUNCE_WINDOW, claim_unlocks
from citypulse.services.achievements.evaluate import evaluate
from citypulse.services.achievements.metrics import PUBLISHED
from tests.integration.achievements.support import recommendation_in, viewer
from tests.integration.achievements.test_concurrency import catalogue, people  # noqa: F401
from tests.integration.support import NOW
from tests.support.factories import create_user


def first_steps(session: Session, username: str, *, at=NOW):
    user = create_user(session, username=username)
    recommendation_in(session, user)
    evaluate(session, user_id=user.id, metrics=PUBLISHED, now=at)
    return user


def test_the_first_claim_takes_the_new_badges_and_the_second_gets_nothing(
    session: Session,
) -> None:
    carol = first_steps(session, "ann_carol")
    other = first_steps(session, "ann_other")
    claimed = claim_unlocks(session, actor=viewer(carol), now=NOW + timedelta(seconds=5))
    assert [u.name for u in claimed] == ["First Steps", "Bronze Achiever"]  # tier badge last
    assert (claimed[0].tier, claimed[0].points, claimed[0].icon) == ("bronze", 10, "footprints")
    assert claim_unlocks(session, actor=viewer(carol), now=NOW + timedelta(seconds=6)) == ()
    seen = session.execute(sa.text(
        "SELECT user_id, seen_at FROM user_achievements WHERE completed_at IS NOT NULL "
        "AND user_id IN (:c, :o)"), {"c": carol.id, "o": other.id}).all()  # fmt: skip
    assert {(row.user_id, row.seen_at) for row in seen} == {
        (carol.id, NOW + timedelta(seconds=5)),
        (other.id, None),  # someone else's unlocks are theirs to claim
    }


def test_only_recent_unlocks_are_celebrated(session: Session) -> None:
    dave = first_steps(session, "ann_dave")
    late = NOW + ANNOUNCE_WINDOW + timedelta(seconds=1)
    assert claim_unlocks(session, actor=viewer(dave), now=late) == ()
    assert claim_unlocks(session, actor=viewer(dave), now=NOW + ANNOUNCE_WINDOW)


@pytest.mark.own_database  # commits for real
def test_two_racing_tabs_announce_once(engine: Engine, people) -> None:  # noqa: F811
    """The second tab's UPDATE waits for the first's row locks, then finds nothing."""
    with Session(engine) as db:
        user = people.user(db, "ann_erin")
        recommendation_in(db, user)
        evaluate(db, user_id=user.id, metrics=PUBLISHED, now=NOW)
        db.commit()
        erin = viewer(user)
    later = NOW + timedelta(seconds=1)
    first = Session(engine)
    try:
        won = claim_unlocks(first, actor=erin, now=later)  # holds the row locks
        results: list[tuple] = []
        second = threading.Thread(
            target=lambda: results.append(_claim_in_own_session(engine, erin, later))
        )
        second.start()
        _wait_until_blocked(engine, first, results)
        first.commit()
        second.join(timeout=10)
    finally:
        first.close()
    assert len(won) == 2 and results == [()]


def _claim_in_own_session(engine: Engine, actor, now) -> tuple:
    with Session(engine) as db:
        claimed = claim_unlocks(db, actor=actor, now=now)
        db.commit()
        return claimed


def _wait_until_blocked(engine: Engine, first: Session, results: list) -> None:
    """Until the second claim's UPDATE waits for a lock the first transaction holds.

    Each poll is a transaction of its own: PostgreSQL reads pg_stat_activity once per
    transaction, so polls inside one never see the second claim start waiting.
    """
    holder = first.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for _ in range(600):
            waiting = conn.execute(sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND query LIKE 'UPDATE user_achievements%' "
                "AND :holder = ANY(pg_blocking_pids(pid))"
            ), {"holder": holder}).scalar_one()  # fmt: skip
            if waiting:
                return
            assert not results, f"the second claim ended without waiting: {results}"
            threading.Event().wait(0.05)
    raise AssertionError("the second claim never waited for the first")
