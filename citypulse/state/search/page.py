"""/search: the URL is the search (`?q=&type=&sort=&category=&price=&min_rating=…`).

Opening a /search URL runs it (`search_screen`: one history entry, merged with the same
search within 10 minutes) — the header box, the overlay, the filter form, a suggestion
chip, a recent or saved search all navigate to such a URL, so each executed search is
exactly one entry and typing records nothing. Tabs and "Load more" read without recording.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from citypulse.services.errors import NotFound, ValidationFailed
from citypulse.services.search.history import history_clear, history_delete
from citypulse.services.search.page import SearchResults, search_page, search_screen
from citypulse.services.search.request import (
    LOCATION_MESSAGE,
    SearchRequest,
    filters_from_params,
    parse_request,
)
from citypulse.services.search.saved import (
    saved_search_archive,
    saved_search_create,
    saved_search_delete,
    saved_search_lists,
    saved_search_rename,
)
from citypulse.state.search.views import (
    CityView,
    HistoryView,
    PersonView,
    PlaceView,
    SavedView,
    TabView,
    city_views,
    history_views,
    person_views,
    place_views,
    saved_views,
    tab_views,
)
from citypulse.state.session import SessionState

LOCATION_REFUSED = "Location is off. Allow it in your browser, or search a city instead."
SUGGESTION_CHIPS = ("Coffee shops", "Restaurants", "Hidden gems", "Tourist spots",
                    "Local favorites")  # fmt: skip
# Asks the browser for the position; resolves to "lat,lng", or "" when refused/unavailable.
GEOLOCATE_JS = (
    "new Promise((done) => { if (!navigator.geolocation) { done(''); return; }"
    " navigator.geolocation.getCurrentPosition("
    "(p) => done(p.coords.latitude + ',' + p.coords.longitude), () => done(''),"
    " {timeout: 10000, maximumAge: 600000}); })"
)


def _text(form: dict[str, Any], key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


class SearchState(SessionState):
    """One search's results, its form, and the viewer's recent and saved searches."""

    status: str = "loading"  # loading | suggest | results | empty | invalid
    q: str = ""
    kind: str = "all"
    sort: str = "relevance"
    category: str = ""
    price_min: str = ""
    price_max: str = ""
    min_rating: str = ""
    difficulty: str = ""
    has_photos: bool = False
    radius: str = "50"
    near_label: str = ""  # "Near you" / "Near this place" while searching around a point
    form_key: int = 0  # remounts the filter form with the loaded values
    field_errors: dict[str, str] = {}
    location_message: str = ""
    showing_for: str = ""
    view: str = "grid"  # grid | list
    tabs: list[TabView] = []
    places: list[PlaceView] = []
    people: list[PersonView] = []
    cities: list[CityView] = []
    has_more: bool = False
    categories: list[tuple[str, str]] = []  # (id, name)
    recent: list[HistoryView] = []
    saved: list[SavedView] = []
    archived: list[SavedView] = []
    show_archived: bool = False
    save_error: str = ""
    renaming: int = 0
    rename_error: str = ""
    _request: SearchRequest = SearchRequest()
    _cursor: str | None = None

    # Opening a search

    def _params(self) -> dict[str, str]:
        return {key: str(value) for key, value in self.router.url.query_parameters.items()}

    def _show_form(self, request: SearchRequest) -> None:
        self.q, self.kind, self.sort = request.text, request.kind, request.sort
        self.category = str(request.categories[0]) if request.categories else ""
        low_high = request.price or ("", "")
        self.price_min, self.price_max = str(low_high[0]), str(low_high[1])
        self.min_rating = str(request.min_rating or "")
        self.difficulty = request.difficulty[0] if request.difficulty else ""
        self.has_photos = request.has_photos
        near = request.near
        self.radius = str(near.radius_km if near else 50)
        self.near_label = ""
        if near is not None:
            self.near_label = "Near this place" if near.recommendation_id else "Near you"
        self.form_key += 1

    def _show_results(self, results: SearchResults) -> None:
        request = results.request
        self._request = request
        self.showing_for = results.showing_for
        base = request.with_text(results.showing_for or request.text)
        params = SearchRequest(**{**base.__dict__, "kind": "all"}).query_string()
        pages = {"recommendations": results.places, "users": results.people,
                 "cities": results.cities}  # fmt: skip
        self.tabs = tab_views(params, request.kind, pages)
        self.places = place_views(results.places.items)
        self.people = person_views(results.people.items)
        self.cities = city_views(results.cities.items)
        shown = pages.get(request.kind)
        self._cursor = shown.next_cursor if shown is not None else None
        self.has_more = self._cursor is not None
        if request.is_empty and request.kind != "cities":
            self.status = "suggest"
        else:
            self.status = "results" if results.total or self.cities else "empty"

    @rx.event
    async def load(self):
        """on_load: run the search in the URL (one history entry) and read the lists."""
        self.status, self.field_errors, self.location_message = "loading", {}, ""
        params = self._params()
        text, filters = params.get("q", ""), filters_from_params(params)
        outcome = await self._call(search_screen, text=text, filters=filters, now=datetime.now(UTC))
        if isinstance(
            outcome.error, ValidationFailed | NotFound
        ):  # NotFound: "near" a hidden place
            self.field_errors = outcome.field_errors or {"near": outcome.message}
            outcome = await self._call(search_screen, now=datetime.now(UTC))
            if outcome.ok:
                self.q = text[:200]
                self._fill(outcome.value)
                self.status = "invalid"
            return outcome.event
        if not outcome.ok:
            return outcome.event
        self._show_form(outcome.value.results.request)
        self._fill(outcome.value)
        return None

    def _fill(self, screen: Any) -> None:
        self._show_results(screen.results)
        self.categories = [(str(c.id), c.name) for c in screen.categories]
        self.recent = history_views(screen.recent)
        self.saved = saved_views(screen.saved)
        self.archived = saved_views(screen.archived)

    @rx.event
    async def load_more(self):
        """The next page of the shown tab (keyset; nothing recorded)."""
        if not self.has_more or self._request.kind == "all":
            return None
        request = self._request.with_text(self.showing_for or self._request.text)
        outcome = await self._load(
            search_page, text=request.text, filters=request.filters_json(), cursor=self._cursor
        )
        if not outcome.ok:
            return outcome.event
        results: SearchResults = outcome.value
        self.places = [*self.places, *place_views(results.places.items)]
        self.people = [*self.people, *person_views(results.people.items)]
        self.cities = [*self.cities, *city_views(results.cities.items)]
        shown = {"recommendations": results.places, "users": results.people,
                 "cities": results.cities}[self._request.kind]  # fmt: skip
        self._cursor = shown.next_cursor
        self.has_more = self._cursor is not None
        return None

    @rx.event
    def submit(self, form: dict[str, Any]):
        """The filter form: check it here, then open its URL (which runs and records it)."""
        low, high = _text(form, "price_min"), _text(form, "price_max")
        filters: dict[str, Any] = {
            "kind": self.kind if self.kind in ("recommendations", "cities", "users") else "",
            "sort": _text(form, "sort"),
            "categories": _text(form, "category"),
            "difficulty": _text(form, "difficulty"),
            "min_rating": _text(form, "min_rating"),
            "has_photos": form.get("photos") in ("on", True, "true"),
        }
        if low or high:
            filters["price"] = f"{low or 0}-{high or 1000}"
        near = self._request.near
        if near is not None and form.get("keep_near") in ("on", True, "true"):
            filters["near"] = {**self._request.filters_json()["near"],
                               "radius_km": _text(form, "radius")}  # fmt: skip
        try:
            request = parse_request(_text(form, "q"), filters)
        except ValidationFailed as error:
            self.field_errors = error.field_errors
            return None
        self.field_errors = {}
        return rx.redirect(f"/search?{request.query_string()}")

    @rx.event
    def set_view(self, view: str):
        """Grid or list."""
        self.view = "list" if view == "list" else "grid"

    @rx.event
    def near_me(self):
        """Ask the browser for the position; `located` gets "lat,lng" or "" when refused."""
        self.location_message = ""
        return rx.call_script(GEOLOCATE_JS, callback=SearchState.located)

    @rx.event
    def located(self, position: str):
        """Search around the browser's position (or explain that location is off)."""
        parts = position.split(",") if isinstance(position, str) and position else []
        if len(parts) != 2:
            self.location_message = LOCATION_REFUSED
            return None
        filters = {"near": {"lat": parts[0], "lng": parts[1], "radius_km": self.radius or 50}}
        try:
            request = parse_request(self.q, filters)
        except ValidationFailed:
            self.location_message = LOCATION_MESSAGE
            return None
        return rx.redirect(f"/search?{request.query_string()}")

    # Recent searches

    @rx.event
    async def delete_recent(self, entry_id: int):
        outcome = await self._call(history_delete, entry_id=entry_id, now=datetime.now(UTC))
        if outcome.ok:
            self.recent = [item for item in self.recent if item.id != entry_id]
        return outcome.event

    @rx.event
    async def clear_recent(self):
        outcome = await self._call(history_clear, now=datetime.now(UTC))
        if outcome.ok:
            self.recent = []
        return outcome.event

    # Saved searches

    async def _saved_changed(self, outcome: Any, done: str) -> Any:
        if not outcome.ok:
            return outcome.event
        lists = await self._load(saved_search_lists)
        if lists.ok:
            self.saved, self.archived = saved_views(lists.value[0]), saved_views(lists.value[1])
        return rx.toast.success(done)

    @rx.event
    async def save_search(self, form: dict[str, Any]):
        """Save the search on screen under the typed name."""
        request = self._request
        outcome = await self._call(
            saved_search_create,
            name=form.get("name"),
            text=request.text,
            filters=request.filters_json(),
            now=datetime.now(UTC),
        )
        self.save_error = outcome.field_errors.get("name", "") or (
            "" if outcome.ok else outcome.message
        )
        if self.save_error:
            return None
        return await self._saved_changed(outcome, "Search saved")

    @rx.event
    def start_rename(self, saved_id: int):
        self.renaming, self.rename_error = int(saved_id) if isinstance(saved_id, int) else 0, ""

    @rx.event
    def cancel_rename(self):
        self.renaming, self.rename_error = 0, ""

    @rx.event
    async def rename_saved(self, form: dict[str, Any]):
        outcome = await self._call(
            saved_search_rename, saved_id=self.renaming, name=form.get("name"),
            now=datetime.now(UTC),
        )  # fmt: skip
        if not outcome.ok and outcome.field_errors:
            self.rename_error = outcome.field_errors.get("name", outcome.message)
            return None
        self.renaming = 0
        return await self._saved_changed(outcome, "Saved search renamed")

    @rx.event
    async def archive_saved(self, saved_id: int):
        outcome = await self._call(
            saved_search_archive, saved_id=saved_id, archived=True, now=datetime.now(UTC)
        )
        return await self._saved_changed(outcome, "Saved search archived")

    @rx.event
    async def unarchive_saved(self, saved_id: int):
        outcome = await self._call(
            saved_search_archive, saved_id=saved_id, archived=False, now=datetime.now(UTC)
        )
        return await self._saved_changed(outcome, "Saved search restored")

    @rx.event
    async def delete_saved(self, saved_id: int):
        outcome = await self._call(saved_search_delete, saved_id=saved_id, now=datetime.now(UTC))
        return await self._saved_changed(outcome, "Saved search deleted")

    @rx.event
    def toggle_archived(self):
        self.show_archived = not self.show_archived


def chip_href(label: str) -> str:
    """A suggestion chip's search."""
    return f"/search?{urlencode({'q': label})}"
