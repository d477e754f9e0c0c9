"""Places search near a point (§4.10 "Near me", "Near this place", issue 11): the point,
the great-circle distance, and the bounded read of the places around it."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import Float, and_, cast, func, select, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from citypulse.models import City, Recommendation, RecommendationCity
from citypulse.models.enums import ContentStatus
from citypulse.services.errors import NotFound, ValidationFailed
from citypulse.services.recommendations.queries import NOT_FOUND_MESSAGE
from citypulse.services.recommendations.visibility import recommendation_visible_to
from citypulse.services.search.request import Near

R = Recommendation
EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = 111.32
NO_LOCATION_MESSAGE = "This place has no location to search around"


def as_float(expression: Any) -> Any:
    """SQL: `expression` as a float (distances and sort keys compare as one type)."""
    return cast(expression, Float)


def distance_km(latitude: Any, longitude: Any, point: tuple[float, float]) -> Any:
    """SQL: great-circle distance (haversine) from the row's coordinates to `point`."""
    lat0, lng0 = point
    half_lat = func.radians(latitude - lat0) / 2
    half_lng = func.radians(longitude - lng0) / 2
    a = func.power(func.sin(half_lat), 2) + func.cos(func.radians(lat0)) * func.cos(
        func.radians(latitude)
    ) * func.power(func.sin(half_lng), 2)
    return 2 * EARTH_RADIUS_KM * func.asin(func.least(1.0, func.sqrt(a)))


def _box(point: tuple[float, float], radius_km: int) -> tuple[float, float, float, float]:
    """A latitude/longitude box holding every point within `radius_km` of `point`."""
    lat, lng = point
    dlat = radius_km / KM_PER_DEGREE
    dlng = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, max(lng - dlng, -180.0), min(lng + dlng, 180.0)


def near_point(session: Session, viewer_id: int | None, near: Near) -> tuple[float, float]:
    """The point to search around: the viewer's coordinates, or the place's (else its city's).

    Raises:
        NotFound: the place does not exist or is hidden from the viewer.
        ValidationFailed: the place has no coordinates and neither has its city.
    """
    if near.recommendation_id is None:
        return near.latitude, near.longitude  # type: ignore[return-value]
    link, city = aliased(RecommendationCity), aliased(City)
    row = session.execute(
        select(func.coalesce(R.latitude, city.latitude), func.coalesce(R.longitude, city.longitude))
        .outerjoin(link, and_(link.recommendation_id == R.id, col(link.is_primary)))
        .outerjoin(city, city.id == link.city_id)
        .where(R.id == near.recommendation_id, recommendation_visible_to(viewer_id))
    ).first()
    if row is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    if row[0] is None:
        raise ValidationFailed({"near": NO_LOCATION_MESSAGE})
    return float(row[0]), float(row[1])


def near_window(
    point: tuple[float, float], radius_km: int, conditions: list[Any], carried: list[Any]
) -> tuple[Any, Any]:
    """The places within `radius_km` of `point` as rows of `carried` and their distance,
    and the distance column to order by. Two bounded reads of the box: active places with
    their own coordinates (from `ix_recommendations_active_lat_lng`), and places without
    any in the primary cities inside it (whose own coordinates, when they have them,
    decide)."""
    south, north, west, east = _box(point, radius_km)
    own_distance = distance_km(R.latitude, R.longitude, point)
    own = select(*carried, as_float(own_distance).label("distance")).where(
        col(R.latitude).between(south, north),
        col(R.longitude).between(west, east),
        own_distance <= radius_km,
        *conditions,
    )
    # The ids first, from two indexes alone (`ix_recommendation_cities_primary_city_id`,
    # `ix_recommendations_active_no_location`), then the columns of those few by primary
    # key: not a heap read per place of the city.
    placeless = aliased(R)
    city_distance = distance_km(City.latitude, City.longitude, point)
    in_cities = (
        select(placeless.id.label("id"), as_float(city_distance).label("distance"))
        .join(RecommendationCity, RecommendationCity.recommendation_id == placeless.id)
        .join(City, City.id == RecommendationCity.city_id)
        .where(
            col(RecommendationCity.is_primary),
            col(City.latitude).between(south, north),
            col(City.longitude).between(west, east),
            city_distance <= radius_km,
            placeless.status == ContentStatus.active,
            placeless.latitude.is_(None),
        )
        .subquery("in_cities")
    )
    by_city = (
        select(*carried, in_cities.c.distance)
        .join(in_cities, in_cities.c.id == R.id)
        .where(*conditions)
    )
    places = union_all(own, by_city).subquery("nearby")
    return select(places), places.c.distance
