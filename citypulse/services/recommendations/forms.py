"""The recommendation form: field rules, normalisation and messages (PRODUCT.md §3.2, §4.3).

`clean_recommendation_form` turns what the page sends into column values plus field
errors; it only reads the database (category and city look-ups), never writes. Creating a
typed city or custom category is the service's job once everything is valid.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from citypulse.models import Category, City
from citypulse.models.enums import Difficulty, Visibility
from citypulse.models.recommendations import MAX_PRICE
from citypulse.services.display_text import free_text_problem, spoofing_problem

MAX_TAGS = 10
TAG_RE = re.compile(r"^[a-z0-9 _-]{1,50}$")
CENT = Decimal("0.01")

TITLE_ERROR = "Title must be 3–200 characters"
DESCRIPTION_ERROR = "Description must be 10–2000 characters"
CATEGORY_REQUIRED = "Choose a category"
CATEGORY_NOT_FOUND = "Category not found"
CUSTOM_CATEGORY_ERROR = "Category must be 2–50 characters"
CITY_REQUIRED = 'Enter the city as "City, Country" or "City, State, Country"'
CITY_NOT_FOUND = "City not found"
CITY_PART_ERROR = "City, state and country must each be at most 100 characters"
CITY_AMBIGUOUS = 'Several cities match: enter it as "City, State, Country"'
ADDRESS_ERROR = "Address must be 1–500 characters"
PRICE_FORMAT_ERROR = "Enter a price like 12.50"
PRICE_RANGE_ERROR = "Prices must be between 0 and 1,000,000"
PRICE_DECIMALS_ERROR = "Prices can have at most 2 decimals"
PRICE_ORDER_ERROR = "Maximum price must be at least the minimum price"
DIFFICULTY_ERROR = "Choose a valid difficulty"
MONTHS_ERROR = "Best months must be between 1 and 12"
BEST_TIME_ERROR = "Best time must be at most 100 characters"
DURATION_ERROR = "Duration must be at most 100 characters"
RATING_ERROR = "Rate this place from 1 to 5"
COORDINATES_PAIR_ERROR = "Enter both latitude and longitude, or neither"
LATITUDE_ERROR = "Latitude must be between -90 and 90"
LONGITUDE_ERROR = "Longitude must be between -180 and 180"
TAGS_COUNT_ERROR = "At most 10 tags"
TAG_FORMAT_ERROR = "Tags may use only letters, digits, spaces, _ and - (at most 50 characters)"
VISIBILITY_ERROR = "Choose a valid visibility"


@dataclass(frozen=True)
class RecommendationForm:
    """The create/edit form as the page sends it. `None` means "not given".

    Category: `category_id`, or else `custom_category` (matched ignoring case, or
    created). City: `city_id`, or else `city_text` ("City, Country" or "City, State,
    Country"); a page that lets the user type after picking a suggestion must clear
    `city_id`. Prices and coordinates may be strings; "" clears them.
    """

    category_id: int | None = None
    custom_category: str | None = None
    title: str | None = None
    description: str | None = None
    city_id: int | None = None
    city_text: str | None = None
    address: str | None = None
    price_min: str | Decimal | None = None
    price_max: str | Decimal | None = None
    difficulty: str | None = None
    best_months: Iterable[int | str] | None = None
    best_time_text: str | None = None
    duration_suggestion: str | None = None
    author_rating: int | str | None = None
    latitude: str | float | None = None
    longitude: str | float | None = None
    tags: Iterable[str] | None = None
    visibility: str | None = None


FORM_FIELDS = frozenset(field.name for field in fields(RecommendationForm))


@dataclass(frozen=True)
class CategoryChoice:
    """An existing category (`category_id`) or a custom one to create (`new_name`)."""

    category_id: int | None
    name: str


@dataclass(frozen=True)
class CityChoice:
    """An existing city (`city_id`) or a typed one to create without coordinates."""

    city_id: int | None
    name: str
    state: str | None
    country: str


def squash(text: object) -> str:
    """Trimmed, with inner runs of whitespace collapsed to one space ('' for None)."""
    return " ".join(("" if text is None else str(text)).split())


def as_id(raw: object) -> int | None:
    """A row id from an int or a digit string (crafted events may send anything)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 < raw < 2**31 else None
    text = str(raw).strip() if raw is not None else ""
    return int(text) if re.fullmatch(r"\d{1,9}", text) else None


def _items(raw: object) -> list:
    """A list from a list/set/tuple, a comma-separated string or a single value."""
    if raw is None:
        return []
    if isinstance(raw, str):
        return raw.split(",")
    if isinstance(raw, list | tuple | set | frozenset):
        return list(raw)
    return [raw]


def normalise_tag(raw: str) -> str:
    """'  #Coffee ' -> 'coffee' (may return '' or an invalid name; see `clean_tags`)."""
    return squash(raw).lstrip("#").strip().lower()


def clean_tags(raw: Iterable[str] | str | None) -> tuple[list[str], str | None]:
    """Normalised, deduplicated tags (empty ones dropped) and an error, if any."""
    tags: list[str] = []
    for item in _items(raw):
        tag = normalise_tag(str(item))
        if not tag:
            continue
        if not TAG_RE.match(tag):
            return tags, TAG_FORMAT_ERROR
        if tag not in tags:
            tags.append(tag)
    return tags, (TAGS_COUNT_ERROR if len(tags) > MAX_TAGS else None)


def parse_price(raw: str | Decimal | float | None) -> tuple[Decimal | None, str | None]:
    """A price in USD with 2 decimals, or None when blank."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    text = str(raw).strip().removeprefix("$").replace(",", "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, PRICE_FORMAT_ERROR
    if not value.is_finite():
        return None, PRICE_FORMAT_ERROR
    if not 0 <= value <= MAX_PRICE:
        return None, PRICE_RANGE_ERROR
    if value != value.quantize(CENT):
        return None, PRICE_DECIMALS_ERROR
    return value.quantize(CENT), None


def parse_coordinate(raw: str | float | None, bound: int) -> tuple[float | None, bool]:
    """(value or None when blank, ok)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, True
    try:
        value = float(str(raw).strip())
    except ValueError:
        return None, False
    return value, math.isfinite(value) and -bound <= value <= bound


def _int_or_none(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    text = str(raw).strip() if raw is not None else ""
    return int(text) if re.fullmatch(r"\d{1,2}", text) else None


def _optional_text(raw: str | None, limit: int, message: str) -> tuple[str | None, str | None]:
    text = squash(raw) if raw is not None else ""
    return (text or None), (message if len(text) > limit else None)


def find_category(session: Session, form: RecommendationForm) -> tuple[CategoryChoice | None, str]:
    """The chosen or typed category and an error message ('' when fine)."""
    if form.category_id is not None:
        category_id = as_id(form.category_id)
        row = session.get(Category, category_id) if category_id else None
        return (CategoryChoice(row.id, row.name), "") if row else (None, CATEGORY_NOT_FOUND)
    name = squash(form.custom_category)
    if not name:
        return None, CATEGORY_REQUIRED
    if not 2 <= len(name) <= 50:
        return None, CUSTOM_CATEGORY_ERROR
    if problem := spoofing_problem("Category", name):
        return None, problem
    row = session.exec(select(Category).where(func.lower(Category.name) == name.lower())).first()
    return CategoryChoice(row.id if row else None, row.name if row else name), ""


def parse_city_text(text: str | None) -> tuple[str, str | None, str] | None:
    """("Toronto", None, "Canada") from "Toronto, Canada"; None when malformed."""
    parts = [squash(part) for part in str(text or "").split(",")]
    if len(parts) not in (2, 3) or not all(parts):
        return None
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else (parts[0], None, parts[1])


def find_city(session: Session, form: RecommendationForm) -> tuple[CityChoice | None, str]:
    """The chosen or typed city and an error message ('' when fine).

    "City, Country" matches a city of that name and country in any state when only one
    exists; "City, State, Country" must match all three. Matching ignores case and
    surrounding whitespace, like the database's unique index on cities.
    """
    if form.city_id is not None:
        city_id = as_id(form.city_id)
        row = session.get(City, city_id) if city_id else None
        if row is None:
            return None, CITY_NOT_FOUND
        return CityChoice(row.id, row.name, row.state_province, row.country), ""
    parsed = parse_city_text(form.city_text)
    if parsed is None:
        return None, CITY_REQUIRED
    name, state, country = parsed
    if max(len(name), len(state or ""), len(country)) > 100:
        return None, CITY_PART_ERROR
    if problem := spoofing_problem("City", form.city_text):
        return None, problem
    query = select(City).where(
        func.lower(func.btrim(City.name)) == name.lower(),
        func.lower(func.btrim(City.country)) == country.lower(),
    )
    if state is not None:
        query = query.where(func.lower(func.btrim(City.state_province)) == state.lower())
    rows = session.exec(query.order_by(col(City.id))).all()
    if state is None and len(rows) > 1:
        stateless = [row for row in rows if not (row.state_province or "").strip()]
        if len(stateless) != 1:
            return None, CITY_AMBIGUOUS
        rows = stateless
    if rows:
        row = rows[0]
        return CityChoice(row.id, row.name, row.state_province, row.country), ""
    return CityChoice(None, name, state, country), ""


def _clean_texts(form: RecommendationForm, partial: bool, out: dict, errors: dict) -> None:
    if form.title is not None or not partial:
        title = squash(form.title)
        out["title"] = title
        if not 3 <= len(title) <= 200:
            errors["title"] = TITLE_ERROR
        elif problem := spoofing_problem("Title", title):
            errors["title"] = problem
    if form.description is not None or not partial:
        description = str(form.description or "").strip()
        out["description"] = description
        if not 10 <= len(description) <= 2000:
            errors["description"] = DESCRIPTION_ERROR
        elif problem := free_text_problem("Description", description):
            errors["description"] = problem
    if form.address is not None or not partial:
        address = squash(form.address)
        out["address"] = address
        if not 1 <= len(address) <= 500:
            errors["address"] = ADDRESS_ERROR
        elif problem := spoofing_problem("Address", address):
            errors["address"] = problem
    for attribute, message, label in (
        ("best_time_text", BEST_TIME_ERROR, "Best time"),
        ("duration_suggestion", DURATION_ERROR, "Duration"),
    ):
        raw = getattr(form, attribute)
        if raw is not None or not partial:
            out[attribute], error = _optional_text(raw, 100, message)
            if error := error or spoofing_problem(label, out[attribute]):
                errors[attribute] = error


def _clean_numbers(form: RecommendationForm, partial: bool, out: dict, errors: dict) -> None:
    for name in ("price_min", "price_max"):
        raw = getattr(form, name)
        if raw is not None or not partial:
            out[name], error = parse_price(raw)
            if error:
                errors[name] = error
    low, high = out.get("price_min"), out.get("price_max")
    if low is not None and high is not None and high < low:
        errors.setdefault("price_max", PRICE_ORDER_ERROR)
    if form.author_rating is not None or not partial:
        rating = _int_or_none(form.author_rating)
        out["author_rating"] = rating
        if rating is None or not 1 <= rating <= 5:
            errors["author_rating"] = RATING_ERROR
    _clean_coordinates(form, partial, out, errors)


def _clean_coordinates(form: RecommendationForm, partial: bool, out: dict, errors: dict) -> None:
    if partial and form.latitude is None and form.longitude is None:
        return
    latitude, lat_ok = parse_coordinate(form.latitude, 90)
    longitude, lng_ok = parse_coordinate(form.longitude, 180)
    if not lat_ok:
        errors["latitude"] = LATITUDE_ERROR
    if not lng_ok:
        errors["longitude"] = LONGITUDE_ERROR
    if lat_ok and lng_ok and (latitude is None) != (longitude is None):
        errors["longitude" if longitude is None else "latitude"] = COORDINATES_PAIR_ERROR
    out["latitude"], out["longitude"] = latitude, longitude


def _clean_choices(form: RecommendationForm, partial: bool, out: dict, errors: dict) -> None:
    if form.difficulty is not None or not partial:
        difficulty = squash(form.difficulty).lower() or None
        out["difficulty"] = difficulty
        if difficulty is not None and difficulty not in Difficulty.__members__:
            errors["difficulty"] = DIFFICULTY_ERROR
    if form.best_months is not None or not partial:
        months = {_int_or_none(month) for month in _items(form.best_months)}
        out["best_months"] = sorted(m for m in months if m is not None)
        if any(month is None or not 1 <= month <= 12 for month in months):
            errors["best_months"] = MONTHS_ERROR
    if form.visibility is not None:
        visibility = squash(form.visibility).lower() or None
        out["visibility"] = visibility
        if visibility is not None and visibility not in Visibility.__members__:
            errors["visibility"] = VISIBILITY_ERROR
    if form.tags is not None or not partial:
        out["tags"], error = clean_tags(form.tags)
        if error:
            errors["tags"] = error


def clean_recommendation_form(
    session: Session, form: RecommendationForm, *, partial: bool = False
) -> tuple[dict[str, Any], dict[str, str]]:
    """Normalised values and field errors for `form`.

    Values use the column names of `Recommendation`, plus `category` (CategoryChoice),
    `city` (CityChoice) and `tags` (list of names). `visibility` is only present when
    given (None: use the author's default). With `partial`, fields left at None are
    neither checked nor returned.
    """
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    _clean_texts(form, partial, out, errors)
    _clean_numbers(form, partial, out, errors)
    _clean_choices(form, partial, out, errors)
    if form.category_id is not None or form.custom_category is not None or not partial:
        out["category"], error = find_category(session, form)
        if error:
            errors["category"] = error
    if form.city_id is not None or form.city_text is not None or not partial:
        out["city"], error = find_city(session, form)
        if error:
            errors["city"] = error
    return out, errors


def validate_recommendation_form(
    session: Session, form: RecommendationForm, *, partial: bool = False
) -> dict[str, str]:
    """Field errors for `form` ({} when valid), with the messages the form shows.

    Anyone may call it (live validation); it reads categories and cities only. Keys are
    form field names, except `category` (category_id / custom_category) and `city`
    (city_id / city_text). The per-day custom category limit and photos are checked when
    the recommendation is created.
    """
    return clean_recommendation_form(session, form, partial=partial)[1]
