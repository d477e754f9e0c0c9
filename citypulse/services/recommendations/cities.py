"""The city page `/city/[name]`, the city autocomplete and the category list (§2.2).

Counts and lists show only active recommendations this viewer may see
(`recommendation_visible_to`), so hidden content never shows up, not even as a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Float, cast, distinct, exists, false, func, select
from sqlmodel import Session, col

from citypulse.models import Category, City, CityVisit, Recommendation
from citypulse.models.enums import ContentStatus
from citypulse.services.errors import NotFound
from citypulse.services.recommendations.forms import squash
from citypulse.services.recommendations.queries import (
    CityRef,
    RecommendationCard,
    RecommendationPage,
    card_query,
    cards,
    in_city,
    newest_first_page,
    upload_url,
)
from citypulse.services.recommendations.visibility import recommendation_visible_to
from citypulse.services.social.graph import blocked_between

CITY_NOT_FOUND = "City not found"
FEATURED_COUNT = 3


@dataclass(frozen=True)
class CategoryOption:
    """A category for the form's select and the city page's pills."""

    id: int
    name: str
    icon: str
    is_system: bool


@dataclass(frozen=True)
class CategoryCount:
    """A category pill on the city page with its visible recommendation count."""

    id: int
    name: str
    icon: str
    count: int


@dataclass(frozen=True)
class CityOverview:
    """The city page header, stats and category pills."""

    city: CityRef
    description: str
    cover_url: str
    places_label: str  # "12 places"
    recommendations_count: int
    contributors_count: int
    visitors_count: int
    categories: tuple[CategoryCount, ...]  # most used first; only categories with posts


@dataclass(frozen=True)
class CityChooser:
    """Several cities share the name: link each as /city/<name>?country=<country>."""

    name: str
    options: tuple[CityRef, ...]


@dataclass(frozen=True)
class CitySuggestion:
    """An autocomplete entry; `is_own` for the viewer's own cities (listed first)."""

    id: int
    label: str  # "Toronto, Canada"
    full_label: str  # "Toronto, Ontario, Canada"
    is_own: bool


def _visible_in_city(viewer_id: int | None, city_id: int) -> tuple:
    return (
        recommendation_visible_to(viewer_id),
        Recommendation.status == ContentStatus.active,
        in_city(city_id),
    )


def city_recommendations(
    session: Session,
    *,
    viewer_id: int | None,
    city_id: int,
    category_id: int | None = None,
    cursor: str | None = None,
) -> RecommendationPage:
    """ "All experiences": visible active recommendations in the city, newest first."""
    conditions = list(_visible_in_city(viewer_id, city_id))
    if category_id is not None:
        conditions.append(Recommendation.category_id == category_id)
    return newest_first_page(session, viewer_id, cursor, *conditions)


def city_featured(
    session: Session, *, viewer_id: int | None, city_id: int
) -> tuple[RecommendationCard, ...]:
    """The top 3 by average rating × ln(1 + views), among those with at least one rating."""
    score = cast(Recommendation.rating_avg, Float) * func.ln(
        cast(1 + col(Recommendation.views_count), Float)
    )
    query = (
        card_query(
            viewer_id, *_visible_in_city(viewer_id, city_id), col(Recommendation.ratings_count) >= 1
        )
        .order_by(
            score.desc(), col(Recommendation.created_at).desc(), col(Recommendation.id).desc()
        )
        .limit(FEATURED_COUNT)
    )
    return cards(session, query)


def city_newest(
    session: Session, *, viewer_id: int | None, city_id: int, limit: int
) -> tuple[RecommendationCard, ...]:
    """The first `limit` cards of "All experiences" (`city_recommendations`' order)."""
    query = (
        card_query(viewer_id, *_visible_in_city(viewer_id, city_id))
        .order_by(col(Recommendation.created_at).desc(), col(Recommendation.id).desc())
        .limit(limit)
    )
    return cards(session, query)


def _city_ref(city: City) -> CityRef:
    return CityRef(city.id, city.name, city.state_province, city.country)


def _count(session: Session, expression, *conditions) -> int:
    return session.execute(
        select(expression).select_from(Recommendation).where(*conditions)
    ).scalar_one()


def _category_counts(
    session: Session, viewer_id: int | None, city_id: int
) -> tuple[CategoryCount, ...]:
    total = func.count(Recommendation.id)
    rows = session.execute(
        select(Category.id, Category.name, Category.icon, total)
        .join(Recommendation, col(Recommendation.category_id) == Category.id)
        .where(*_visible_in_city(viewer_id, city_id))
        .group_by(Category.id)
        .order_by(total.desc(), func.lower(Category.name))
    ).all()
    return tuple(CategoryCount(row[0], row[1], row[2] or "", row[3]) for row in rows)


def find_city(
    session: Session, *, name: str, country: str | None = None, state: str | None = None
) -> City | CityChooser:
    """The city of `/city/<name>[?country=...][&state=...]`, or a chooser when several
    match. The name (and country/state) match ignoring case and surrounding whitespace.

    Raises:
        NotFound: "City not found".
    """
    query = select(City).where(func.lower(func.btrim(City.name)) == squash(name).lower())
    if country and squash(country):
        query = query.where(func.lower(func.btrim(City.country)) == squash(country).lower())
    if state and squash(state):
        query = query.where(func.lower(func.btrim(City.state_province)) == squash(state).lower())
    cities = (
        session.execute(
            query.order_by(func.lower(City.country), func.lower(City.state_province), col(City.id))
        )
        .scalars()
        .all()
    )
    if not cities:
        raise NotFound(CITY_NOT_FOUND)
    if len(cities) > 1:
        return CityChooser(cities[0].name, tuple(_city_ref(city) for city in cities))
    return cities[0]


def places_label(places: int) -> str:
    return f"{places} place" if places == 1 else f"{places} places"


def city_places(session: Session, *, viewer_id: int | None, city_id: int) -> int:
    """How many recommendations of the city this viewer may see."""
    return _count(session, func.count(Recommendation.id), *_visible_in_city(viewer_id, city_id))


def city_overview(
    session: Session,
    *,
    viewer_id: int | None,
    name: str,
    country: str | None = None,
    state: str | None = None,
) -> CityOverview | CityChooser:
    """The city page header for `/city/<name>[?country=...][&state=...]` (`find_city`).
    Anyone may call it.

    Raises:
        NotFound: "City not found".
    """
    city = find_city(session, name=name, country=country, state=state)
    if isinstance(city, CityChooser):
        return city
    visible = _visible_in_city(viewer_id, city.id)
    places = city_places(session, viewer_id=viewer_id, city_id=city.id)
    return CityOverview(
        city=_city_ref(city),
        description=city.description or "",
        cover_url=upload_url(city.cover_key),
        places_label=places_label(places),
        recommendations_count=places,
        contributors_count=_count(
            session, func.count(distinct(Recommendation.author_id)), *visible
        ),
        visitors_count=session.execute(
            select(func.count())
            .select_from(CityVisit)
            .where(CityVisit.city_id == city.id, ~blocked_between(viewer_id, CityVisit.user_id))
        ).scalar_one(),
        categories=_category_counts(session, viewer_id, city.id),
    )


def _like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def city_suggestions(
    session: Session, *, viewer_id: int | None, text: str, limit: int = 8
) -> tuple[CitySuggestion, ...]:
    """Cities for the "City, Country" autocomplete: the viewer's own cities first.

    "tor" matches names starting with "tor"; "toronto, ca" also filters the country (the
    last part) by prefix. Empty text lists the viewer's own cities.
    """
    parts = [squash(part) for part in text.split(",")]
    own = (
        exists(
            select(CityVisit.id).where(CityVisit.city_id == City.id, CityVisit.user_id == viewer_id)
        )
        if viewer_id is not None
        else false()
    )
    query = select(City, own.label("is_own"))
    if parts[0]:
        query = query.where(col(City.name).ilike(_like_prefix(parts[0]), escape="\\"))
    elif viewer_id is not None:
        query = query.where(own)
    else:
        return ()
    if len(parts) > 1 and parts[-1]:
        query = query.where(col(City.country).ilike(_like_prefix(parts[-1]), escape="\\"))
    order = [func.lower(City.name), func.lower(City.country), col(City.id)]
    if viewer_id is not None:
        order.insert(0, own.desc())
    rows = session.execute(query.order_by(*order).limit(max(1, min(limit, 20)))).all()
    return tuple(
        CitySuggestion(
            id=city.id,
            label=f"{city.name}, {city.country}",
            full_label=_city_ref(city).label,
            is_own=bool(own_flag),
        )
        for city, own_flag in rows
    )


def categories_list(session: Session) -> tuple[CategoryOption, ...]:
    """Every category: the 8 system ones first, then custom ones, alphabetically."""
    rows = session.execute(
        select(Category).order_by(col(Category.is_system).desc(), func.lower(Category.name))
    ).scalars()
    return tuple(CategoryOption(c.id, c.name, c.icon or "", c.is_system) for c in rows)
