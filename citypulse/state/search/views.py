"""Search read models → the typed views /search and the overlay render."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from citypulse.services.search.history import HistoryEntry
from citypulse.services.search.people import CityResult, PersonResult, ResultPage
from citypulse.services.search.places import PlacePage, PlaceResult
from citypulse.services.search.saved import SavedSearchItem
from citypulse.services.search.suggest import Suggestion
from citypulse.state.recommendations.views import CardView, card_views

KIND_LABELS = (("all", "All"), ("recommendations", "Places"), ("users", "People"),
               ("cities", "Cities"))  # fmt: skip


@dataclass(frozen=True)
class PlaceView:
    card: CardView = field(default_factory=CardView)
    distance: str = ""  # "1.2 km away" when searching near a point


@dataclass(frozen=True)
class PersonView:
    username: str = ""
    full_name: str = ""
    avatar: str = ""
    bio: str = ""
    limited: bool = False
    href: str = ""


@dataclass(frozen=True)
class CityView:
    name: str = ""
    label: str = ""
    href: str = ""


@dataclass(frozen=True)
class TabView:
    kind: str = "all"
    label: str = ""
    count: str = ""  # "12", "1000+"
    href: str = ""
    active: bool = False


@dataclass(frozen=True)
class HistoryView:
    id: int = 0
    query: str = ""
    label: str = ""  # the query, or "Filters only"
    href: str = ""


@dataclass(frozen=True)
class SavedView:
    id: int = 0
    name: str = ""
    summary: str = ""  # the query, or "Filters only"
    href: str = ""
    archived: bool = False


@dataclass(frozen=True)
class SuggestionView:
    index: int = 0
    kind: str = ""
    label: str = ""
    detail: str = ""
    href: str = ""
    option_id: str = ""  # the listbox option's DOM id (aria-activedescendant)
    place_id: int = 0  # a place suggestion's recommendation (0: another kind)


def count_text(total: int, capped: bool) -> str:
    return f"{total}+" if capped else str(total)


def place_views(items: Iterable[PlaceResult]) -> list[PlaceView]:
    results = list(items)
    cards = card_views(item.card for item in results)
    return [
        PlaceView(card, "" if item.distance_km is None else f"{item.distance_km:g} km away")
        for card, item in zip(cards, results, strict=True)
    ]


def person_views(items: Iterable[PersonResult]) -> list[PersonView]:
    return [
        PersonView(
            p.username, p.full_name, p.avatar_url, p.bio, p.limited, f"/profile/{p.username}"
        )
        for p in items
    ]


def city_views(items: Iterable[CityResult]) -> list[CityView]:
    return [CityView(c.name, c.label, c.href) for c in items]


def tab_views(base: str, kind: str, pages: dict[str, PlacePage | ResultPage]) -> list[TabView]:
    """The four tabs with counts; `base` is the search's URL parameters without the type."""
    total = sum(page.total for page in pages.values())
    capped = any(page.capped for page in pages.values())
    tabs = []
    for key, label in KIND_LABELS:
        count = count_text(total, capped) if key == "all" else count_text(
            pages[key].total, pages[key].capped)  # fmt: skip
        params = base if key == "all" else "&".join(p for p in (base, f"type={key}") if p)
        tabs.append(TabView(key, label, count, f"/search?{params}", key == kind))
    return tabs


def history_views(entries: Iterable[HistoryEntry]) -> list[HistoryView]:
    return [HistoryView(e.id, e.query, e.query or "Filters only", e.href) for e in entries]


def saved_views(items: Iterable[SavedSearchItem]) -> list[SavedView]:
    return [
        SavedView(s.id, s.name, s.query or "Filters only", s.href, not s.is_active) for s in items
    ]


def suggestion_views(items: Iterable[Suggestion]) -> list[SuggestionView]:
    return [
        SuggestionView(
            index, s.kind, s.label, s.detail, s.href, f"search-option-{index}", s.place_id or 0
        )
        for index, s in enumerate(items)
    ]
