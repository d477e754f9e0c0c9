"""For You ranked ahead of the feed that needs it (issue 11).

Without a usable stored ranking (`feed.ready`) a For You session starts from a first
look, completed by a full ranking after the page (`feed.first_look`; that runs in this
module's thread too). A ranking stops being usable once the viewer's buddies, blocks,
interests or cities change, and there is none for a new account or one back after
`ready.RANKING_TTL`. So the actions that change those terms, every sign-in,
and a session renewal that finds no ranking stored (a remembered visitor's first request
back) mark the viewers (`rank_after_commit`); once the action has committed,
`services.unit_of_work` ranks them in the background (`rank_in_background`), so the feed
they open next usually finds a ranking. When it does not (the ranking still running, or
it failed), the session starts from a first look.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from datetime import UTC, datetime

from sqlalchemy import text
from sqlmodel import Session, col, select

from citypulse.db import session_scope
from citypulse.models import FeedRanking
from citypulse.services.feed import first_look, ranking
from citypulse.services.feed.ready import ranking_store

logger = logging.getLogger(__name__)

TERMS_CHANGED = "feed_terms_changed"  # session.info: the viewers to rank after the commit
# One thread: rankings queue behind each other instead of competing with the actions.
_RANKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-rank-ahead")


def rank_after_commit(session: Session, *user_ids: int) -> None:
    """Mark viewers whose For You terms this transaction changes."""
    session.info.setdefault(TERMS_CHANGED, set()).update(user_ids)


def rank_if_none_stored(session: Session, user_id: int) -> None:
    """Mark a viewer who has no stored ranking of every category (a new account, or one
    back after `ready.RANKING_TTL`), as a renewed session's returning visitor is."""
    stored = select(FeedRanking.user_id).where(
        FeedRanking.user_id == user_id, col(FeedRanking.category_id).is_(None)
    )
    if session.exec(stored).first() is None:
        rank_after_commit(session, user_id)


def rank_ahead(
    user_ids: Iterable[int],
    now: datetime,
    session_factory: Callable[[], AbstractContextManager[Session]] = session_scope,
) -> int:
    """Rank and store each viewer's For You list of every category, and again each chip's
    they have a ranking of, one transaction per viewer. Returns the rankings made."""
    ranked = 0
    for user_id in sorted(set(user_ids)):
        with session_factory() as session:
            session.execute(text(ranking.FEED_SETTINGS))
            chips = session.exec(
                select(FeedRanking.category_id).where(
                    FeedRanking.user_id == user_id, col(FeedRanking.category_id).is_not(None)
                )
            ).all()
            for category_id in [None, *sorted(chips)]:
                made = ranking.rank_for_you(session, user_id, category_id, now)
                ranking_store(session, user_id, category_id, made, now)
                ranked += 1
    return ranked


def rank_in_background(user_ids: Iterable[int]) -> Future[None]:
    """Rank the viewers after the action's commit; never raises (a failure is logged)."""
    return _RANKER.submit(_rank_logged, frozenset(user_ids))


def complete_in_background(snapshot_ids: Iterable[int]) -> Future[int]:
    """Complete the feed sessions started from a first look (`first_look`) after the
    page's commit, each in its own transaction; never raises (a failure is logged: the
    session's next page completes it)."""
    pending = frozenset(snapshot_ids)
    return _RANKER.submit(complete_sessions, pending)


def settle(timeout: float = 30) -> None:
    """Wait until the rankings queued so far have run (they run in order, one at a time)."""
    _RANKER.submit(lambda: None).result(timeout=timeout)


def _rank_logged(user_ids: frozenset[int]) -> None:
    try:
        rank_ahead(user_ids, datetime.now(UTC))
    except Exception:
        logger.exception("Could not rank For You ahead for %d viewer(s)", len(user_ids))


def complete_sessions(
    snapshot_ids: Iterable[int],
    session_factory: Callable[[], AbstractContextManager[Session]] = session_scope,
) -> int:
    """Complete each feed session still incomplete (`first_look.complete_stored`), one
    transaction per session; a failure is logged and the next one still runs. Returns
    the sessions completed."""
    completed = 0
    for snapshot_id in sorted(set(snapshot_ids)):
        try:
            with session_factory() as session:
                session.execute(text(ranking.FEED_SETTINGS))
                completed += first_look.complete_stored(session, snapshot_id)
        except Exception:
            logger.exception("Could not complete For You session %d", snapshot_id)
    return completed
