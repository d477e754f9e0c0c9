"""For You rankings computed ahead of the visit (issue 11, `feed_rankings`).

Ranking For You reads and scores ~1,000 candidates (`ranking.rank_for_you`): ~10 ms in
the database at 1 M recommendations, more than a whole page may take. So a viewer's
ranking is stored (`FeedRanking`), and a new session starts from it, stale while it is
revalidated:

- `stored_session_ids`: one statement reads the stored ranking, if it is under
  `RANKING_TTL` old and was made with the viewer's current terms (cities, interests,
  buddies, blocks: a change to any of them makes it unusable at once), together with
  what was published since (less `pool.LIVE_MARGIN`, for transactions that committed
  after the ranking read; the pool's rows, then live what the pool has not seen yet),
  visible to the viewer and scored on the stored terms. Those merge into the stored
  order by S as of the ranking's time (R above 1 for a place newer than it), then the
  author-run limit applies. Without a usable ranking, the session starts from a first
  look and the full ranking, stored for the next session, completes it
  (`feed.first_look`).
- `feed_rankings_refresh` (job runner, every minute): re-ranks the viewers with an open
  feed session (an unexpired feed snapshot) whose ranking is older than
  `REFRESH_AFTER`, so a refresh, the "N new posts" pill or another tab finds a current
  one; rankings past `RANKING_TTL` go.

So the first session of a visit starts from the last visit's ranking (places published
since merged in) and the next minute's pass ranks again. What a stored
ranking lags on is others' changes (engagement, a place made public), for at most its
age; every page re-checks the one visibility rule on what it shows, so a place that
became hidden, or an author who was suspended, is skipped, never shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Double,
    Integer,
    any_,
    bindparam,
    delete,
    func,
    literal_column,
    select,
    text,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col

from citypulse.models import FeedRanking, FeedSnapshot, Recommendation
from citypulse.models.feed import FeedPoolEntry, SnapshotTab
from citypulse.services.feed import ranking
from citypulse.services.feed.pool import LIVE_MARGIN
from citypulse.services.feed.terms import (
    ViewerTerms,
    array_value,
    seen_without_the_rule,
    terms_columns,
)
from citypulse.services.prepared import Prepared

# A week, the longest a visit can be away without signing in again unless remembered
# (~8 KB a ranking: a week's visitors, not every account). The places published since
# merge in, and the next job pass re-ranks an open list. A sign-in, and a remembered
# session's renewal without a ranking, rank ahead (`feed.ahead`); what is left (a change
# of the viewer's terms while the ranking made ahead still runs) starts from a first look
# (`feed.first_look`).
RANKING_TTL = timedelta(days=7)
REFRESH_AFTER = timedelta(minutes=5)
REFRESH_BATCH = 500  # viewers re-ranked per pass at most (the most stale first)
# Places published since a stored ranking that a session merges in, newest first: more
# than a 5-minute-old ranking ever meets; a day-old one merges the day's newest 100
# (0.5 ms less than 250 at p50), and the next pass's ranking has the rest.
MERGED_SINCE = 100
F = FeedRanking
P = FeedPoolEntry
R = Recommendation


def _published_since(ready: Any, viewer_id: Any, category: Any) -> Any:
    """SELECT of the places published since the stored ranking (less `LIVE_MARGIN`) as
    `ranking.Candidate` columns, scored on its terms: the pool's newest `MERGED_SINCE`
    (their cities and 7-day T are columns; the live read probes both per place, ~2 ms
    for a day's 250), then, live, the newest `MERGED_SINCE` the pool has not seen yet.
    An id may come from both."""
    since = select(ready.c.ranked_at).scalar_subquery() - LIVE_MARGIN
    stored_terms = (ready.c.buddy_ids, ready.c.blocked_ids)
    pooled = (
        select(
            P.recommendation_id, P.author_id, P.recommendation_created_at,
            P.author_id == any_(ready.c.buddy_ids), P.category_id == any_(ready.c.interest_ids),
            P.city_ids.overlap(ready.c.city_ids), P.trending,
        )
        .select_from(ready)
        .join(P, true())
        .where(
            P.recommendation_created_at > since,
            *([P.category_id == category] if category is not None else []),
            *seen_without_the_rule(viewer_id, P.author_id, P.visibility, *stored_terms),
        )
        .order_by(col(P.recommendation_created_at).desc(), col(P.recommendation_id).desc())
        .limit(MERGED_SINCE)
    )  # fmt: skip
    terms = (ready.c.city_ids, ready.c.interest_ids, *stored_terms)
    live = ranking.published_live(viewer_id, since, category, terms, MERGED_SINCE, ready)
    return union_all(pooled, live)


_TERMS = ("city_ids", "interest_ids", "buddy_ids", "blocked_ids")  # the row's first columns


def _ready_query(viewer_id: Any, chip: bool) -> Any:
    """SELECT of the viewer's terms (`ViewerTerms`' order), then the usable stored ranking
    (of every category, or of the `category_id` chip; NULLs: nothing usable) and, as one
    JSON array, the places published since it, scored on its terms. Those pass the checks
    a ranking makes before the rule (`seen_without_the_rule`), on the stored buddies and
    blocks, which the terms check has just shown to be current; every page applies the
    rule. Without a usable ranking, a first look ranks on the terms read here."""
    category = bindparam("category_id") if chip else None
    names = _TERMS
    terms = select(
        *(column.label(name) for column, name in zip(terms_columns(viewer_id), names, strict=True))
    ).cte("terms")
    ready = (
        select(
            F.ranked_at, F.item_ids, F.author_ids, F.scores, F.top_trending, F.interest_ids,
            F.city_ids, F.buddy_ids, F.blocked_ids,
        )
        .where(
            F.user_id == viewer_id,
            F.category_id == category if chip else col(F.category_id).is_(None),
            tuple_(*(F.__table__.c[name] for name in names))
            == tuple_(*(terms.c[name] for name in names)),
        )
        .cte("ready")
    )  # fmt: skip
    published = _published_since(ready, viewer_id, category).subquery("published")
    as_json = select(
        func.coalesce(
            func.json_agg(func.json_build_array(*published.c)), literal_column("'[]'::json")
        )
    ).scalar_subquery()
    return (
        select(
            *(terms.c[name] for name in names), ready.c.ranked_at, ready.c.item_ids,
            ready.c.author_ids, ready.c.scores, ready.c.top_trending, as_json,
        )
        .select_from(terms)
        .outerjoin(ready, true())
    )  # fmt: skip


# Compiled once per process (building this statement took longer than running it); one
# for every category, one for a chip.
_READY = {chip: Prepared(_ready_query(bindparam("viewer_id"), chip)) for chip in (False, True)}


def _fresh_candidates(rows: Any, known: set[int]) -> list[ranking.Candidate]:
    """The JSON rows of what was published since, less what the ranking already has."""
    decoded = json.loads(rows) if isinstance(rows, str) else rows
    found = {  # once each: the pool's rows and the live read overlap by `LIVE_MARGIN`
        rid: ranking.Candidate(rid, author, datetime.fromisoformat(at), buddy, interest, city, t)
        for rid, author, at, buddy, interest, city, t in decoded
        if rid not in known
    }
    return list(found.values())


def _merged(row: Any) -> list[int]:
    """The stored ranking with what was published since, as a session freezes it."""
    ranked_at, item_ids, author_ids, scores, top, published = row[len(_TERMS) :]
    stored = [ranking.Ranked(*item) for item in zip(item_ids, author_ids, scores, strict=True)]
    fresh = ranking.scored(_fresh_candidates(published, set(item_ids)), top, ranked_at)
    # A stable sort: the stored order holds among equal scores, and a newer place comes
    # first on a tie, as in a live ranking.
    return ranking.frozen_ids(sorted(fresh + stored, key=lambda item: item.score, reverse=True))


def ranking_store(
    session: Session,
    viewer_id: int,
    category_id: int | None,
    ranked: ranking.ForYouRanking,
    now: datetime,
) -> None:
    """Store (or replace) the viewer's For You ranking of `category_id` (None: every
    category) as of `now`."""
    terms = ranked.terms
    values = {
        "user_id": viewer_id, "category_id": category_id, "ranked_at": now,
        "item_ids": array_value([item.id for item in ranked.items], Integer),
        "author_ids": array_value([item.author_id for item in ranked.items], Integer),
        "scores": array_value([item.score for item in ranked.items], Double),
        "top_trending": ranked.top_trending,
        "city_ids": array_value(terms.city_ids, Integer),
        "interest_ids": array_value(terms.interest_ids, Integer),
        "buddy_ids": array_value(terms.buddy_ids, Integer),
        "blocked_ids": array_value(terms.blocked_ids, Integer),
    }  # fmt: skip
    statement = insert(F).values(**values)
    key = ("user_id", "category_id")
    updated = {name: statement.excluded[name] for name in values if name not in key}
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[F.user_id, F.category_id], set_={**updated, "updated_at": func.now()}
        )
    )


@dataclass(frozen=True)
class StoredRead:
    """The viewer's current terms and, from a usable stored ranking, the ids a new For
    You session freezes (None: no usable ranking)."""

    terms: ViewerTerms
    ids: list[int] | None


def stored_session_ids(
    session: Session, viewer_id: int, category_id: int | None, now: datetime
) -> StoredRead:
    """The ids a new For You session freezes (best first, ≤ 500), of every category and
    trips (`category_id` None) or of a chip's category, from the viewer's stored ranking
    with what was published since merged in; and the viewer's terms (one statement)."""
    chip = {"category_id": category_id} if category_id is not None else {}
    row = _READY[category_id is not None].run(session, viewer_id=viewer_id, **chip).one()
    terms = ViewerTerms(*(list(ids) for ids in row[: len(_TERMS)]))
    # Freshness is checked here, not in the statement: with the viewer the only parameter
    # PostgreSQL settles on one generic plan instead of planning each call (~1.3 ms).
    if row.ranked_at is not None and row.ranked_at > now - RANKING_TTL:
        return StoredRead(terms, _merged(row))
    return StoredRead(terms, None)


def feed_rankings_refresh(session: Session, now: datetime) -> int:
    """Job-runner pass: re-rank each viewer's For You list (every category, or a chip) that
    has an open feed session and whose stored ranking is missing or older than
    `REFRESH_AFTER` (at most `REFRESH_BATCH`, the most stale first); drop rankings past
    `RANKING_TTL`. Returns the rankings made."""
    session.execute(text(ranking.FEED_SETTINGS))
    session.execute(delete(F).where(F.ranked_at <= now - RANKING_TTL))
    s = FeedSnapshot
    lists = (
        select(s.user_id, s.category_id)
        .where(s.tab == SnapshotTab.for_you, s.expires_at > now)
        .distinct()
        .subquery("open_lists")
    )
    due = session.execute(
        select(lists.c.user_id, lists.c.category_id)
        .outerjoin(
            F, (F.user_id == lists.c.user_id)
            & F.category_id.is_not_distinct_from(lists.c.category_id),
        )
        .where(col(F.ranked_at).is_(None) | (F.ranked_at <= now - REFRESH_AFTER))
        .order_by(col(F.ranked_at).asc().nulls_first(), lists.c.user_id, lists.c.category_id)
        .limit(REFRESH_BATCH)
    ).all()  # fmt: skip
    for viewer_id, category_id in due:
        ranked = ranking.rank_for_you(session, viewer_id, category_id, now)
        ranking_store(session, viewer_id, category_id, ranked, now)
    return len(due)
