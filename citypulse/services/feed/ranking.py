"""For You and Trending rankings, computed once per feed session (PRODUCT.md §4.9.1).

For You score S = 3·B + 2·I + 1·C + 2·T̂ + R, for recommendations visible to the viewer
(the one rule, `recommendation_visible_to`), not their own:
- B = 1 if the author is a buddy; I = 1 if the category is among the viewer's interests;
- C = 1 if the recommendation is in a city the viewer visited or lives in (trip cities
  join once trips exist);
- T̂ = the 7-day trending score ÷ the maximum among the candidates;
- R = max(0, 1 − age_days / 30).
Trips (`feed.trips.for_you_trips`: buddies' and the viewer's, updated in the last 30
days) score 3 + R and are stored negated in the session (`feed.trips.as_item`).
Ties: newer, then higher id; then at most 2 consecutive items by one author while other
authors remain. Candidates are the last 90 days (older ones only while fewer than 20).

Bounded at any size: the candidates are the union of the newest `SOURCE_LIMIT` visible
recommendations of each term that can raise S (newest overall, by buddies, in the
interests, in the viewer's cities, and the 7-day trending top), each read in index order
and stopped at its limit, never a scan of every recommendation. Only that union (at most
5 × `SOURCE_LIMIT` rows) passes the visibility rule and is scored; the best
`SNAPSHOT_SIZE` are frozen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Integer, any_, false, func, literal, select, true, union
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session, col

from citypulse.models import CityVisit, Profile, Recommendation, RecommendationCity, UserInterest
from citypulse.models.enums import ContentStatus
from citypulse.models.feed import TrendingScore
from citypulse.services.feed.trips import as_item, for_you_trips
from citypulse.services.recommendations.visibility import recommendation_visible_to
from citypulse.services.social.graph import blocked_ids, buddy_ids

R = Recommendation
SNAPSHOT_SIZE = 500
SOURCE_LIMIT = 250  # per source; the union of 5 is ranked, its best 500 frozen
RECENT_DAYS = 90
MIN_RECENT = 20
RECENCY_DAYS = 30.0
MAX_RUN = 2  # consecutive items by one author
WEIGHT_BUDDY, WEIGHT_INTEREST, WEIGHT_CITY, WEIGHT_TRENDING = 3.0, 2.0, 1.0, 2.0
TRIP_BASE = 3.0  # a trip's score is 3 + R (§4.9.1)


@dataclass(frozen=True)
class Candidate:
    """What scoring needs to know about one recommendation."""

    id: int
    author_id: int
    created_at: datetime
    buddy: bool
    interest: bool
    city: bool
    trending: float


def others_in_category(viewer_id: int, category_id: int | None) -> list[ColumnElement[bool]]:
    """Not the viewer's own, and in the chip's category (None: any)."""
    conditions = [R.author_id != viewer_id]
    if category_id is not None:
        conditions.append(R.category_id == category_id)
    return conditions


def candidate_filter(viewer_id: int, category_id: int | None) -> list[ColumnElement[bool]]:
    """Every feed list's conditions: visible to the viewer (the one rule), plus the above."""
    return [recommendation_visible_to(viewer_id), *others_in_category(viewer_id, category_id)]


@dataclass(frozen=True)
class ViewerTerms:
    """What personalises For You: the cities of C and the categories of I."""

    city_ids: list[int]
    interest_ids: list[int]


def viewer_terms(session: Session, viewer_id: int) -> ViewerTerms:
    """The cities of C (visited, and the current city; trip cities join with trips) and
    the interests of I, in one statement."""
    visited = select(literal("city").label("kind"), CityVisit.city_id.label("key")).where(
        CityVisit.user_id == viewer_id
    )
    current = select(literal("city"), Profile.current_city_id).where(
        Profile.user_id == viewer_id, col(Profile.current_city_id).is_not(None)
    )
    interests = select(literal("interest"), UserInterest.category_id).where(
        UserInterest.user_id == viewer_id
    )
    rows = session.execute(union(visited, current, interests)).all()
    return ViewerTerms(
        sorted({key for kind, key in rows if kind == "city"}),
        sorted({key for kind, key in rows if kind == "interest"}),
    )


def _id_array(ids: list[int]) -> Any:
    """One array parameter: the statement's text is the same however many ids (a VALUES
    or IN list per count would be a new statement for psycopg to prepare)."""
    return literal(ids, ARRAY(Integer))


def _keys(name: str, ids: list[int]) -> Any:
    """The ids as rows (column `key`) to drive a per-key LATERAL read."""
    return func.unnest(_id_array(ids)).table_valued("key").render_derived(name=name)


def _in_cities(city_ids: list[int]) -> ColumnElement[bool]:
    """SQL: the recommendation is in one of the cities (a probe of its own city links:
    a subquery over the cities' links was hashed, 26 k rows for two busy cities)."""
    if not city_ids:
        return false()
    return (
        select(RecommendationCity.id)
        .where(
            RecommendationCity.recommendation_id == R.id,
            RecommendationCity.city_id == any_(_id_array(city_ids)),
        )
        .exists()
    )


def _newest(conditions: list[Any], limit: int = SOURCE_LIMIT) -> Any:
    return (
        select(R.id)
        .where(*conditions)
        .order_by(col(R.created_at).desc(), col(R.id).desc())
        .limit(limit)
    )


def _per_key(keys: Any, match: Any, conditions: list[Any], order: list[Any]) -> Any:
    """The newest `SOURCE_LIMIT` ids over every key (buddy, city), each key read from its
    own index range (a LATERAL probe), never a walk of everyone's newest."""
    latest = (
        select(R.id.label("id"), R.created_at.label("created_at"))
        .where(match, *conditions)
        .order_by(*order)
        .limit(SOURCE_LIMIT)
        .lateral()
    )
    return (
        select(latest.c.id)
        .select_from(keys)
        .join(latest, true())
        .order_by(latest.c.created_at.desc(), latest.c.id.desc())
        .limit(SOURCE_LIMIT)
    )


def _sources(viewer_id: int, terms: ViewerTerms, base: list[Any], since: datetime | None) -> Any:
    recent = [*base] if since is None else [*base, R.created_at >= since]
    # Checked on the ranking's own column first: old trending places cost no join probe.
    trending_since = [] if since is None else [TrendingScore.recommendation_created_at >= since]
    newest = [col(R.created_at).desc(), col(R.id).desc()]
    buddies = buddy_ids(viewer_id).subquery("source_buddies")
    trending = (
        select(TrendingScore.recommendation_id.label("id"))
        .join(R, R.id == TrendingScore.recommendation_id)
        .where(TrendingScore.window_days == 7, *recent, *trending_since)
        .order_by(
            col(TrendingScore.score).desc(),
            col(TrendingScore.recommendation_created_at).desc(),
            col(TrendingScore.recommendation_id).desc(),
        )
        .limit(SOURCE_LIMIT)
    )
    sources = [
        _newest(recent),
        _per_key(buddies, R.author_id == buddies.c.user_id, recent, newest),
        trending,
    ]
    if terms.interest_ids:
        # Each interest read from its own range of
        # `ix_recommendations_category_id_created_at_id`: an `IN (interests)` filter on
        # the walk of everyone's newest read all 123 k rows of the 90 days (42 ms) when
        # the interests had no recent places, and a viewer without interests paid the
        # same walk for nothing.
        interests = _keys("source_interests", terms.interest_ids)
        sources.append(_per_key(interests, R.category_id == interests.c.key, recent, newest))
    if terms.city_ids:
        cities = _keys("source_cities", terms.city_ids)
        by_city = (
            select(R.id.label("id"), R.created_at.label("created_at"))
            .join(RecommendationCity, RecommendationCity.recommendation_id == R.id)
            .where(RecommendationCity.city_id == cities.c.key, *recent)
            # (city_id, recommendation_id) index order: ids grow with time, newest first.
            .order_by(col(RecommendationCity.recommendation_id).desc())
            .limit(SOURCE_LIMIT)
            .lateral("by_city")
        )
        sources.append(
            select(by_city.c.id).select_from(cities).join(by_city, true()).limit(SOURCE_LIMIT)
        )
    return union(*sources).subquery("candidates")


def _candidates(session: Session, viewer_id: int, terms: ViewerTerms, ids: Any) -> list[Candidate]:
    buddies = buddy_ids(viewer_id).subquery("buddies")
    interests = terms.interest_ids
    interest = R.category_id == any_(_id_array(interests)) if interests else false()
    trend = (
        select(TrendingScore.score)
        .where(TrendingScore.window_days == 7, TrendingScore.recommendation_id == R.id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            R.id,
            R.author_id,
            R.created_at,
            select(buddies.c.user_id).where(buddies.c.user_id == R.author_id).exists(),
            interest,
            _in_cities(terms.city_ids),
            func.coalesce(trend, 0.0),
        ).where(col(R.id).in_(select(ids.c.id)), recommendation_visible_to(viewer_id))
    ).all()
    return [Candidate(*row) for row in rows]


def _recency(at: datetime, now: datetime) -> float:
    """R = max(0, 1 − age_days / 30)."""
    return max(0.0, 1.0 - (now - at).total_seconds() / 86400 / RECENCY_DAYS)


def _score(item: Candidate, top_trending: float, now: datetime) -> float:
    return (
        WEIGHT_BUDDY * item.buddy
        + WEIGHT_INTEREST * item.interest
        + WEIGHT_CITY * item.city
        + WEIGHT_TRENDING * (item.trending / top_trending if top_trending > 0 else 0.0)
        + _recency(item.created_at, now)
    )


def _trip_entries(session: Session, viewer_id: int, now: datetime) -> list[tuple]:
    """For You's trips as (score, time, item id, candidate): 3 + R from the last update;
    the owner counts as the author for the run limit."""
    entries = []
    for trip in for_you_trips(session, viewer_id, now):
        item = as_item(trip.id)
        candidate = Candidate(item, trip.owner_id, trip.updated_at, False, False, False, 0.0)
        entries.append((TRIP_BASE + _recency(trip.updated_at, now), trip.updated_at, item,
                        candidate))  # fmt: skip
    return entries


def limit_author_runs(items: list[Candidate], max_run: int = MAX_RUN) -> list[Candidate]:
    """Reorder so no author has more than `max_run` items in a row while others remain.

    Greedy and stable: at each place the best remaining item whose author would not
    exceed the run; only when every remaining item is by that author do they follow.
    """
    remaining, ordered = list(items), []
    while remaining:
        tail = ordered[-max_run:]
        full_run = len(tail) == max_run and len({item.author_id for item in tail}) == 1
        barred = tail[0].author_id if full_run else None
        pick = next((i for i, item in enumerate(remaining) if item.author_id != barred), 0)
        ordered.append(remaining.pop(pick))
    return ordered


def for_you_ids(
    session: Session, viewer_id: int, category_id: int | None, now: datetime
) -> list[int]:
    """The frozen For You ranking: up to `SNAPSHOT_SIZE` recommendation ids, best first."""
    # The sources read index ranges with cheap row conditions only; the visibility rule
    # runs once, on their union (≤ 5 × SOURCE_LIMIT rows): inside each source PostgreSQL
    # hashed every active user for the author check (30 ms a source at 100 k users).
    base = [R.status == ContentStatus.active, *others_in_category(viewer_id, category_id)]
    terms = viewer_terms(session, viewer_id)
    since = now - timedelta(days=RECENT_DAYS)
    recent = _candidates(session, viewer_id, terms, _sources(viewer_id, terms, base, since))
    if len(recent) < MIN_RECENT:  # older ones join only when the last 90 days are thin
        recent = _candidates(session, viewer_id, terms, _sources(viewer_id, terms, base, None))
    top = max((item.trending for item in recent), default=0.0)
    entries = [(_score(c, top, now), c.created_at, c.id, c) for c in recent]
    if category_id is None:  # a category chip hides trips (§4.9.4)
        entries += _trip_entries(session, viewer_id, now)
    ranked = [entry[3] for entry in sorted(entries, key=lambda e: e[:3], reverse=True)]
    return [item.id for item in limit_author_runs(ranked)[:SNAPSHOT_SIZE]]


def trending_ids(
    session: Session, viewer_id: int, window_days: int, category_id: int | None
) -> list[int]:
    """The frozen Trending ranking: public recommendations by T, created_at, id (desc).

    Read from `trending_scores` alone (public, active places of active authors at the
    last refresh), less the viewer's own and authors blocked either way (the viewer's
    blocks hashed once, not a probe per row): a probe of the recommendation with the
    visibility rule per row was most of a first page. Each page of the session applies
    the one rule (`_slice_page`), so what changed since the refresh is skipped there.
    """
    t = TrendingScore
    conditions = [
        t.window_days == window_days,
        t.author_id != viewer_id,
        col(t.author_id).not_in(blocked_ids(viewer_id)),
    ]
    if category_id is not None:
        conditions.append(t.category_id == category_id)
    rows = session.execute(
        select(t.recommendation_id)
        .where(*conditions)
        .order_by(
            col(TrendingScore.score).desc(),
            col(TrendingScore.recommendation_created_at).desc(),
            col(TrendingScore.recommendation_id).desc(),
        )
        .limit(SNAPSHOT_SIZE)
    ).scalars()
    return list(rows)


def newer_than(viewer_id: int, since: datetime, buddies_only: bool) -> list[Any]:
    """Conditions of recommendations published after `since` that this list would show."""
    conditions: list[Any] = [R.created_at > since]
    if buddies_only:
        conditions.append(col(R.author_id).in_(buddy_ids(viewer_id)))
    return conditions
