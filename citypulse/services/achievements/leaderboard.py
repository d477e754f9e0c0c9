"""The leaderboard (PRODUCT.md §4.8) over the maintained `achievement_totals` scores.

Each board reads its partial index in order: the top rows are the first `limit + 1`
eligible rows of the index (active account, not blocked either way with the viewer),
and RANK() over that prefix is the true rank (a row's rank depends only on the rows
before it). "Your position" counts the shown rows strictly ahead of the viewer (on the index, minus
the few hidden ones). Both
stay within the 20 ms budget at 100 k users (bench/leaderboard.py, docs/performance.md).

Definitions (see the package docstring): Overall sorts by points, then completed (as
§4.8's table says, the same order as Highest points); families = non-tier metrics (of 7)
with ≥1 earned badge; ties on every key share a rank and are listed by username.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import BindParameter
from sqlmodel import Session

from citypulse.models import AchievementTotals, Profile, User
from citypulse.models.enums import AccountStatus
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import ValidationFailed
from citypulse.services.prepared import PerViewer, Prepared
from citypulse.services.social.graph import blocked_between

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
ENGAGEMENT_DAYS = 30
UNKNOWN_BOARD = "Unknown leaderboard"


class Board(enum.StrEnum):
    overall = "overall"
    achievements = "achievements"
    points = "points"
    families = "families"
    engagement = "engagement"


BOARD_LABELS: dict[Board, str] = {
    Board.overall: "Overall",
    Board.achievements: "Most achievements",
    Board.points: "Highest points",
    Board.families: "Most badge families",
    Board.engagement: "Engagement (30 days)",
}
_T = AchievementTotals
SORT_KEYS: dict[Board, tuple[str, ...]] = {
    Board.overall: ("points", "completed"),
    Board.achievements: ("completed", "points"),
    Board.points: ("points", "completed"),
    Board.families: ("families", "points"),
    Board.engagement: ("engagement_score",),
}


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int
    user_id: int
    username: str
    full_name: str
    avatar_key: str | None
    completed: int
    points: int
    families: int
    score: float  # engagement (30 days)


@dataclass(frozen=True)
class LeaderboardPosition:
    """The viewer's own rank on the board (None for "Not ranked yet")."""

    rank: int
    completed: int
    points: int
    families: int
    score: float


@dataclass(frozen=True)
class LeaderboardPage:
    board: str
    rows: tuple[LeaderboardRow, ...]
    you: LeaderboardPosition | None  # None: not ranked yet (or a visitor)
    limit: int
    has_more: bool  # "Show more": more eligible rows exist and limit < 100


def _eligible(board: Board) -> sa.ColumnElement[bool]:
    # A literal 0, never a parameter: the partial indexes (WHERE completed > 0 /
    # engagement_score > 0) only serve a predicate the planner can match to them.
    if board is Board.engagement:
        return _T.engagement_score > sa.literal_column("0")
    return _T.completed > sa.literal_column("0")


def _keys(board: Board) -> list[sa.ColumnElement]:
    return [getattr(_T, name) for name in SORT_KEYS[board]]


def _top_query(board: Board, viewer: BindParameter[int] | None) -> sa.Select:
    keys = _keys(board)
    prefix = (
        sa.select(
            _T.user_id, User.username, User.full_name, Profile.avatar_key, _T.completed,
            _T.points, _T.families, _T.engagement_score,
        )
        .join(User, User.id == _T.user_id)
        .outerjoin(Profile, Profile.user_id == _T.user_id)
        .where(
            _eligible(board),
            User.account_status == AccountStatus.active,
            ~blocked_between(viewer, _T.user_id),
        )
        .order_by(*(key.desc() for key in keys), User.username)
        .limit(sa.bindparam("limit"))
        .subquery()
    )  # fmt: skip
    ranked_by = [prefix.c[name].desc() for name in SORT_KEYS[board]]
    return sa.select(prefix, sa.func.rank().over(order_by=ranked_by).label("rank")).order_by(
        *ranked_by, prefix.c.username
    )


_HIDDEN_STATUSES = ", ".join(f"'{s.value}'" for s in AccountStatus if s != AccountStatus.active)


def _ahead_sql(board: Board) -> str:
    """How many shown rows are strictly ahead of the viewer's keys (:k0, :k1).

    Counted on the board's index alone (two range counts: first key greater; first key
    equal and second greater), minus the rows ahead that the board does not show: users
    who are not active (few, through ix_users_account_status) and users blocked either
    way with the viewer (fewer). Joining every row ahead to `users` instead cost ~50 ms
    for a mid-table viewer at 100 k users.
    """
    keys = SORT_KEYS[board]
    eligible = "engagement_score > 0" if board is Board.engagement else "completed > 0"

    def ahead(prefix: str) -> list[str]:
        first = [f"{prefix}{keys[0]} > :k0"]
        if len(keys) == 2:
            first.append(f"{prefix}{keys[0]} = :k0 AND {prefix}{keys[1]} > :k1")
        return first

    counted = " + ".join(
        f"(SELECT count(*) FROM achievement_totals WHERE {eligible} AND {part})"
        for part in ahead("")
    )
    any_ahead = " OR ".join(f"({part})" for part in ahead("t."))
    rows_ahead = f"FROM achievement_totals t WHERE t.{eligible} AND ({any_ahead}) AND t.user_id"
    # Probed by user id (the unique index), never a join over every row ahead.
    inactive = (
        f"(SELECT count(*) {rows_ahead} = ANY(ARRAY("
        f"SELECT id FROM users WHERE account_status IN ({_HIDDEN_STATUSES}))))"
    )
    blocked = (
        f"(SELECT count(*) {rows_ahead} = ANY(ARRAY("
        "SELECT b.blocked_id FROM blocks b JOIN users u ON u.id = b.blocked_id "
        "WHERE b.blocker_id = :viewer_id AND u.account_status = 'active' UNION "
        "SELECT b.blocker_id FROM blocks b JOIN users u ON u.id = b.blocker_id "
        "WHERE b.blocked_id = :viewer_id AND u.account_status = 'active')))"
    )
    return f"SELECT {counted} - {inactive} - {blocked}"


_TOP = {board: PerViewer(lambda viewer, b=board: _top_query(b, viewer)) for board in Board}
_AHEAD = {board: Prepared(sa.text(_ahead_sql(board))) for board in Board}
_MINE = Prepared(
    sa.select(_T.completed, _T.points, _T.families, _T.engagement_score, User.account_status)
    .join(User, User.id == _T.user_id)
    .where(_T.user_id == sa.bindparam("viewer_id"))
)


def parse_board(board: Board | str) -> Board:
    """The board named `board` (a tab's value from the client)."""
    try:
        return Board(board)
    except ValueError:
        raise ValidationFailed({"board": UNKNOWN_BOARD}) from None


def leaderboard(
    session: Session, *, viewer: Viewer | None, board: Board | str = Board.overall,
    limit: int = DEFAULT_LIMIT,
) -> LeaderboardPage:  # fmt: skip
    """One board: its top `limit` (1..100) rows and the viewer's position. Public.

    Raises:
        ValidationFailed: an unknown board.
    """
    chosen = parse_board(board)
    limit = max(1, min(int(limit), MAX_LIMIT))
    viewer_id = viewer.user_id if viewer else None
    rows = _TOP[chosen].run(session, viewer_id, limit=limit + 1).all()
    items = tuple(
        LeaderboardRow(row.rank, row.user_id, row.username, row.full_name, row.avatar_key,
                       row.completed, row.points, row.families, float(row.engagement_score))
        for row in rows[:limit]
    )  # fmt: skip
    you = position(session, viewer=viewer, board=chosen)
    return LeaderboardPage(chosen.value, items, you, limit, len(rows) > limit and limit < MAX_LIMIT)


def position(
    session: Session, *, viewer: Viewer | None, board: Board | str = Board.overall
) -> LeaderboardPosition | None:
    """The viewer's rank on `board`, or None when they are not ranked (yet)."""
    if viewer is None:
        return None
    chosen = parse_board(board)
    mine = _MINE.run(session, viewer_id=viewer.user_id).first()
    if mine is None or mine.account_status != AccountStatus.active:
        return None
    values = {"completed": mine.completed, "points": mine.points, "families": mine.families,
              "engagement_score": mine.engagement_score}  # fmt: skip
    keys = SORT_KEYS[chosen]
    eligible = mine.engagement_score > 0 if chosen is Board.engagement else mine.completed > 0
    if not eligible:
        return None
    bound = {f"k{i}": values[name] for i, name in enumerate(keys)}  # only the board's keys
    ahead = _AHEAD[chosen].run(session, viewer_id=viewer.user_id, **bound).scalar_one()
    return LeaderboardPosition(ahead + 1, mine.completed, mine.points, mine.families,
                               float(mine.engagement_score))  # fmt: skip


# Engagement (§4.8): 2×likes + 3×saves + 2×ratings + 0.1×views received on active
# recommendations in the last 30 days. Rows are written in user order (evaluations
# lock totals rows in ascending order too, so the two never deadlock).
_ENGAGEMENT = Prepared(sa.text(
    "WITH scores AS (SELECT r.author_id AS user_id, sum(e.w) AS score FROM ("
    " SELECT recommendation_id, 2.0 AS w FROM likes WHERE created_at >= :since"
    " UNION ALL SELECT recommendation_id, 3.0 FROM saves WHERE created_at >= :since"
    " UNION ALL SELECT recommendation_id, 2.0 FROM ratings WHERE created_at >= :since"
    " UNION ALL SELECT recommendation_id, 0.1 FROM views WHERE created_at >= :since"
    ") AS e JOIN recommendations r ON r.id = e.recommendation_id AND r.status = 'active' "
    "GROUP BY r.author_id), "
    "scored AS (INSERT INTO achievement_totals (user_id, engagement_score, created_at, updated_at) "
    "SELECT user_id, score, :now, :now FROM scores ORDER BY user_id "
    "ON CONFLICT (user_id) DO UPDATE SET engagement_score = excluded.engagement_score "
    "WHERE achievement_totals.engagement_score <> excluded.engagement_score RETURNING 1), "
    "faded AS (UPDATE achievement_totals SET engagement_score = 0 WHERE engagement_score > 0 "
    "AND user_id NOT IN (SELECT user_id FROM scores) RETURNING 1) "
    "SELECT (SELECT count(*) FROM scored) + (SELECT count(*) FROM faded)"
))  # fmt: skip


def engagement_refresh(session: Session, now: datetime) -> int:
    """Recompute every user's 30-day engagement score (job runner, every minute).

    Returns how many scores changed.
    """
    since = now - timedelta(days=ENGAGEMENT_DAYS)
    return int(_ENGAGEMENT.run(session, now=now, since=since).scalar_one())
