"""The demo world's content, kept as JSON data next to this module.

`places.json`: real places, written as their authors would share them.
`cities.json`: about thirty real cities with coordinates and IANA time zones.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import NamedTuple

DATA_DIR = Path(__file__).parent


class DemoPlace(NamedTuple):
    """One demo recommendation."""

    author: str
    city: str
    category: str
    title: str
    address: str
    price: tuple[float | None, float | None]
    rating: int
    tags: tuple[str, ...]
    description: str
    visibility: str = "public"


class DemoCity(NamedTuple):
    """One seeded city."""

    name: str
    state_province: str | None
    country: str
    lat: float
    lng: float
    timezone: str
    description: str


@cache
def demo_places() -> list[DemoPlace]:
    """The demo recommendations, in publishing order."""
    rows = json.loads((DATA_DIR / "places.json").read_text())
    return [
        DemoPlace(**{**row, "price": tuple(row["price"]), "tags": tuple(row["tags"])})
        for row in rows
    ]


@cache
def demo_cities() -> list[DemoCity]:
    """The seeded cities."""
    return [DemoCity(**row) for row in json.loads((DATA_DIR / "cities.json").read_text())]
