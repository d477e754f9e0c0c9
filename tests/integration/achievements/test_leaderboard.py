"""The leaderboard over the maintained totals (§4.8, journey §7.27)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from citypulse.models import AchievementTotals, Block, Like, Save, User, View
from citypulse.models.enums import AccountStatus
from citypulse.services.achievements.evaluate import evaluate
from citypulse.services.achievements.leaderboard import (
    MAX_LIMIT,
    Board,
    engagement_refresh,
    leaderboard,
)
from citypulse.services.achievements.metrics import PUBLISHED
from citypulse.services.errors import ValidationFailed
from tests.integration.achievements.support import recommendation_in, viewer
from tests.integration.support import NOW
from tests.support.factories import create_user


@pytest.fixture(autouse=True)
def empty_board(session: Session) -> None:
    """Only this test's rows (rolled back afterwards) are on the boards."""
    session.execute(sa.delete(AchievementTotals))


def scored(session: Session, username: str, points: int, completed: int, families: int = 1,
           status: AccountStatus = AccountStatus.active) -> User:  # fmt: skip
    user = create_user(session, username=username, status=status)
    session.add(AchievementTotals(user_id=user.id, points=points, completed=completed,
                                  families=families))  # fmt: skip
    session.flush()
    return user


def ranks(page) -> list[tuple[int, str]]:
    return [(row.rank, row.username) for row in page.rows]


def test_ties_share_a_rank_your_position_and_banned_users_are_absent(session: Session) -> None:
    """Journey §7.27: 50, 30 and 30 points (equal completed counts) rank 1, 2, 2."""
    ann = scored(session, "lb_ann", 50, 2)
    bob = scored(session, "lb_bob", 30, 2)
    cat = scored(session, "lb_cat", 30, 2)
    scored(session, "lb_dan", 20, 1)
    scored(session, "lb_banned", 90, 3, status=AccountStatus.banned)
    scored(session, "lb_gone", 80, 3, status=AccountStatus.deactivated)
    newcomer = create_user(session, username="lb_new")
    page = leaderboard(session, viewer=viewer(cat), board=Board.overall)
    assert ranks(page) == [(1, "lb_ann"), (2, "lb_bob"), (2, "lb_cat"), (4, "lb_dan")]
    assert page.you is not None and page.you.rank == 2 and page.you.points == 30
    assert leaderboard(session, viewer=viewer(ann)).you.rank == 1
    assert leaderboard(session, viewer=viewer(newcomer)).you is None  # "Not ranked yet"
    assert leaderboard(session, viewer=None).you is None
    assert leaderboard(session, viewer=viewer(bob)).you.rank == 2


def test_each_board_sorts_by_its_keys(session: Session) -> None:
    scored(session, "lb_many", 40, 5, families=2)
    scored(session, "lb_rich", 60, 2, families=1)
    scored(session, "lb_wide", 30, 3, families=4)
    expected = {
        Board.overall: ["lb_rich", "lb_many", "lb_wide"],
        Board.points: ["lb_rich", "lb_many", "lb_wide"],
        Board.achievements: ["lb_many", "lb_wide", "lb_rich"],
        Board.families: ["lb_wide", "lb_many", "lb_rich"],
    }
    for board, order in expected.items():
        page = leaderboard(session, viewer=None, board=board.value)
        assert [row.username for row in page.rows] == order, board
        assert [row.rank for row in page.rows] == [1, 2, 3]
    # Equal on the first key only: the second decides; equal on both: shared, by username.
    scored(session, "lb_also", 40, 4, families=2)
    scored(session, "lb_twin", 40, 5, families=2)
    page = leaderboard(session, viewer=None, board=Board.overall)
    assert ranks(page)[:4] == [(1, "lb_rich"), (2, "lb_many"), (2, "lb_twin"), (4, "lb_also")]


def test_blocked_users_are_hidden_from_each_other(session: Session) -> None:
    top = scored(session, "lb_top", 90, 3)
    me = scored(session, "lb_me", 50, 2)
    other = scored(session, "lb_other", 70, 2)
    session.add(Block(blocker_id=top.id, blocked_id=me.id))
    session.flush()
    page = leaderboard(session, viewer=viewer(me))
    assert ranks(page) == [(1, "lb_other"), (2, "lb_me")]
    assert page.you.rank == 2  # ranks count the rows shown to this viewer
    assert "lb_me" not in [r.username for r in leaderboard(session, viewer=viewer(top)).rows]
    assert len(leaderboard(session, viewer=viewer(other)).rows) == 3


def test_top_20_then_show_more_up_to_100(session: Session) -> None:
    for i in range(105):
        scored(session, f"lb_u{i:03}", 1000 - i, 1)
    first = leaderboard(session, viewer=None)
    assert len(first.rows) == 20 and first.has_more and first.limit == 20
    more = leaderboard(session, viewer=None, limit=500)
    assert len(more.rows) == MAX_LIMIT and not more.has_more
    assert [row.rank for row in more.rows] == list(range(1, 101))
    assert leaderboard(session, viewer=None, limit=0).limit == 1


def test_an_unknown_board_is_refused(session: Session) -> None:
    with pytest.raises(ValidationFailed):
        leaderboard(session, viewer=None, board="everything")


def test_nobody_is_ranked_without_a_completed_badge(session: Session) -> None:
    scored(session, "lb_zero", 0, 0)
    assert leaderboard(session, viewer=None).rows == ()  # the page shows "No rankings yet"


def test_evaluation_keeps_the_totals_the_boards_read(session: Session) -> None:
    author = create_user(session, username="lb_author")
    recommendation_in(session, author)
    evaluate(session, user_id=author.id, metrics=PUBLISHED, now=NOW)
    row = leaderboard(session, viewer=viewer(author)).rows[0]
    assert (row.username, row.points, row.completed, row.families) == ("lb_author", 15, 2, 1)


def test_engagement_counts_the_last_30_days_on_active_recommendations(session: Session) -> None:
    author, fan = create_user(session, username="lb_eng"), create_user(session)
    quiet = create_user(session, username="lb_quiet")
    rec = recommendation_in(session, author)
    old = recommendation_in(session, quiet)
    session.add_all([
        Like(recommendation_id=rec.id, user_id=fan.id, created_at=NOW - timedelta(days=1)),
        Save(recommendation_id=rec.id, user_id=fan.id, created_at=NOW - timedelta(days=29)),
        View(recommendation_id=rec.id, user_id=fan.id, created_at=NOW - timedelta(hours=1)),
        Like(recommendation_id=old.id, user_id=fan.id, created_at=NOW - timedelta(days=31)),
    ])  # fmt: skip
    session.flush()
    assert engagement_refresh(session, NOW) == 1
    page = leaderboard(session, viewer=viewer(author), board=Board.engagement)
    assert [(r.username, r.score) for r in page.rows] == [("lb_eng", pytest.approx(5.1))]
    assert page.you.rank == 1
    assert engagement_refresh(session, NOW) == 0  # nothing changed
    # 30 days later the score fades to 0 and the author leaves the board.
    assert engagement_refresh(session, NOW + timedelta(days=31)) == 1
    assert leaderboard(session, viewer=None, board=Board.engagement).rows == ()
