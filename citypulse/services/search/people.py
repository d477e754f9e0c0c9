"""People and cities search (§4.10.1): who and which cities match the query text.

People: active users (active status, verified email) with no block either way
(`graph.blocked_between`, the one block rule). Private and buddies-only profiles match on
username and name only and come back as limited cards (avatar, name, @username), like the
buddy finder (§4.2.1); a public profile's bio matches too. Names tolerate typos: a word
close to the query (pg_trgm `<%` on the trigram indexes of username and full name)
matches. Order: closeness to the query, then id; the matches are bounded before sorting.

Cities: by name (trigram, typo-tolerant), closest first; with no text, the directory of
every city by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from sqlalchemy import Float, and_, cast, func, literal, or_, select
from sqlalchemy import text as text_clause
from sqlmodel import Session, col

from citypulse.models import City, Profile, User
from citypulse.models.enums import AccountStatus, Visibility
from citypulse.services.recommendations.queries import upload_url
from citypulse.services.search.keys import after, decode_keys, encode_keys
from citypulse.services.search.request import like_escape
from citypulse.services.social.graph import blocked_between

CANDIDATES = 1000
CUSTOM_PLANS = "SET LOCAL plan_cache_mode = force_custom_plan"
BIO_SHOWN = 140
SHORT_TEXT = 3  # fewer letters than a trigram: match word starts only (an index can serve it)


@dataclass(frozen=True)
class PersonResult:
    user_id: int
    username: str
    full_name: str
    avatar_url: str
    bio: str  # '' for limited cards
    limited: bool  # buddies-only or private profile: avatar, name and @username only


@dataclass(frozen=True)
class CityResult:
    city_id: int
    name: str
    label: str  # "Toronto, Ontario, Canada"
    href: str  # the city page


@dataclass(frozen=True)
class ResultPage:
    """A page of people or cities; `total` counts the bounded matches."""

    items: tuple[Any, ...]
    next_cursor: str | None
    total: int
    capped: bool


def _text_match(column: Any, text: str, separator: str) -> Any:
    """SQL: `column` holds `text` (a word start for short text), or a word close to it."""
    escaped = like_escape(text)
    if len(text) < SHORT_TEXT:
        return or_(
            col(column).ilike(f"{escaped}%", escape="\\"),
            col(column).ilike(f"%{separator}{escaped}%", escape="\\"),
        )
    return or_(col(column).ilike(f"%{escaped}%", escape="\\"), literal(text).op("<%")(column))


def _page(
    session: Session,
    candidates: Any,
    score: Any,
    cursor: str | None,
    limit: int,
    item: Any,
    read: int = CANDIDATES,
) -> ResultPage:
    """Order the bounded candidates (at most `read`) by `score` then id (both descending)
    and cut a page."""
    c = candidates.limit(read).subquery("candidates")
    keyed = select(c, cast(score(c.c), Float).label("k0"), func.count().over().label("total"))
    keyed = keyed.subquery("keyed")
    query = select(keyed).order_by(keyed.c.k0.desc(), keyed.c.id.desc())
    position = after([keyed.c.k0, keyed.c.id], decode_keys(cursor, 1, (float,)))
    if position is not None:
        query = query.where(position)
    size = max(1, min(int(limit), 50))
    rows = session.execute(query.limit(size + 1)).all()
    total = rows[0].total if rows else 0
    next_cursor = None
    if len(rows) > size:
        next_cursor = encode_keys([rows[size - 1].k0], rows[size - 1].id)
    return ResultPage(tuple(item(row) for row in rows[:size]), next_cursor, total, total >= read)


def search_people(
    session: Session,
    viewer_id: int,
    text: str,
    *,
    cursor: str | None = None,
    limit: int = 20,
    read: int = CANDIDATES,
) -> ResultPage:
    """People matching `text` whom this viewer may see (empty text: nobody); at most
    `read` matches are ordered (autocomplete reads fewer than a search)."""
    if not text:
        return ResultPage((), None, 0, False)
    # A custom plan per call (as places search, SEARCH_SETTINGS): once psycopg prepared
    # the statement, PostgreSQL's generic plan ignored the text's trigram selectivity
    # ("zzq": 15 ms planned per call, ~1 s with the generic plan; 100k people).
    session.execute(text_clause(CUSTOM_PLANS))
    public = Profile.profile_visibility == Visibility.public
    candidates = (
        select(
            User.id,
            User.username,
            User.full_name,
            User.bio,
            Profile.avatar_key,
            (Profile.profile_visibility != Visibility.public).label("limited"),
        )
        .join(Profile, Profile.user_id == User.id)
        .where(
            User.account_status == AccountStatus.active,
            col(User.email_verified_at).is_not(None),
            ~blocked_between(viewer_id, User.id),
            or_(
                _text_match(User.username, text, "_"),
                _text_match(User.full_name, text, " "),
                and_(public, col(User.bio).ilike(f"%{like_escape(text)}%", escape="\\")),
            ),
        )
    )
    lowered = text.lower()

    def score(c: Any) -> Any:
        return func.greatest(
            func.word_similarity(lowered, func.lower(c.username)),
            func.word_similarity(lowered, func.lower(c.full_name)),
        )

    def person(row: Any) -> PersonResult:
        bio = "" if row.limited else (row.bio or "")[:BIO_SHOWN]
        return PersonResult(
            row.id, row.username, row.full_name, upload_url(row.avatar_key), bio, row.limited
        )

    return _page(session, candidates, score, cursor, limit, person, min(read, CANDIDATES))


def city_href(name: str, country: str) -> str:
    """The city page of a city (the country tells apart cities that share a name)."""
    return f"/city/{quote(name, safe='')}?{urlencode({'country': country})}"


def _city(row: Any) -> CityResult:
    label = ", ".join(part for part in (row.name, row.state_province, row.country) if part)
    return CityResult(row.id, row.name, label, city_href(row.name, row.country))


def search_cities(
    session: Session, text: str, *, cursor: str | None = None, limit: int = 20
) -> ResultPage:
    """Cities whose name matches `text`, closest first; no text: every city by name."""
    columns = select(City.id, City.name, City.state_province, City.country)
    if not text:
        size = max(1, min(int(limit), 50))
        name = func.lower(City.name)
        query = columns.add_columns(name.label("sort_name")).order_by(name, City.id)
        position = after([name, City.id], decode_keys(cursor, 1, (str,)), descending=False)
        if position is not None:
            query = query.where(position)
        rows = session.execute(query.limit(size + 1)).all()
        total = session.execute(select(func.count()).select_from(City)).scalar_one()
        next_cursor = None
        if len(rows) > size:
            next_cursor = encode_keys([rows[size - 1].sort_name], rows[size - 1].id)
        return ResultPage(tuple(_city(row) for row in rows[:size]), next_cursor, total, False)
    candidates = columns.where(_text_match(City.name, text, " "))
    lowered = text.lower()
    return _page(
        session,
        candidates,
        lambda c: func.word_similarity(lowered, func.lower(c.name)),
        cursor,
        limit,
        _city,
    )
