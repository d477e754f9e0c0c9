"""Places search: recommendations by text, filters and distance, bounded (§4.10, issue 11).

The plan never ranks every match of a common term, and never applies the visibility rule
to more than a bounded set. A search runs in two steps:

1. The window (a materialised CTE): at most `WINDOW` active matches read in an indexed
   order — the newest first, or the nearest first when "near" is set
   (`nearby.near_window`); filters alone with a category walk the covering
   `ix_recommendations_active_category_id_created_at_id`. Text without "near"
   (`_text_window`): a probe walks the newest `PROBE_ROWS` active rows until it finds
   `FREQUENT` matches. A frequent word's window is its newest matches (at most `WINDOW`)
   among the newest `RECENT_ROWS` active rows: a walk of
   `ix_recommendations_active_created_at_id` that never reads more rows than that,
   however few of them match. A rarer word's is its newest `WINDOW` matches overall
   (PostgreSQL reads the GIN index of `search_vector` and sorts them: all of a rare
   word's matches, exact). Either way the filters apply to the window. Without text (or
   near a point) the filters choose the window's rows. The window carries the columns
   step 2 reads, so no match is read twice.
2. The candidates: the window's rows (filtered first, when the filters apply to it) kept
   when the viewer may see them (`recommendation_visible_to` over many rows: the viewer's
   blocks and buddies hashed once, one `pk_users` probe per row, never a hash of every
   user), then ordered by the requested sort with keyset cursors. A full window, or a
   frequent word's walk that stopped at `RECENT_ROWS` rows, means older (farther)
   matches were not read: the count then shows as "N+" (`capped`).

Matching: the query's words, stemmed and accent-insensitive (`TS_CONFIG`), all required,
the last one also as a prefix ("cof" finds coffee); special characters are never syntax.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Float,
    and_,
    cast,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from citypulse.models import TS_CONFIG, Photo, Recommendation, RecommendationCity
from citypulse.models.enums import ContentStatus
from citypulse.services.recommendations.queries import (
    RecommendationCard,
    card_query,
    cards,
)
from citypulse.services.recommendations.visibility import recommendation_visible_to
from citypulse.services.search.keys import after, decode_keys, encode_keys
from citypulse.services.search.nearby import as_float, near_point, near_window
from citypulse.services.search.request import PRICE_TOP, SearchRequest

R = Recommendation
WINDOW = 1000  # matches read in index order, then the filters and the visibility rule
# A word's newest WINDOW matches cost WINDOW / f rows walked newest-first (f: the share of
# rows it matches) or f * N through the GIN index (every match read, then sorted); between
# the two (f around 1-6 %: "kitch" walked 20k rows) both were slow. A word with FREQUENT
# matches among the newest PROBE_ROWS rows (f >= 0.5 %) is read from the newest
# RECENT_ROWS rows only; a rarer one through the GIN index (at most 0.5 % of the rows).
PROBE_ROWS = 1000
FREQUENT = 5
RECENT_ROWS = 10_000
# plan_cache_mode: the app's pooled connections keep psycopg's prepared statements (it
# prepares a statement on its 6th execution), and after 5 custom plans PostgreSQL may
# switch to one generic plan that cannot see the terms' selectivity: "coffee" then took
# 0.9-1.5 s instead of 20-50 ms (bench.search, 1 M rows). A custom plan per call.
SEARCH_SETTINGS = (
    "SET LOCAL jit = off; SET LOCAL random_page_cost = 1.1; "
    "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL plan_cache_mode = force_custom_plan"
)
# What step 2 reads of a window row: the visibility rule, the filters, the sorts.
_CARRIED = (
    "id", "author_id", "visibility", "status", "created_at", "category_id", "difficulty",
    "price_min", "price_max", "rating_avg", "ratings_count", "likes_count", "saves_count",
    "views_count",
)  # fmt: skip
_CONFIG = literal_column(f"'{TS_CONFIG}'::regconfig")
_UNPRICED_LOW, _UNPRICED_HIGH = 1e9, -1.0  # unpriced recommendations sort last


@dataclass(frozen=True)
class PlaceResult:
    """One recommendation found; `distance_km` is set when the search is "near"."""

    card: RecommendationCard
    distance_km: float | None


@dataclass(frozen=True)
class PlacePage:
    """A page of places; `total` counts the candidate set (`capped`: there may be more)."""

    items: tuple[PlaceResult, ...]
    next_cursor: str | None
    total: int
    capped: bool


def ts_query(words: tuple[str, ...]) -> Any:
    """The tsquery of the words: all required, the last also a prefix (None: no words).

    The words come from `SearchRequest.words` (only letters, digits and underscores), so
    nothing the user typed is tsquery syntax.
    """
    if not words:
        return None
    return func.to_tsquery(_CONFIG, literal(" & ".join([*words[:-1], f"{words[-1]}:*"])))


def _filters(request: SearchRequest, rec: Any = R) -> list[Any]:
    """The filters as conditions on `rec` (the table, or the window's rows)."""
    conditions: list[Any] = []
    if request.categories:
        conditions.append(rec.category_id.in_(request.categories))
    if request.cities:
        conditions.append(
            rec.id.in_(
                select(RecommendationCity.recommendation_id).where(
                    col(RecommendationCity.city_id).in_(request.cities)
                )
            )
        )
    if request.difficulty:
        conditions.append(rec.difficulty.in_(request.difficulty))
    if request.price is not None:
        low, high = request.price
        conditions += [rec.price_min.is_not(None), rec.price_max >= low]
        if high < PRICE_TOP:  # 1000 is "1000+": no upper end
            conditions.append(rec.price_min <= high)
    if request.min_rating is not None:
        conditions += [rec.ratings_count > 0, rec.rating_avg >= request.min_rating]
    if request.has_photos:  # a probe per row (LIMIT: never a semi-join hashing every photo)
        first_photo = select(Photo.id).where(Photo.recommendation_id == rec.id).limit(1)
        conditions.append(first_photo.scalar_subquery().is_not(None))
    return conditions


def _sort_keys(request: SearchRequest, c: Any, tsq: Any) -> list[Any]:
    """The order's keys, all descending (ascending ones negated), before the id."""
    recent = c.created
    popular = c.popularity
    by_sort = {
        "recent": [recent],
        "rating": [c.rating, c.ratings_count],
        "popular": [popular, recent],
        "price_low": [-func.coalesce(c.price_low, _UNPRICED_LOW)],
        "price_high": [func.coalesce(c.price_high, _UNPRICED_HIGH)],
    }
    if request.sort in by_sort:
        return by_sort[request.sort]
    if request.sort == "distance" or (tsq is None and request.near is not None):
        return [-c.distance]
    if tsq is not None:  # relevance: text rank, then newest
        return [as_float(func.ts_rank(c.search_vector, tsq)), recent]
    return [popular, recent]  # relevance of filters alone: the most engaged first


def _newest_by_category(request: SearchRequest, carried: list[Any], size: int) -> Any:
    """Filters alone, with a category: the newest matches' ids from the covering index
    `ix_recommendations_active_category_id_created_at_id` (alembic 0014: the filters are
    checked on its entries, no heap read per row walked), then those rows by primary key."""
    walk = aliased(R)
    newest = (
        select(walk.id)
        .where(walk.status == ContentStatus.active, *_filters(request, walk))
        .order_by(walk.created_at.desc(), walk.id.desc())
        .limit(size)
    )
    return select(*carried, cast(null(), Float).label("distance")).where(col(R.id).in_(newest))


def _window(request: SearchRequest, tsq: Any, point: tuple[float, float] | None, size: int) -> Any:
    """Step 1: at most `size` active matches, newest or nearest first, with the columns
    step 2 reads (`_CARRIED`, the text's `search_vector`, the distance): the walk reads
    each row's heap tuple anyway, so step 2 never reads a match again by primary key."""
    carried = [getattr(R, name) for name in _CARRIED]
    if tsq is None and point is None and request.categories:
        return _newest_by_category(request, carried, size).cte("window").prefix_with("MATERIALIZED")
    if tsq is not None and point is None:
        return _text_window(tsq, [*carried, R.search_vector], size)
    conditions: list[Any] = [R.status == ContentStatus.active]
    if tsq is not None:  # near a point: checked on the box's rows (coalesce keeps the GIN
        # index, a bitmap of every match of a common word, out of the plan)
        carried.append(R.search_vector)
        conditions.append(func.coalesce(R.search_vector, text("''::tsvector")).op("@@")(tsq))
    conditions += _filters(request)  # the filters choose the rows (none is a bare word)
    if point is None:
        window = (
            select(*carried, cast(null(), Float).label("distance"))
            .where(*conditions)
            .order_by(col(R.created_at).desc(), col(R.id).desc())
        )
    else:
        radius = request.near.radius_km  # type: ignore[union-attr]
        window, distance = near_window(point, radius, conditions, carried)
        window = window.order_by(distance, window.selected_columns.id.desc())
    return window.limit(size).cte("window").prefix_with("MATERIALIZED")


def _newest_active(columns: list[Any], rows: int) -> Any:
    """The newest `rows` active recommendations (a walk of
    `ix_recommendations_active_created_at_id`), as a subquery."""
    return (
        select(*columns)
        .where(R.status == ContentStatus.active)
        .order_by(col(R.created_at).desc(), col(R.id).desc())
        .limit(rows)
        .subquery()
    )


def _text_window(tsq: Any, carried: list[Any], size: int) -> Any:
    """Text without "near": a frequent word's newest matches among the newest
    `RECENT_ROWS` rows, a rarer word's newest matches overall (see `PROBE_ROWS`).

    One statement: the probe is a materialised CTE, and each branch is gated on it by a
    condition PostgreSQL evaluates once (a one-time filter), so the other branch's scan is
    never executed. Each row says which branch read it (`frequent`, for `_unread`). A
    query of stopwords only ("the") has no lexemes: the probe then walks nothing."""
    probed = _newest_active([R.search_vector], PROBE_ROWS)
    first_hits = (
        select(literal(1))
        .where(func.numnode(tsq) > 0, probed.c.search_vector.op("@@")(tsq))
        .limit(FREQUENT)
    )
    probe = (
        select((func.count() >= FREQUENT).label("frequent"))
        .select_from(first_hits.subquery())
        .cte("probe")
        .prefix_with("MATERIALIZED")
    )
    frequent = select(probe.c.frequent).scalar_subquery()
    recent = _newest_active(carried, RECENT_ROWS)
    recent_hits = (
        select(*recent.c, cast(null(), Float).label("distance"), literal(True).label("frequent"))
        .where(frequent, recent.c.search_vector.op("@@")(tsq))
        .order_by(recent.c.created_at.desc(), recent.c.id.desc())
        .limit(size)
    )
    overall_hits = (
        select(*carried, cast(null(), Float).label("distance"), literal(False).label("frequent"))
        .where(~frequent, R.status == ContentStatus.active, R.search_vector.op("@@")(tsq))
        .order_by(col(R.created_at).desc(), col(R.id).desc())
        .limit(size)
    )
    hits = union_all(recent_hits, overall_hits).subquery("hits")
    return select(hits).cte("window").prefix_with("MATERIALIZED")


def _unread(matches: Any, read_at_most: int) -> Any:
    """Whether older (farther) matches than the window's may exist: the window is full,
    or a frequent word's walk stopped at `RECENT_ROWS` rows (`_text_window`; counted only
    when the window is not full: `OR` evaluates its operands in order)."""
    unread = func.count() >= read_at_most
    if "frequent" in matches.c:
        walked = select(func.count()).select_from(_newest_active([R.id], RECENT_ROWS))
        walked_all = walked.scalar_subquery() >= RECENT_ROWS
        unread = or_(unread, and_(func.bool_or(matches.c.frequent), walked_all))
    return select(unread).select_from(matches)


def search_places(
    session: Session,
    viewer_id: int | None,
    request: SearchRequest,
    *,
    cursor: str | None = None,
    limit: int = 20,
    window: int | None = None,
) -> PlacePage:
    """One page of the places this viewer may see that match `request` (bounded plan);
    `window` bounds the matches read (default `WINDOW`; autocomplete reads fewer).

    Raises:
        NotFound / ValidationFailed: from `near_point` for "near this place".
    """
    # The visibility rule's ORs inflate the estimated cost past jit_above_cost, and JIT
    # compilation then takes longer (~20 ms) than the bounded query itself. The bounded
    # reads touch cached pages: a random read costs about a sequential one, so a filter's
    # own index (category, newest first) beats walking every active row in date order;
    # and they are too small for parallel workers to pay for starting.
    session.execute(text(SEARCH_SETTINGS))
    tsq = ts_query(request.words)
    point = None if request.near is None else near_point(session, viewer_id, request.near)
    read_at_most = WINDOW if window is None else max(1, min(int(window), WINDOW))
    matches = _window(request, tsq, point, read_at_most)
    kept = matches
    filters = _filters(request, aliased(R, matches)) if tsq is not None and point is None else []
    if filters:  # the text's window filtered first: PostgreSQL orders the conditions of one
        # WHERE by cost, and ran the visibility rule before the has-photos probe
        kept = select(matches).where(*filters).cte("filtered").prefix_with("MATERIALIZED")
    w = aliased(R, kept)  # the kept rows, as recommendations
    columns: list[Any] = [
        w.id.label("id"),
        kept.c.distance.label("distance"),
        as_float(func.extract("epoch", w.created_at)).label("created"),
        as_float(w.rating_avg).label("rating"),
        w.ratings_count.label("ratings_count"),
        as_float(
            w.likes_count * 2 + w.saves_count * 3 + w.ratings_count * 2 + w.views_count * 0.1
        ).label("popularity"),
        as_float(w.price_min).label("price_low"),
        as_float(w.price_max).label("price_high"),
    ]
    if tsq is not None:
        columns.append(w.search_vector.label("search_vector"))
    visible = recommendation_visible_to(viewer_id, w, many_rows=True)
    c = select(*columns).select_from(kept).where(visible).subquery("candidates")
    keys = _sort_keys(request, c.c, tsq)
    keyed = select(
        c.c.id,
        c.c.distance,
        *(key.label(f"k{index}") for index, key in enumerate(keys)),
        func.count().over().label("total"),
        _unread(matches, read_at_most).scalar_subquery().label("unread"),
    ).subquery("keyed")
    key_columns = [keyed.c[f"k{index}"] for index in range(len(keys))]
    size = max(1, min(int(limit), 50))
    query = select(keyed).order_by(*(key.desc() for key in key_columns), keyed.c.id.desc())
    position = after(
        [*key_columns, keyed.c.id], decode_keys(cursor, len(keys), (float,) * len(keys))
    )
    if position is not None:
        query = query.where(position)
    rows = session.execute(query.limit(size + 1)).all()
    # `total` counts the visible candidates (before the cursor); capped: the filters and
    # the visibility rule saw only the newest (nearest) matches, there may be more.
    total = rows[0].total if rows else 0
    capped = bool(rows) and bool(rows[0].unread)
    page_rows = rows[:size]
    found: dict[int, RecommendationCard] = {}
    if page_rows:  # nothing found: no round trip for the cards
        shown = card_query(viewer_id, col(R.id).in_([row.id for row in page_rows]))
        found = {card.id: card for card in cards(session, shown)}
    items = tuple(
        PlaceResult(found[row.id], None if row.distance is None else round(row.distance, 1))
        for row in page_rows
        if row.id in found
    )
    next_cursor = None
    if len(rows) > size:
        last = page_rows[-1]
        next_cursor = encode_keys(
            [last._mapping[f"k{index}"] for index in range(len(keys))], last.id
        )
    return PlacePage(items, next_cursor, total, capped)
