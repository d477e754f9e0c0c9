"""For You's pool (issue 11): the ranking's per-recommendation work, done by the job runner.

`feed_pool_refresh` (every minute, citypulse/jobs/schedule.py) keeps one row per active
recommendation of the last 90 days by an active author, with its author, category,
visibility, cities and 7-day T. A session's ranking (`pool_candidates`) then reads the
five sources as index ranges of this one table and scores its columns, the viewer's
buddies and blocks passed as arrays: ranking ~700 candidates with a primary-key probe,
the author, blocks, buddies, city links and trending probed per candidate was ~10 ms of
a first page at 1 M recommendations (docs/performance.md).

What the pool does not know yet is read live: the recommendations published since its
newest row (less `LIVE_MARGIN`, for transactions that committed after the refresh read),
filtered as the pool's rows are (`ranking.published_live`). The pool may be up to a
minute stale (a place made
private, an author suspended): every page of a session re-checks the one rule, so a
frozen list that is a superset only skips items when its pages are read.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import any_, func, select, text, true, union_all
from sqlmodel import Session, col

from citypulse.models import RecommendationCity
from citypulse.models.feed import FeedPoolEntry
from citypulse.services.feed.terms import (
    ViewerTerms,
    id_array,
    keys,
    seen_without_the_rule,
    written,
)

P = FeedPoolEntry
POOL_DAYS = 90  # as `ranking.RECENT_DAYS`: older places rank only when these are thin
LIVE_MARGIN = timedelta(minutes=2)

_AUTHOR_ACTIVE = (
    "JOIN users AS u ON u.id = r.author_id AND u.account_status = 'active'"
    " AND u.email_verified_at IS NOT NULL"
)
# What left the pool: too old, no longer active, or its author no longer active.
_DROP = text(
    "DELETE FROM feed_pool_entries AS p WHERE p.recommendation_created_at < :since OR NOT EXISTS ("
    f" SELECT 1 FROM recommendations AS r {_AUTHOR_ACTIVE}"
    " WHERE r.id = p.recommendation_id AND r.status = 'active')"
)
# The rest, written only where something changed (most rows keep their T for minutes).
_UPSERT = text(
    f"""
    INSERT INTO feed_pool_entries AS p (recommendation_id, author_id, category_id,
        recommendation_created_at, visibility, city_ids, trending)
    SELECT r.id, r.author_id, r.category_id, r.created_at, r.visibility,
           coalesce((SELECT array_agg(c.city_id ORDER BY c.city_id)
                     FROM recommendation_cities AS c WHERE c.recommendation_id = r.id), '{{}}'),
           coalesce(t.score, 0)
    FROM recommendations AS r {_AUTHOR_ACTIVE}
    LEFT JOIN trending_scores AS t ON t.window_days = 7 AND t.recommendation_id = r.id
    WHERE r.created_at >= :since AND r.status = 'active'
    ON CONFLICT (recommendation_id) DO UPDATE SET
        category_id = excluded.category_id, visibility = excluded.visibility,
        city_ids = excluded.city_ids, trending = excluded.trending, updated_at = now()
    WHERE (p.category_id, p.visibility, p.city_ids, p.trending)
        IS DISTINCT FROM
        (excluded.category_id, excluded.visibility, excluded.city_ids, excluded.trending)
    """
)


def feed_pool_refresh(session: Session, now: datetime) -> int:
    """Job-runner pass: bring the pool up to date as of `now`; returns the rows written
    (inserted, changed or dropped)."""
    since = now - timedelta(days=POOL_DAYS)
    dropped = session.execute(_DROP, {"since": since}).rowcount or 0
    return dropped + (session.execute(_UPSERT, {"since": since}).rowcount or 0)


def _rows() -> Any:
    """SELECT of what a ranking reads of pool rows (not the rows' own id and times)."""
    return select(
        P.recommendation_id, P.author_id, P.category_id, P.recommendation_created_at,
        P.visibility, P.city_ids, P.trending,
    )  # fmt: skip


def _newest(conditions: list[Any], limit: int) -> Any:
    return (
        _rows()
        .where(*conditions)
        .order_by(col(P.recommendation_created_at).desc(), col(P.recommendation_id).desc())
        .limit(written(limit))
    )


def _per_key(name: str, ids: list[int], match: Any, conditions: list[Any], limit: int) -> Any:
    """The newest `limit` rows over every key (buddy, category, city), each key read from
    its own index range (a LATERAL probe)."""
    key = keys(name, ids)
    latest = _newest([match(key.c.key), *conditions], limit).lateral()
    return (
        select(*latest.c)
        .select_from(key)
        .join(latest, true())
        .order_by(latest.c.recommendation_created_at.desc(), latest.c.recommendation_id.desc())
        .limit(written(limit))
    )


def _in_cities(city_ids: list[int], limit: int) -> Any:
    """SELECT of the newest `limit` recommendation ids linked to the cities, each city read
    from its own range of `ix_recommendation_cities_city_id_recommendation_id` (ids grow
    with time): a GIN index on the pool's `city_ids` gives no order, and its bitmaps of
    ~700 rows a busy city, sorted, took 15 ms of a 19 ms ranking. Older ids than the pool
    simply find no pool row."""
    rc = RecommendationCity
    key = keys("pool_cities", city_ids)
    latest = (
        select(rc.recommendation_id)
        .where(rc.city_id == key.c.key)
        .order_by(col(rc.recommendation_id).desc())
        .limit(written(limit))
        .lateral()
    )
    return (
        select(latest.c.recommendation_id)
        .select_from(key)
        .join(latest, true())
        .order_by(latest.c.recommendation_id.desc())
        .limit(written(limit))
    )


def pool_sources(
    viewer_id: int, terms: ViewerTerms, category_id: int | None, since: datetime, limit: int
) -> Any:
    """The five sources (each ≤ `limit` rows, an id may repeat) among pool rows the viewer
    may see: not their own, no block either way, public or a buddy's buddies-only."""
    buddies, blocked = id_array(terms.buddy_ids), id_array(terms.blocked_ids)
    conditions = [
        P.recommendation_created_at >= since,
        *seen_without_the_rule(viewer_id, P.author_id, P.visibility, buddies, blocked),
    ]
    if category_id is not None:
        conditions.append(P.category_id == category_id)
    trending = (
        _rows()
        .where(P.trending > written(0), *conditions)  # the partial index's predicate
        .order_by(
            col(P.trending).desc(),
            col(P.recommendation_created_at).desc(),
            col(P.recommendation_id).desc(),
        )
        .limit(written(limit))
    )
    # Every source, even over an empty list: one statement text for every viewer, so
    # psycopg prepares it (planning it took ~0.8 ms of each ranking).
    per_key = (  # each key read from its own index range
        ("pool_buddies", terms.buddy_ids, lambda key: P.author_id == key),
        ("pool_interests", terms.interest_ids, lambda key: P.category_id == key),
    )
    in_cities = col(P.recommendation_id).in_(_in_cities(terms.city_ids, limit))
    sources = [
        _newest(conditions, limit),
        trending,
        *(_per_key(name, ids, match, conditions, limit) for name, ids, match in per_key),
        _rows().where(in_cities, *conditions),
    ]
    # UNION ALL: the caller keeps one row per id; a UNION hashed every column (the city
    # arrays too) of ~850 rows.
    return union_all(*sources).subquery("pool")


def pool_candidates(
    viewer_id: int, terms: ViewerTerms, category_id: int | None, since: datetime, limit: int
) -> Any:
    """SELECT of the pool's candidates as `ranking.Candidate` columns (id, author, time,
    B, I, C, 7-day T), scored from the pool's columns alone."""
    pool = pool_sources(viewer_id, terms, category_id, since, limit)
    interests = id_array(terms.interest_ids)
    return select(
        pool.c.recommendation_id,
        pool.c.author_id,
        pool.c.recommendation_created_at,
        pool.c.author_id == any_(id_array(terms.buddy_ids)),
        pool.c.category_id == any_(interests),
        pool.c.city_ids.overlap(id_array(terms.city_ids)),
        pool.c.trending,
    )


def live_since(since: datetime) -> Any:
    """SQL: the time after which recommendations are read live: the pool's newest row
    less `LIVE_MARGIN` (everything since `since` while the pool is empty)."""
    newest = select(func.max(P.recommendation_created_at)).scalar_subquery()
    return func.coalesce(newest - LIVE_MARGIN, since)
