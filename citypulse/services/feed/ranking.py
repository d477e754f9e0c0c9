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
5 × `SOURCE_LIMIT` rows) is scored; the best `SNAPSHOT_SIZE` are frozen. The last 90
days are read from For You's pool (`feed.pool`: the sources' rows with what scoring
needs, kept by the job runner) plus, live and filtered as the pool is, what was
published since its refresh (`published_live`); only a viewer with fewer than
`MIN_RECENT` of those is ranked over every recommendation (`_sources`, the rule per
candidate). Every page of a session applies the one rule to what it shows.

A session without a chip usually starts from the viewer's ranking stored ahead of it
(`feed.ready`), with what was published since merged in; this module ranks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, any_, func, select, true, union, union_all
from sqlmodel import Session, col

from citypulse.models import Recommendation, RecommendationCity
from citypulse.models.enums import ContentStatus
from citypulse.models.feed import TrendingScore
from citypulse.services.feed.pool import live_since, pool_candidates
from citypulse.services.feed.terms import (
    ViewerTerms,
    id_array,
    keys,
    seen_without_the_rule,
    viewer_terms,
    written,
)
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
# The visibility rule's ORs inflate estimated costs past jit_above_cost: JIT then spent
# 1.3 s compiling a For You ranking that runs in tens of ms (bench.feed, 1 M rows), as
# search measured before (services/search/places.py). The bounded reads are too small
# for parallel workers to pay for starting. Run first in every feed transaction.
FEED_SETTINGS = "SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0"
# For You's sessions read a stored ranking (`feed.ready`) and cards by id: plans that
# do not depend on the values. PostgreSQL still re-planned the ranking read and the
# session's insert at every call (its generic estimates came out higher: ~1.3 ms and
# ~0.5 ms of planning each time), so these use one generic plan per connection. A live
# ranking goes back to the default (`GENERIC_OFF`): its plans do depend on the viewer.
GENERIC_SETTINGS = f"{FEED_SETTINGS}; SET LOCAL plan_cache_mode = force_generic_plan"
GENERIC_OFF = "SET LOCAL plan_cache_mode = DEFAULT"


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


def in_cities(city_ids: Any, recommendation_id: Any = R.id) -> ColumnElement[bool]:
    """SQL: the recommendation is in one of the cities (an SQL array; a probe of its own
    city links: a subquery over the cities' links was hashed, 26 k rows for two busy
    cities). Also for no cities: the statement's text stays the same, so it is prepared."""
    return (
        select(RecommendationCity.id)
        .where(
            RecommendationCity.recommendation_id == recommendation_id,
            RecommendationCity.city_id == any_(city_ids),
        )
        .exists()
    )


def newest_ids(conditions: list[Any], limit: int = SOURCE_LIMIT) -> Any:
    """SELECT of the newest `limit` recommendation ids matching `conditions`."""
    return (
        select(R.id)
        .where(*conditions)
        .order_by(col(R.created_at).desc(), col(R.id).desc())
        .limit(written(limit))
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


def _sources(viewer_id: int, terms: ViewerTerms, base: list[Any]) -> Any:
    """The five sources over every recommendation, for a viewer whose last 90 days (the
    pool and the live newest) give fewer than `MIN_RECENT` candidates."""
    newest = [col(R.created_at).desc(), col(R.id).desc()]
    buddies = buddy_ids(viewer_id).subquery("source_buddies")
    trending = (
        select(TrendingScore.recommendation_id.label("id"))
        .join(R, R.id == TrendingScore.recommendation_id)
        .where(TrendingScore.window_days == 7, *base)
        .order_by(
            col(TrendingScore.score).desc(),
            col(TrendingScore.recommendation_created_at).desc(),
            col(TrendingScore.recommendation_id).desc(),
        )
        .limit(SOURCE_LIMIT)
    )
    sources = [
        newest_ids(base),
        _per_key(buddies, R.author_id == buddies.c.user_id, base, newest),
        trending,
    ]
    if terms.interest_ids:
        # Each interest read from its own range of
        # `ix_recommendations_category_id_created_at_id`: an `IN (interests)` filter on
        # the walk of everyone's newest read all 123 k rows of the 90 days (42 ms) when
        # the interests had no recent places, and a viewer without interests paid the
        # same walk for nothing.
        interests = keys("source_interests", terms.interest_ids)
        sources.append(_per_key(interests, R.category_id == interests.c.key, base, newest))
    if terms.city_ids:
        cities = keys("source_cities", terms.city_ids)
        by_city = (
            select(R.id.label("id"), R.created_at.label("created_at"))
            .join(RecommendationCity, RecommendationCity.recommendation_id == R.id)
            .where(RecommendationCity.city_id == cities.c.key, *base)
            # (city_id, recommendation_id) index order: ids grow with time, newest first.
            .order_by(col(RecommendationCity.recommendation_id).desc())
            .limit(SOURCE_LIMIT)
            .lateral("by_city")
        )
        sources.append(
            select(by_city.c.id).select_from(cities).join(by_city, true()).limit(SOURCE_LIMIT)
        )
    return union(*sources).subquery("candidates")


def seven_day_trending(recommendation_id: Any = R.id) -> Any:
    """SQL: the recommendation's 7-day T (0 when it is not in `trending_scores`)."""
    score = (
        select(TrendingScore.score)
        .where(TrendingScore.window_days == 7, TrendingScore.recommendation_id == recommendation_id)
        .scalar_subquery()
    )
    return func.coalesce(score, 0.0)


def published_live(
    viewer_id: Any,
    after: Any,
    category_id: Any,
    terms: tuple[Any, Any, Any, Any],
    limit: int,
    source: Any = None,
) -> Any:
    """SELECT of the newest `limit` active recommendations published after `after` and
    after what the pool holds (`pool.live_since`), as `Candidate` columns, filtered as the
    pool's rows are (`seen_without_the_rule`; every page applies the one rule): what a
    ranking reads live. `terms` are SQL arrays in `ViewerTerms`' order: parameters, or
    the columns of `source`, a one-row FROM (a stored ranking: `feed.ready`);
    `category_id` None: any category. The rule per candidate (its author, blocks and
    buddies probed) cost a first look 0.5 ms for 20 such places."""
    cities, interests, buddies, blocked = terms
    newest = select(
        R.id, R.author_id, R.created_at, (R.author_id == any_(buddies)).label("buddy"),
        (R.category_id == any_(interests)).label("interest"), cities.label("city_ids"),
    )  # fmt: skip
    if source is not None:
        newest = newest.select_from(source).join(R, true())
    newest = (
        newest.where(
            # The bound as a value (an InitPlan), so the index range starts there: as a
            # join condition the newest-first walk read every older place (688 ms).
            R.created_at > func.greatest(after, live_since(after)),
            R.status == ContentStatus.active,
            *([R.category_id == category_id] if category_id is not None else []),
            *seen_without_the_rule(viewer_id, R.author_id, R.visibility, buddies, blocked),
        )
        .order_by(col(R.created_at).desc(), col(R.id).desc())
        .limit(written(limit))
        .subquery("published_live")
    )
    # C and T probed per row of that page only: in the same SELECT as the walk, a
    # generic plan hashed every link of the viewer's cities (28 k rows, 5 ms).
    return select(
        newest.c.id, newest.c.author_id, newest.c.created_at, newest.c.buddy,
        newest.c.interest, in_cities(newest.c.city_ids, newest.c.id),
        seven_day_trending(newest.c.id),
    )  # fmt: skip


def candidate_select(viewer_id: int, interest_ids: Any, city_ids: Any, ids: Any) -> Any:
    """SELECT of `Candidate` columns for the ids of `ids` the viewer may see (the one rule
    and a probe per term for each); `interest_ids` and `city_ids` are SQL arrays (the
    viewer's terms as parameters, or as stored with a ranking: `feed.ready`)."""
    buddies = buddy_ids(viewer_id).subquery("buddies")
    return select(
        R.id,
        R.author_id,
        R.created_at,
        select(buddies.c.user_id).where(buddies.c.user_id == R.author_id).exists(),
        R.category_id == any_(interest_ids),
        in_cities(city_ids),
        seven_day_trending(),
    ).where(col(R.id).in_(select(ids.c.id)), recommendation_visible_to(viewer_id))


def _candidates(session: Session, statement: Any) -> list[Candidate]:
    """The candidates of `statement`, once each (the pool's sources overlap, and the live
    read may have a place published around the last refresh)."""
    found = {row[0]: Candidate(*row) for row in session.execute(statement).all()}
    return list(found.values())


def _recency(at: datetime, now: datetime) -> float:
    """R = max(0, 1 − age_days / 30) (above 1 for a place newer than `now`: `feed.ready`
    scores places published after a stored ranking as of its time)."""
    return max(0.0, 1.0 - (now - at).total_seconds() / 86400 / RECENCY_DAYS)


@dataclass(frozen=True)
class Ranked:
    """One ranked item: its id (a trip's negated, `trips.as_item`), its author (a trip's
    owner: the run limit) and its score S."""

    id: int
    author_id: int
    score: float


def scored(items: list[Candidate], top_trending: float, now: datetime) -> list[Ranked]:
    """The candidates with S as of `now`, best first (ties: newer, then higher id); a trip
    (a negated id) scores 3 + R."""
    normalised = top_trending if top_trending > 0 else 1.0
    entries = [
        (
            (TRIP_BASE if item.id < 0 else 0.0)
            + WEIGHT_BUDDY * item.buddy
            + WEIGHT_INTEREST * item.interest
            + WEIGHT_CITY * item.city
            + WEIGHT_TRENDING * item.trending / normalised
            + _recency(item.created_at, now),
            item.created_at,
            item.id,
            item.author_id,
        )
        for item in items
    ]
    entries.sort(reverse=True)
    return [Ranked(item_id, author_id, score) for score, _, item_id, author_id in entries]


def _trip_candidates(session: Session, viewer_id: int, now: datetime) -> list[Candidate]:
    """For You's trips as candidates (no term, no T: `scored` gives 3 + R from their last
    update); the owner counts as the author for the run limit."""
    return [
        Candidate(as_item(trip.id), trip.owner_id, trip.updated_at, False, False, False, 0.0)
        for trip in for_you_trips(session, viewer_id, now)
    ]


def limit_author_runs(
    items: list[Ranked], max_run: int = MAX_RUN, before: Sequence[int | None] = ()
) -> list[Ranked]:
    """Reorder so no author has more than `max_run` items in a row while others remain,
    counting on from `before` (the authors of what precedes the items, in order; None
    for one not known).

    Greedy and stable: at each place the best remaining item whose author would not
    exceed the run; only when every remaining item is by that author do they follow.
    """
    remaining, ordered = list(items), []
    authors = list(before[-max_run:])
    while remaining:
        tail = authors[-max_run:]
        full_run = len(tail) == max_run and len(set(tail)) == 1
        barred = tail[0] if full_run else None
        pick = next((i for i, item in enumerate(remaining) if item.author_id != barred), 0)
        ordered.append(remaining.pop(pick))
        authors.append(ordered[-1].author_id)
    return ordered


@dataclass(frozen=True)
class ForYouRanking:
    """A viewer's For You ranking: the best `SNAPSHOT_SIZE` items by S, best first (before
    the author-run limit); the top 7-day T that normalised T̂; the terms it used. `whole`
    is False for a ranking of fewer candidates than a full one (`source_limit`) that some
    source had more of: the full ranking may differ."""

    items: list[Ranked]
    top_trending: float
    terms: ViewerTerms
    whole: bool = True

    def ids(self) -> list[int]:
        """What a feed session freezes: the items with the run limit applied."""
        return frozen_ids(self.items)


def frozen_ids(items: list[Ranked], before: Sequence[int | None] = ()) -> list[int]:
    """The ids a feed session freezes from items best first, behind what it holds already
    (`before`: those items' authors): runs limited across both, at most 500 in all."""
    limited = limit_author_runs(items, before=before)
    return [item.id for item in limited[: SNAPSHOT_SIZE - len(before)]]


def rank_for_you(
    session: Session,
    viewer_id: int,
    category_id: int | None,
    now: datetime,
    source_limit: int = SOURCE_LIMIT,
    terms: ViewerTerms | None = None,
) -> ForYouRanking:
    """Rank For You now (the chip's category, or None for every category and trips), over
    the newest `source_limit` candidates of each source (fewer: a first look,
    `feed.first_look`), on the viewer's `terms` (read here unless given)."""
    # The sources read index ranges with cheap row conditions only; the visibility rule
    # runs once, on their union (≤ 5 × SOURCE_LIMIT rows): inside each source PostgreSQL
    # hashed every active user for the author check (30 ms a source at 100 k users).
    base = [R.status == ContentStatus.active, *others_in_category(viewer_id, category_id)]
    terms = terms or viewer_terms(session, viewer_id)
    listed = (terms.city_ids, terms.interest_ids, terms.buddy_ids, terms.blocked_ids)
    arrays = tuple(id_array(ids) for ids in listed)
    since = now - timedelta(days=RECENT_DAYS)
    # The last 90 days: the pool's sources, plus what was published since its refresh,
    # read live (the newest `source_limit`), in one statement.
    fresh = published_live(viewer_id, since, category_id, arrays, source_limit)
    pooled = pool_candidates(viewer_id, terms, category_id, since, source_limit)
    recent = _candidates(session, union_all(pooled, fresh))
    # Fewer distinct candidates than one source's limit: no source was cut short.
    whole = source_limit >= SOURCE_LIMIT or len(recent) < source_limit
    if len(recent) < MIN_RECENT:  # older ones join only when the last 90 days are thin
        older = _sources(viewer_id, terms, base)
        cities, interests = arrays[:2]
        recent = _candidates(session, candidate_select(viewer_id, interests, cities, older))
        whole = True
    # Nothing published after `now`: the "new posts" pill counts that (a session's list
    # completed after it began is ranked as of its start, `first_look.complete`).
    recent = [item for item in recent if item.created_at <= now]
    top = max((item.trending for item in recent), default=0.0)
    if category_id is None:  # a category chip hides trips (§4.9.4)
        recent += _trip_candidates(session, viewer_id, now)
    return ForYouRanking(scored(recent, top, now)[:SNAPSHOT_SIZE], top, terms, whole)


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
