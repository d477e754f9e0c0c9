"""Search history (§4.10.8): one entry per executed search, never per keystroke.

An executed search is a submit of the search form (header box, overlay, /search form), a
picked suggestion (`record_pick`; a picked place is also the opened result) or applied
filters — each a single `record_search` in that search's transaction. The same query and
filters within 10 minutes update the existing entry; the newest 100 per user are kept.
History is the owner's alone: another user's entry is `NotFound`, like one that does not
exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlmodel import Session, col

from citypulse.models import SearchHistory
from citypulse.models.search import MAX_HISTORY_PER_USER
from citypulse.params import parse_id
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound, ValidationFailed
from citypulse.services.policies import require_active_actor
from citypulse.services.recommendations.queries import NOT_FOUND_MESSAGE
from citypulse.services.recommendations.visibility import recommendation_visible
from citypulse.services.search.request import SearchRequest, like_escape, parse_request

SAME_SEARCH_WINDOW = timedelta(minutes=10)
RECENT_SHOWN = 10
HISTORY_NOT_FOUND = "Search history entry not found"


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    query: str
    filters: dict[str, Any]
    result_count: int
    searched_at: datetime
    href: str  # /search?… restoring the query and filters


def _href(query: str, filters: dict[str, Any]) -> str:
    """The /search URL of a stored search (filters that no longer parse are dropped)."""
    try:
        request = parse_request(query, filters)
    except ValidationFailed:  # a stored filter today's rules refuse: run the text alone
        request = SearchRequest(text=query)
    params = request.query_string()
    return f"/search?{params}" if params else "/search"


def record_search(
    session: Session, user_id: int, request: SearchRequest, result_count: int, now: datetime
) -> int:
    """Record one executed search (or refresh the same one within 10 min); the entry id."""
    filters = request.filters_json()
    same = session.execute(
        select(SearchHistory.id)
        .where(
            SearchHistory.user_id == user_id,
            SearchHistory.query == request.text,
            SearchHistory.filters == filters,
            col(SearchHistory.searched_at) >= now - SAME_SEARCH_WINDOW,
        )
        .order_by(col(SearchHistory.searched_at).desc(), col(SearchHistory.id).desc())
        .limit(1)
        .with_for_update()
    ).scalar()
    if same is not None:
        session.execute(
            update(SearchHistory)
            .where(col(SearchHistory.id) == same)
            .values(searched_at=now, result_count=result_count, updated_at=now)
        )
        return same
    entry = SearchHistory(
        user_id=user_id,
        query=request.text,
        filters=filters,
        result_count=result_count,
        searched_at=now,
    )
    session.add(entry)
    session.flush()
    kept = (
        select(SearchHistory.id)
        .where(SearchHistory.user_id == user_id)
        .order_by(col(SearchHistory.searched_at).desc(), col(SearchHistory.id).desc())
        .limit(MAX_HISTORY_PER_USER)
    )
    session.execute(
        delete(SearchHistory).where(
            SearchHistory.user_id == user_id, col(SearchHistory.id).not_in(kept)
        )
    )
    return entry.id  # type: ignore[return-value]


MAX_OFFERED = 50  # suggestions a picked one was chosen from (autocomplete shows 8)


def record_pick(
    session: Session,
    *,
    actor: Viewer,
    text: object,
    offered: object,
    place_id: object = None,
    now: datetime,
) -> None:
    """A picked autocomplete suggestion (a place, city or person) is an executed search of
    the typed text (§4.10.8): one entry, its result count the suggestions offered, merged
    with the same search within 10 minutes. A picked place is the entry's opened result
    (`clicked_recommendation_id`). Picked recent searches and tags open /search, which
    records them itself.

    Raises:
        ValidationFailed: the text is not a valid query.
        NotFound: the picked place does not exist or is hidden from the actor.
    """
    owner = require_active_actor(session, actor)
    request = parse_request(text)
    if request.is_empty:
        return
    count = offered if isinstance(offered, int) and 0 <= offered <= MAX_OFFERED else 0
    place = None
    if place_id is not None:
        place = parse_id(place_id)
        if place is None or recommendation_visible(session, owner.user_id, place) is None:
            raise NotFound(NOT_FOUND_MESSAGE)
    entry = record_search(session, owner.user_id, request, count, now)
    if place is not None:
        session.execute(
            update(SearchHistory)
            .where(col(SearchHistory.id) == entry)
            .values(clicked_recommendation_id=place, updated_at=now)
        )


def recent_searches(
    session: Session, *, viewer: Viewer | None, prefix: str = "", limit: int = RECENT_SHOWN
) -> tuple[HistoryEntry, ...]:
    """The viewer's newest searches (optionally those whose query starts with `prefix`)."""
    actor = require_active_actor(session, viewer)
    return recent_searches_of(session, actor.user_id, prefix=prefix, limit=limit)


def recent_searches_of(
    session: Session, user_id: int, *, prefix: str = "", limit: int = RECENT_SHOWN
) -> tuple[HistoryEntry, ...]:
    """`recent_searches` for a caller that has just checked its viewer with
    `require_active_actor` (autocomplete: one standing read per keystroke, not two)."""
    query = select(SearchHistory).where(SearchHistory.user_id == user_id)
    if prefix:
        query = query.where(col(SearchHistory.query).ilike(f"{like_escape(prefix)}%", escape="\\"))
    rows = session.execute(
        query.order_by(col(SearchHistory.searched_at).desc(), col(SearchHistory.id).desc()).limit(
            max(1, min(limit, MAX_HISTORY_PER_USER))
        )
    ).scalars()
    return tuple(
        HistoryEntry(
            row.id,
            row.query,
            dict(row.filters),
            row.result_count,
            row.searched_at,
            _href(row.query, row.filters),
        )
        for row in rows
    )


def history_delete(session: Session, *, actor: Viewer, entry_id: object, now: datetime) -> None:
    """Delete one of the actor's history entries.

    Raises:
        NotFound: no such entry of the actor's (someone else's included).
    """
    owner = require_active_actor(session, actor)
    target = parse_id(entry_id)
    deleted = session.execute(
        delete(SearchHistory).where(
            col(SearchHistory.id) == target, SearchHistory.user_id == owner.user_id
        )
    )
    if target is None or deleted.rowcount == 0:
        raise NotFound(HISTORY_NOT_FOUND)


def history_clear(session: Session, *, actor: Viewer, now: datetime) -> int:
    """Delete all of the actor's search history; how many entries went."""
    owner = require_active_actor(session, actor)
    result = session.execute(delete(SearchHistory).where(SearchHistory.user_id == owner.user_id))
    return result.rowcount
