"""/city/[name]: header, stats, category pills, featured and all experiences (paged)."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import reflex as rx

from citypulse.services.errors import NotFound
from citypulse.services.recommendations.cities import (
    CityChooser,
    city_featured,
    city_overview,
    city_recommendations,
)
from citypulse.services.unit_of_work import run_transaction
from citypulse.state.recommendations.views import card_rows
from citypulse.state.session import SessionState


class CityState(SessionState):
    """What this viewer may see of one city."""

    status: str = "loading"  # loading | found | choose | missing
    city: dict[str, str] = {}
    stats: list[dict[str, str]] = []
    categories: list[dict[str, str]] = []
    choices: list[dict[str, str]] = []
    featured: list[dict[str, str]] = []
    items: list[dict[str, str]] = []
    category_id: str = ""
    has_more: bool = False
    _city_id: int = 0
    _cursor: str | None = None

    async def _run(self, action):
        return await asyncio.to_thread(run_transaction, action)

    @rx.event
    async def load(self):
        """on_load: resolve the name (and ?country=, ?category=) for this viewer."""
        self.status, self.items, self.featured, self.choices = "loading", [], [], []
        name = str(self.router.page.params.get("name", ""))
        query = self.router.url.query_parameters
        country, category = query.get("country") or None, query.get("category", "")
        self.category_id = category if category.isdigit() else ""
        viewer = await self._viewer()
        viewer_id = viewer.user_id if viewer else None
        try:
            result = await self._run(
                lambda db: city_overview(db, viewer_id=viewer_id, name=name, country=country)
            )
        except NotFound:
            self.status = "missing"
            return
        if isinstance(result, CityChooser):
            self.choices = [
                {"label": o.label, "href": f"/city/{quote(o.name)}?country={quote(o.country)}"}
                for o in result.options
            ]
            self.status = "choose"
            return
        self._show_overview(result)
        self._city_id, self._cursor = result.city.id, None
        if not self.category_id:
            cards = await self._run(
                lambda db: city_featured(db, viewer_id=viewer_id, city_id=result.city.id)
            )
            self.featured = card_rows(cards)
        await self._next_page(viewer_id)
        self.status = "found"

    def _show_overview(self, overview) -> None:
        city = overview.city
        base = f"/city/{quote(city.name)}?country={quote(city.country)}"
        self.city = {
            "name": city.name,
            "region": ", ".join(part for part in (city.state, city.country) if part),
            "description": overview.description,
            "places": overview.places_label,
            "base": base,
        }
        self.stats = [
            {"label": "Recommendations", "value": str(overview.recommendations_count)},
            {"label": "Contributors", "value": str(overview.contributors_count)},
            {"label": "Visitors", "value": str(overview.visitors_count)},
        ]
        self.categories = [
            {"id": str(c.id), "label": f"{c.name} ({c.count})", "href": f"{base}&category={c.id}"}
            for c in overview.categories
        ]

    async def _next_page(self, viewer_id: int | None) -> None:
        city_id, cursor = self._city_id, self._cursor
        category = int(self.category_id) if self.category_id else None
        page = await self._run(
            lambda db: city_recommendations(
                db, viewer_id=viewer_id, city_id=city_id, category_id=category, cursor=cursor
            )
        )
        self.items = [*self.items, *card_rows(page.items)]
        self._cursor, self.has_more = page.next_cursor, page.next_cursor is not None

    @rx.event
    async def load_more(self):
        """The next page of "All experiences" (keyset: never repeats an item)."""
        if not self._city_id or not self.has_more:
            return
        viewer = await self._viewer()
        await self._next_page(viewer.user_id if viewer else None)
