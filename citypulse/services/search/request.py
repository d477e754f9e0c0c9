"""What a search asks for (PRODUCT.md §4.10): the text, the tab, the sort and the filters.

One parser for every way a search arrives — the /search URL, a handler's form, a saved
search or a history entry — so a crafted event and a hand-typed URL are checked alike.
`SearchRequest.filters_json()` is what history and saved searches store (keys limited to
`models.search.FILTER_KEYS`); `SearchRequest.query_string()` is the /search URL that
restores it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from citypulse.models.enums import Difficulty
from citypulse.params import parse_id, parse_text
from citypulse.services.errors import ValidationFailed

MAX_QUERY = 200
MAX_LIST = 20  # ids in one filter (categories, cities)
PRICE_TOP = 1000  # the slider's end: 1000 means "1000+"
DEFAULT_RADIUS_KM = 50
KINDS = ("all", "recommendations", "users", "cities")
SORTS = ("relevance", "recent", "rating", "popular", "price_low", "price_high", "distance")
QUERY_MESSAGE = f"Search text must be at most {MAX_QUERY} characters, without line breaks"
CATEGORY_MESSAGE = "Choose categories from the list"
CITY_MESSAGE = "Choose cities from the list"
DIFFICULTY_MESSAGE = "Choose a difficulty from the list"
PRICE_MESSAGE = "Price must be two whole numbers from 0 to 1000, the first not above the second"
RATING_MESSAGE = "Minimum rating must be a whole number from 1 to 5"
RADIUS_MESSAGE = "Radius must be a whole number of km from 1 to 200"
LOCATION_MESSAGE = "Your location could not be read; try again or choose a city"
SORT_MESSAGE = "Choose a sort from the list"
DISTANCE_SORT_MESSAGE = "Sort by distance needs a place or your location"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Near:
    """Around a point: the viewer's coordinates, or a recommendation ("near this place")."""

    radius_km: int = DEFAULT_RADIUS_KM
    latitude: float | None = None
    longitude: float | None = None
    recommendation_id: int | None = None  # its coordinates (else its city's) are the point


@dataclass(frozen=True)
class SearchRequest:
    """A parsed search; every value is one the queries trust."""

    text: str = ""
    kind: str = "all"
    sort: str = "relevance"
    categories: tuple[int, ...] = ()
    cities: tuple[int, ...] = ()
    difficulty: tuple[str, ...] = ()
    price: tuple[int, int] | None = None
    min_rating: int | None = None
    has_photos: bool = False
    near: Near | None = field(default=None)

    @property
    def words(self) -> tuple[str, ...]:
        """The query's words, lowercased: special characters are literal (never syntax)."""
        return tuple(_WORD.findall(self.text.lower()))

    @property
    def has_filters(self) -> bool:
        return bool(
            self.categories
            or self.cities
            or self.difficulty
            or self.price
            or self.min_rating
            or self.has_photos
            or self.near
        )

    @property
    def is_empty(self) -> bool:
        """No words and no filters: the page shows suggestions, not results."""
        return not self.words and not self.has_filters

    def with_text(self, text: str) -> SearchRequest:
        return replace(self, text=text)

    def filters_json(self) -> dict[str, Any]:
        """The filters as stored in history and saved searches (FILTER_KEYS only)."""
        stored: dict[str, Any] = {}
        if self.kind != "all":
            stored["kind"] = self.kind
        if self.sort != "relevance":
            stored["sort"] = self.sort
        if self.categories:
            stored["categories"] = list(self.categories)
        if self.cities:
            stored["cities"] = list(self.cities)
        if self.difficulty:
            stored["difficulty"] = list(self.difficulty)
        if self.price is not None:
            stored["price"] = list(self.price)
        if self.min_rating is not None:
            stored["min_rating"] = self.min_rating
        if self.has_photos:
            stored["has_photos"] = True
        if self.near is not None:
            near: dict[str, Any] = {"radius_km": self.near.radius_km}
            if self.near.recommendation_id is not None:
                near["recommendation"] = self.near.recommendation_id
            else:
                near["lat"], near["lng"] = self.near.latitude, self.near.longitude
            stored["near"] = near
        return stored

    def query_string(self) -> str:
        """The /search URL parameters that reproduce this search."""
        params: dict[str, str] = {}
        if self.text:
            params["q"] = self.text
        if self.kind != "all":
            params["type"] = self.kind
        if self.sort != "relevance":
            params["sort"] = self.sort
        if self.categories:
            params["category"] = ",".join(map(str, self.categories))
        if self.cities:
            params["city"] = ",".join(map(str, self.cities))
        if self.difficulty:
            params["difficulty"] = ",".join(self.difficulty)
        if self.price is not None:
            params["price"] = f"{self.price[0]}-{self.price[1]}"
        if self.min_rating is not None:
            params["min_rating"] = str(self.min_rating)
        if self.has_photos:
            params["photos"] = "1"
        if self.near is not None:
            if self.near.recommendation_id is not None:
                params["near"] = str(self.near.recommendation_id)
            else:
                params["lat"], params["lng"] = str(self.near.latitude), str(self.near.longitude)
            params["radius"] = str(self.near.radius_km)
        return urlencode(params)


def like_escape(text: str) -> str:
    """`text` for a LIKE pattern: its %, _ and backslashes are literal (ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _ids(raw: object, message: str, name: str) -> tuple[int, ...]:
    if raw in (None, "", [], ()):
        return ()
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple) or len(items) > MAX_LIST:
        raise ValidationFailed({name: message})
    ids = [parse_id(item) for item in items if item != ""]
    if None in ids:
        raise ValidationFailed({name: message})
    return tuple(sorted(set(ids)))  # type: ignore[arg-type]


def _whole(raw: object, low: int, high: int) -> int | None:
    """A whole number in [low, high] from an int or digit string, else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip() if isinstance(raw, int | str) else ""
    if not text.isascii() or not text.isdigit() or len(text) > 5:
        return None
    value = int(text)
    return value if low <= value <= high else None


def _price(raw: object) -> tuple[int, int] | None:
    if raw in (None, "", [], ()):
        return None
    parts = raw.split("-") if isinstance(raw, str) else raw
    if not isinstance(parts, list | tuple) or len(parts) != 2:
        raise ValidationFailed({"price": PRICE_MESSAGE})
    low, high = (_whole(part, 0, PRICE_TOP) for part in parts)
    if low is None or high is None or low > high:
        raise ValidationFailed({"price": PRICE_MESSAGE})
    return low, high


def _difficulty(raw: object) -> tuple[str, ...]:
    if raw in (None, "", [], ()):
        return ()
    items = raw.split(",") if isinstance(raw, str) else raw
    allowed = {member.value for member in Difficulty}
    if not isinstance(items, list | tuple) or not set(items) <= allowed:
        raise ValidationFailed({"difficulty": DIFFICULTY_MESSAGE})
    return tuple(sorted(set(items)))


def _coordinate(raw: object, limit: float) -> float | None:
    try:
        value = float(raw) if isinstance(raw, int | float | str) and raw != "" else None
    except ValueError:
        return None
    if value is None or not math.isfinite(value) or abs(value) > limit:
        return None
    return value


def _near(raw: object) -> Near | None:
    if raw in (None, "", {}):
        return None
    if not isinstance(raw, dict):
        raise ValidationFailed({"near": LOCATION_MESSAGE})
    radius_raw = raw.get("radius_km")
    radius = DEFAULT_RADIUS_KM if radius_raw in (None, "") else _whole(radius_raw, 1, 200)
    if radius is None:
        raise ValidationFailed({"radius": RADIUS_MESSAGE})
    if raw.get("recommendation") not in (None, ""):
        place = parse_id(raw.get("recommendation"))
        if place is None:
            raise ValidationFailed({"near": LOCATION_MESSAGE})
        return Near(radius_km=radius, recommendation_id=place)
    latitude, longitude = _coordinate(raw.get("lat"), 90), _coordinate(raw.get("lng"), 180)
    if latitude is None or longitude is None:
        raise ValidationFailed({"near": LOCATION_MESSAGE})
    return Near(radius_km=radius, latitude=latitude, longitude=longitude)


def parse_request(text: object = "", filters: object = None) -> SearchRequest:
    """The search as values the queries trust; `filters` uses the stored JSON keys.

    Raises:
        ValidationFailed: per field, with the message the search form shows.
    """
    query = parse_text(text if text is not None else "", max_length=MAX_QUERY)
    if query is None:
        raise ValidationFailed({"q": QUERY_MESSAGE})
    given = filters if isinstance(filters, dict) else {}
    if filters not in (None, {}) and not isinstance(filters, dict):
        raise ValidationFailed({"filters": "Filters must be an object"})
    kind = given.get("kind") or "all"
    sort = given.get("sort") or "relevance"
    if kind not in KINDS:
        kind = "all"  # ?type=anything-else shows every kind, like no type
    if sort not in SORTS:
        raise ValidationFailed({"sort": SORT_MESSAGE})
    min_rating = given.get("min_rating")
    rating = None if min_rating in (None, "") else _whole(min_rating, 1, 5)
    if min_rating not in (None, "") and rating is None:
        raise ValidationFailed({"min_rating": RATING_MESSAGE})
    near = _near(given.get("near"))
    if sort == "distance" and near is None:
        raise ValidationFailed({"sort": DISTANCE_SORT_MESSAGE})
    return SearchRequest(
        text=" ".join(query.split()),
        kind=kind,
        sort=sort,
        categories=_ids(given.get("categories"), CATEGORY_MESSAGE, "categories"),
        cities=_ids(given.get("cities"), CITY_MESSAGE, "cities"),
        difficulty=_difficulty(given.get("difficulty")),
        price=_price(given.get("price")),
        min_rating=rating,
        has_photos=given.get("has_photos") in (True, "1", "true", 1),
        near=near,
    )


def filters_from_params(params: dict[str, Any]) -> dict[str, Any]:
    """The stored-filter form of /search URL parameters (parse it with `parse_request`)."""
    filters: dict[str, Any] = {
        "kind": params.get("type") or "",
        "sort": params.get("sort") or "",
        "categories": params.get("category") or "",
        "cities": params.get("city") or "",
        "difficulty": params.get("difficulty") or "",
        "price": params.get("price") or "",
        "min_rating": params.get("min_rating") or "",
        "has_photos": params.get("photos") or "",
    }
    radius = params.get("radius") or ""
    if params.get("near"):
        filters["near"] = {"recommendation": params["near"], "radius_km": radius}
    elif params.get("lat") or params.get("lng"):
        filters["near"] = {"lat": params.get("lat"), "lng": params.get("lng"), "radius_km": radius}
    return {key: value for key, value in filters.items() if value not in ("", None)}
