"""The loader of `/city/[name]`: everything the page first shows, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session

from citypulse.services.accounts.viewer import Viewer
from citypulse.services.recommendations.cities import (
    CityChooser,
    CityOverview,
    city_featured,
    city_overview,
    city_recommendations,
)
from citypulse.services.recommendations.queries import RecommendationCard, RecommendationPage
from citypulse.services.trips.travellers import Traveller, upcoming_travellers


@dataclass(frozen=True)
class CityPage:
    """One city (`overview`, `featured`, the first page of `experiences`) or a `chooser`.

    Exactly one of `overview` and `chooser` is set. `featured` is empty while a category
    is chosen (the page then lists that category only). `travellers` is "Upcoming
    travellers" (A only): None for a visitor.
    """

    overview: CityOverview | None = None
    chooser: CityChooser | None = None
    featured: tuple[RecommendationCard, ...] = ()
    experiences: RecommendationPage | None = None
    travellers: tuple[Traveller, ...] | None = None


def city_page(
    session: Session,
    *,
    viewer: Viewer | None,
    name: str,
    country: str | None = None,
    category_id: int | None = None,
    today: date | None = None,
) -> CityPage:
    """`/city/<name>[?country=...][&category=<id>]` as this viewer may see it.

    Anyone may call it; counts and lists hold only what the viewer may see.

    Raises:
        NotFound: "City not found".
    """
    viewer_id = viewer.user_id if viewer else None
    found = city_overview(session, viewer_id=viewer_id, name=name, country=country)
    if isinstance(found, CityChooser):
        return CityPage(chooser=found)
    city_id = found.city.id
    featured = () if category_id else city_featured(session, viewer_id=viewer_id, city_id=city_id)
    experiences = city_recommendations(
        session, viewer_id=viewer_id, city_id=city_id, category_id=category_id
    )
    travellers = None
    if viewer is not None:
        today = today or datetime.now(UTC).date()
        travellers = upcoming_travellers(session, viewer=viewer, city_id=city_id, today=today)
    return CityPage(
        overview=found, featured=featured, experiences=experiences, travellers=travellers
    )


def city_experiences_more(
    session: Session,
    *,
    viewer: Viewer | None,
    city_id: int,
    category_id: int | None,
    cursor: str | None,
) -> RecommendationPage:
    """The next page of "All experiences" after `cursor` (anyone may call it)."""
    return city_recommendations(
        session,
        viewer_id=viewer.user_id if viewer else None,
        city_id=city_id,
        category_id=category_id,
        cursor=cursor,
    )
