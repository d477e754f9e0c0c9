"""/city/[name]: header, stats, category pills, featured and all experiences (paged).

The page opens with one loader transaction (`city_page`); "Load more" is one more.
"Upcoming travellers" (signed-in viewers) is live: the tab follows the city's channel
(`CityTravellersLive`, key `city-<id>`) and re-reads the list when a trip through the
city was created, changed or cancelled (§6.3).
"""

from __future__ import annotations

from datetime import UTC, datetime

import reflex as rx

from citypulse.params import parse_id, parse_text
from citypulse.services.errors import NotFound
from citypulse.services.recommendations.city_page import city_experiences_more, city_page
from citypulse.services.recommendations.queries import RecommendationPage
from citypulse.services.sharing.page_meta import city_title, page_title
from citypulse.services.trips.travellers import upcoming_travellers
from citypulse.state import live_links
from citypulse.state.recommendations.city_live import CityTravellersLive, channel_key
from citypulse.state.recommendations.city_views import (
    CategoryPillView,
    CityChoiceView,
    CityHeaderView,
    CityStatView,
    category_pills,
    city_choices,
    city_header,
    city_stats,
    travellers_href,
)
from citypulse.state.recommendations.views import CardView, card_views
from citypulse.state.session import SessionState
from citypulse.state.trips.travellers import TravellerView, traveller_view

MAX_NAME = 200  # longer than any city or country name
DEFAULT_TITLE, NOT_FOUND_TITLE = page_title("City"), page_title("City not found")


class CityState(SessionState):
    """What this viewer may see of one city."""

    status: str = "loading"  # loading | found | choose | missing
    city: CityHeaderView = CityHeaderView()
    stats: list[CityStatView] = []
    categories: list[CategoryPillView] = []
    choices: list[CityChoiceView] = []
    featured: list[CardView] = []
    items: list[CardView] = []
    category_id: int = 0  # 0: all categories
    has_more: bool = False
    page_title: str = DEFAULT_TITLE  # "Toronto · CityPulse" once loaded
    show_travellers: bool = False  # "Upcoming travellers": signed-in viewers only
    travellers: list[TravellerView] = []
    travellers_href: str = ""  # the finder's travellers tab for this city
    _city_id: int = 0
    _cursor: str | None = None
    _travellers_seen: int = 0  # the city channel's epoch the list was read at

    @rx.event
    async def load(self):
        """on_load: resolve the name (and ?country=, ?category=) for this viewer."""
        self.status, self.items, self.featured, self.choices = "loading", [], [], []
        self._city_id, self._cursor, self.has_more = 0, None, False
        self.show_travellers, self.travellers, self.travellers_href = False, [], ""
        self.page_title = DEFAULT_TITLE
        name = parse_text(self.router.page.params.get("name", ""), max_length=MAX_NAME)
        query = self.router.url.query_parameters
        country = parse_text(query.get("country") or "", max_length=MAX_NAME)
        raw_category = str(query.get("category") or "")
        category = parse_id(raw_category) if raw_category else None
        if not name or country is None or (raw_category and category is None):
            self.status = "missing"  # ?category=abc, a NUL or an over-long name: no such page
            self.page_title = NOT_FOUND_TITLE
            return await self._leave_city()
        self.category_id = category or 0
        outcome = await self._load(
            city_page, name=name, country=country or None, category_id=category
        )
        if isinstance(outcome.error, NotFound):
            self.status, self.page_title = "missing", NOT_FOUND_TITLE
            return await self._leave_city()
        if not outcome.ok:
            return outcome.event
        page = outcome.value
        if page.chooser is not None:
            self.choices, self.status = city_choices(page.chooser), "choose"
            self.page_title = city_title(page.chooser.name)
            return await self._leave_city()
        overview = page.overview
        self.city, self.stats = city_header(overview), city_stats(overview)
        self.page_title = city_title(overview.city.name)
        self.categories = category_pills(overview)
        self.featured = card_views(page.featured)
        self._city_id = overview.city.id
        self._append(page.experiences)
        if page.travellers is not None:
            self.show_travellers = True
            self.travellers = [traveller_view(row) for row in page.travellers]
            self.travellers_href = travellers_href(overview.city)
            live = await self.get_state(CityTravellersLive)
            live = await live._link_to(channel_key(self._city_id))
            self._travellers_seen = live.epoch
        else:
            await self._leave_city()  # a visitor: no list to keep up to date
        self.status = "found"
        return None

    async def _leave_city(self) -> None:
        await live_links.unlink(self, CityTravellersLive)

    @rx.event
    async def leave(self):
        """on_unmount: this tab no longer shows the city, so it stops following it."""
        await self._leave_city()

    @rx.event
    async def catch_up_travellers(self):
        """The city's channel moved: re-read "Upcoming travellers" for this viewer.

        The epoch is read on the server, so a crafted call can at most re-read this
        viewer's own list of the city the tab shows.
        """
        if not self._city_id or not self.show_travellers:
            return None
        epoch = (await self.get_state(CityTravellersLive)).epoch
        if epoch == self._travellers_seen:
            return None  # an earlier re-read already covered this change
        self._travellers_seen = epoch
        outcome = await self._load(
            upcoming_travellers, city_id=self._city_id, today=datetime.now(UTC).date()
        )
        if not outcome.ok:
            return outcome.event
        self.travellers = [traveller_view(row) for row in outcome.value]
        return None

    def _append(self, page: RecommendationPage) -> None:
        self.items = [*self.items, *card_views(page.items)]
        self._cursor, self.has_more = page.next_cursor, page.next_cursor is not None

    @rx.event
    async def load_more(self):
        """The next page of "All experiences" (keyset: never repeats an item)."""
        if not self._city_id or not self.has_more:
            return None
        outcome = await self._load(
            city_experiences_more,
            city_id=self._city_id,
            category_id=self.category_id or None,
            cursor=self._cursor,
        )
        if not outcome.ok:
            return outcome.event
        self._append(outcome.value)
        return None
