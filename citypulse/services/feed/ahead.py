"""For You ranked ahead when a viewer's own terms change (issue 11).

A stored ranking stops being usable once the viewer's buddies, blocks, interests or
cities change (`feed.ready`): their next For You session would rank live (~16 ms p95 in
the database at 1 M recommendations). The actions that change those terms mark the
viewers (`rank_after_commit`); once the action has committed, `services.unit_of_work`
ranks them in the background (`rank_in_background`), so the feed they open next usually
finds a ranking made with the new terms. When it does not (the ranking still running, or
it failed), the session ranks live as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from datetime import UTC, datetime

from sqlalchemy import text
from sqlmodel import Session

from citypulse.db import session_scope
from citypulse.services.feed import ranking
from citypulse.services.feed.ready import ranking_store

logger = logging.getLogger(__name__)

TERMS_CHANGED = "feed_terms_changed"  # session.info: the viewers to rank after the commit
# One thread: rankings queue behind each other instead of competing with the actions.
_RANKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-rank-ahead")


def rank_after_commit(session: Session, *user_ids: int) -> None:
    """Mark viewers whose For You terms this transaction changes."""
    session.info.setdefault(TERMS_CHANGED, set()).update(user_ids)


def rank_ahead(
    user_ids: Iterable[int],
    now: datetime,
    session_factory: Callable[[], AbstractContextManager[Session]] = session_scope,
) -> int:
    """Rank and store each viewer's For You list of every category, one transaction each
    (a chip's stored ranking stays unusable: a chip session ranks live). Returns how many."""
    ranked = 0
    for user_id in sorted(set(user_ids)):
        with session_factory() as session:
            session.execute(text(ranking.FEED_SETTINGS))
            ranking_store(
                session, user_id, None, ranking.rank_for_you(session, user_id, None, now), now
            )
        ranked += 1
    return ranked


def rank_in_background(user_ids: Iterable[int]) -> Future[None]:
    """Rank the viewers after the action's commit; never raises (a failure is logged)."""
    return _RANKER.submit(_rank_logged, frozenset(user_ids))


def _rank_logged(user_ids: frozenset[int]) -> None:
    try:
        rank_ahead(user_ids, datetime.now(UTC))
    except Exception:
        logger.exception("Could not rank For You ahead for %d viewer(s)", len(user_ids))
