"""City read models → the typed view models of `/city/[name]` (cards: `views.card_views`)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from citypulse.services.recommendations.cities import CityChooser, CityOverview
from citypulse.services.recommendations.queries import CityRef


@dataclass(frozen=True)
class CityHeaderView:
    """The city's name, region, description and the link back to "All" categories."""

    name: str = ""
    region: str = ""  # "Ontario, Canada"
    description: str = ""
    places: str = ""  # "12 places"
    base_href: str = ""


@dataclass(frozen=True)
class CityStatView:
    label: str = ""
    value: int = 0


@dataclass(frozen=True)
class CategoryPillView:
    category_id: int = 0
    label: str = ""  # "Food (3)"
    href: str = ""


@dataclass(frozen=True)
class CityChoiceView:
    label: str = ""
    href: str = ""


def city_href(city: CityRef) -> str:
    """`/city/<name>?country=<country>`: one city even where several share the name."""
    return f"/city/{quote(city.name)}?country={quote(city.country)}"


def travellers_href(city: CityRef) -> str:
    """The finder's "Travellers to a city" tab, searching this city at once."""
    return f"/trips/companions?tab=travellers&city={quote(f'{city.name}, {city.country}')}"


def city_header(overview: CityOverview) -> CityHeaderView:
    city = overview.city
    return CityHeaderView(
        name=city.name,
        region=", ".join(part for part in (city.state, city.country) if part),
        description=overview.description,
        places=overview.places_label,
        base_href=city_href(city),
    )


def city_stats(overview: CityOverview) -> list[CityStatView]:
    return [
        CityStatView("Recommendations", overview.recommendations_count),
        CityStatView("Contributors", overview.contributors_count),
        CityStatView("Visitors", overview.visitors_count),
    ]


def category_pills(overview: CityOverview) -> list[CategoryPillView]:
    base = city_href(overview.city)
    return [
        CategoryPillView(c.id, f"{c.name} ({c.count})", f"{base}&category={c.id}")
        for c in overview.categories
    ]


def city_choices(chooser: CityChooser) -> list[CityChoiceView]:
    return [CityChoiceView(option.label, city_href(option)) for option in chooser.options]
