"""Autocomplete (§4.10.7) and "Did you mean" (typo tolerance, §4.10, issue 11).

Autocomplete starts at 2 characters and offers at most 8: the viewer's recent searches
(≤3), then places, cities, people and tags — each through the same visibility rules as
the results (places: `recommendation_visible_to`; people: no block either way, active).

"Did you mean": when a search finds nothing, each word of 3+ letters is replaced by the
closest word (pg_trgm similarity) among the titles of places the viewer may see, tag,
city and category names — found through their trigram indexes — when one is close.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy import func, literal, select, union
from sqlmodel import Session, col

from citypulse.models import Category, City, Recommendation, Tag
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.policies import require_active_actor
from citypulse.services.recommendations.visibility import recommendation_visible_to
from citypulse.services.search.history import recent_searches_of
from citypulse.services.search.people import search_cities, search_people
from citypulse.services.search.places import search_places
from citypulse.services.search.request import SearchRequest, like_escape, parse_request

MIN_CHARACTERS = 2
MAX_SUGGESTIONS = 8
MIN_SIMILARITY = 0.4
TITLES_READ = 50  # titles whose words are compared with a misspelt word
PLACES_READ = 50  # newest place matches ranked for the 3 place suggestions (per keystroke)
PEOPLE_READ = 50  # people matches ranked for the 2 person suggestions


@dataclass(frozen=True)
class Suggestion:
    kind: str  # recent | place | city | person | tag
    label: str
    detail: str
    href: str
    place_id: int | None = None  # the recommendation of a "place" suggestion


def _tags(session: Session, text: str, limit: int) -> list[Suggestion]:
    escaped = like_escape(text.lower())
    names = session.execute(
        select(Tag.name)
        .where(col(Tag.name).ilike(f"{escaped}%", escape="\\"))
        .order_by(func.length(Tag.name), Tag.name)
        .limit(limit)
    ).scalars()
    return [
        Suggestion("tag", f"#{name}", "Tag", f"/search?{urlencode({'q': name})}") for name in names
    ]


def suggestions(session: Session, *, viewer: Viewer | None, text: object) -> tuple[Suggestion, ...]:
    """At most 8 suggestions for what the viewer is typing ('' below 2 characters)."""
    actor = require_active_actor(session, viewer)
    request = parse_request(text)
    typed = request.text
    if len(typed) < MIN_CHARACTERS:
        return ()
    found = [
        Suggestion("recent", entry.query, "Recent search", entry.href)
        for entry in recent_searches_of(session, actor.user_id, prefix=typed, limit=3)
        if entry.query
    ]
    places = search_places(session, actor.user_id, request, limit=3, window=PLACES_READ)
    found += [
        Suggestion(
            "place",
            item.card.title,
            item.card.city.label if item.card.city else item.card.category_name,
            f"/recommendations/{item.card.id}",
            item.card.id,
        )
        for item in places.items
    ]
    found += [
        Suggestion("city", city.label, "City", city.href)
        for city in search_cities(session, typed, limit=2).items
    ]
    found += [
        Suggestion("person", person.full_name, f"@{person.username}", f"/profile/{person.username}")
        for person in search_people(session, actor.user_id, typed, limit=2, read=PEOPLE_READ).items
    ]
    found += _tags(session, typed, 2)
    return tuple(found[:MAX_SUGGESTIONS])


def _closest_word(session: Session, viewer_id: int, word: str) -> str | None:
    """The known word most like `word` when one is similar enough; None when `word` itself
    is known (a correct word next to a misspelt one stays) or nothing is close."""
    titles = (
        select(Recommendation.title)
        .where(literal(word).op("<%")(Recommendation.title), recommendation_visible_to(viewer_id))
        .limit(TITLES_READ)
        .subquery()
    )
    title_words = select(
        func.regexp_split_to_table(func.lower(titles.c.title), r"[^[:alnum:]]+").label("w")
    )
    names = union(
        title_words,
        select(func.lower(Tag.name).label("w")).where(literal(word).op("<%")(Tag.name)),
        select(func.lower(City.name).label("w")).where(literal(word).op("<%")(City.name)),
        select(func.lower(Category.name).label("w")),
    ).subquery()
    similarity = func.similarity(names.c.w, word)
    closest = session.execute(
        select(names.c.w)
        .where(func.length(names.c.w) >= 3, similarity >= MIN_SIMILARITY)
        .order_by(similarity.desc(), names.c.w)
        .limit(1)
    ).scalar()
    return None if closest == word else closest


def did_you_mean(session: Session, viewer_id: int, request: SearchRequest) -> str | None:
    """The query with each misspelt word replaced by a close known word; None: no idea."""
    words = list(request.words)
    changed = False
    for index, word in enumerate(words):
        if len(word) < 3 or word.isdigit():
            continue
        closest = _closest_word(session, viewer_id, word)
        if closest is not None:
            words[index], changed = closest, True
    return " ".join(words) if changed else None
