"""Feed sessions: the frozen ranking of For You and Trending (PRODUCT.md §4.9.5, §4.14).

The first page ranks once and stores the ids (≤ 500) in `feed_snapshots` for 30 minutes;
the cursor of every later page is "<snapshot id>.<position>", a slice of that array. Why
a table rather than a keyset over the live scores: For You's score moves with time and
engagement, and Trending's table is replaced by the job runner, so no keyset over them
is stable; a frozen list is, and reading a slice costs one primary-key read plus one
page of primary-key probes however large the tables grow. Why not the tab's state: the
list would travel with every state write (Redis) and die with the tab's worker, and the
cursor sent by a client would have nothing server-side to be checked against. Here a
cursor only ever names the viewer's own snapshot (others' ids, expired or malformed ones
start a new session), and every item is re-checked for visibility when its page is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, any_, bindparam, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session, col

from citypulse.models import Like, Save
from citypulse.models.feed import FeedSnapshot, SnapshotTab
from citypulse.services.feed.terms import array_text, array_value

SNAPSHOT_TTL = timedelta(minutes=30)
KEEP_PER_USER = 20  # open tabs and chip changes; older sessions of the user are dropped
_CURSOR = re.compile(r"^([1-9][0-9]{0,9})\.([0-9]{1,3})$")
# The new row and the trim of the user's older ones in one statement (one round trip of
# a first page). The DELETE does not see the row inserted beside it, so it keeps the
# newest KEEP_PER_USER - 1 of the others.
_CREATE = text(
    "WITH fresh AS (INSERT INTO feed_snapshots"
    " (user_id, tab, window_days, category_id, item_ids, complete, created_at, expires_at)"
    " VALUES (:user_id, :tab, :window_days, :category_id, CAST(:item_ids AS integer[]),"
    " :complete, :now, :expires_at)"
    " RETURNING id),"
    " trimmed AS (DELETE FROM feed_snapshots WHERE user_id = :user_id AND id < ("
    " SELECT min(id) FROM (SELECT id FROM feed_snapshots WHERE user_id = :user_id"
    f" ORDER BY id DESC LIMIT {KEEP_PER_USER - 1}) AS newest))"
    " SELECT id,"
    " ARRAY(SELECT recommendation_id FROM likes"
    "  WHERE user_id = :user_id AND recommendation_id = ANY(:first_ids)),"
    " ARRAY(SELECT recommendation_id FROM saves"
    "  WHERE user_id = :user_id AND recommendation_id = ANY(:first_ids))"
    " FROM fresh"
).bindparams(bindparam("first_ids", type_=ARRAY(Integer)))


@dataclass(frozen=True)
class OwnState:
    """Which of `checked` (the first chunk of ids a page reads) the viewer liked and
    saved, read in the same statement as the session row: no round trip of its own."""

    checked: frozenset[int] = frozenset()
    liked: frozenset[int] = frozenset()
    saved: frozenset[int] = frozenset()


def _own_state(checked: Iterable[int], liked: list[int] | None, saved: list[int] | None):
    return OwnState(frozenset(checked), frozenset(liked or ()), frozenset(saved or ()))


@dataclass(frozen=True)
class Snapshot:
    """A feed session as stored: what it ranked, and when (the "new posts" cutoff)."""

    id: int
    tab: str
    window_days: int | None
    category_id: int | None
    item_ids: tuple[int, ...]
    created_at: datetime
    own: OwnState = OwnState()
    complete: bool = True  # False: a first look, the rest to come (`feed.first_look`)


def snapshot_cursor(snapshot_id: int, position: int) -> str:
    return f"{snapshot_id}.{position}"


def parse_snapshot_cursor(cursor: str | None) -> tuple[int, int] | None:
    """(snapshot id, position) from a cursor; None when absent or malformed."""
    match = _CURSOR.match(cursor or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def snapshot_create(
    session: Session,
    *,
    user_id: int,
    tab: SnapshotTab,
    window_days: int | None,
    category_id: int | None,
    item_ids: list[int],
    now: datetime,
    chunk: int,
    complete: bool = True,
) -> Snapshot:
    """Store a new feed session for `user_id` (and drop their oldest beyond 20), with the
    viewer's likes and saves among its first `chunk` ids; `complete` False for a first
    look (`snapshot_complete` appends the rest)."""
    first = item_ids[:chunk]
    snapshot_id, liked, saved = session.execute(_CREATE, {
        "user_id": user_id, "tab": tab.value, "window_days": window_days,
        "category_id": category_id, "item_ids": array_text(item_ids), "complete": complete,
        "now": now, "expires_at": now + SNAPSHOT_TTL, "first_ids": first,
    }).one()  # fmt: skip
    own = _own_state(first, liked, saved)
    ids = tuple(item_ids)
    return Snapshot(snapshot_id, tab, window_days, category_id, ids, now, own, complete)


def snapshot_read(
    session: Session, *, user_id: int, snapshot_id: int, now: datetime, position: int, chunk: int
) -> Snapshot | None:
    """The viewer's own unexpired snapshot, else None (the list restarts), with the
    viewer's likes and saves among its `chunk` ids from `position` on."""
    s = FeedSnapshot
    ids = col(s.item_ids)[position + 1 : position + chunk]  # 1-based, inclusive

    def own(model: type[Like] | type[Save]) -> Any:
        return (
            select(func.array_agg(model.recommendation_id))
            .where(model.user_id == user_id, model.recommendation_id == any_(ids))
            .scalar_subquery()
        )

    row = session.execute(
        select(
            s.id, s.tab, s.window_days, s.category_id, s.item_ids, s.created_at,
            own(Like), own(Save), s.complete,
        ).where(s.id == snapshot_id, s.user_id == user_id, s.expires_at > now)
    ).first()  # fmt: skip
    if row is None:
        return None
    item_ids = tuple(row[4])
    checked = _own_state(item_ids[position : position + chunk], row[6], row[7])
    return Snapshot(row[0], row[1], row[2], row[3], item_ids, row[5], checked, row[8])


def snapshot_complete(session: Session, snapshot_id: int, item_ids: list[int]) -> tuple[int, ...]:
    """Make an incomplete session's list `item_ids` (its first look as a prefix) and mark
    it complete; returns the session's list as it now stands. A session another
    transaction completed meanwhile keeps its list: this UPDATE waits for that one's row
    lock, then finds the row complete, and the list that one stored is read back."""
    s = FeedSnapshot
    done = session.execute(
        update(s)
        .where(s.id == snapshot_id, col(s.complete).is_(False))
        .values(item_ids=array_value(item_ids), complete=True)
        .returning(s.item_ids)
    ).first()
    if done is not None:
        return tuple(done[0])
    stored = session.execute(select(s.item_ids).where(s.id == snapshot_id)).scalar_one_or_none()
    return tuple(stored or ())


def feed_snapshots_purge(session: Session, now: datetime) -> int:
    """Job-runner pass: delete expired feed sessions; returns how many."""
    result = session.execute(delete(FeedSnapshot).where(FeedSnapshot.expires_at <= now))
    return result.rowcount or 0
