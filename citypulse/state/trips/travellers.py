"""/trips/companions?tab=travellers: "Travellers to a city" (§4.6.12).

The tab searches when its form (city, optional dates) is submitted, or at once when the
URL names a city (`?city=`, the city page's "See all travellers" link). Paging is the
service's keyset cursor, kept server-side.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import reflex as rx
from sqlmodel import Session

from citypulse.params import parse_text
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.trips.travellers import Traveller, TravellersPage, travellers_to_city
from citypulse.state.session import SessionState
from citypulse.state.social.buddies import _city_id
from citypulse.state.social.views import initial_of, profile_href
from citypulse.state.trips.finder import CITY_MAX, FindErrors, FindForm, _date, find_errors
from citypulse.state.trips.people_views import date_range

TAB = "travellers"


@dataclass(frozen=True)
class TravellerView:
    user_id: int
    username: str
    full_name: str
    initial: str
    href: str
    avatar_url: str
    is_buddy: bool
    trip_title: str
    trip_href: str
    dates: str


def traveller_view(row: Traveller) -> TravellerView:
    return TravellerView(
        user_id=row.user_id,
        username=row.username,
        full_name=row.full_name,
        initial=initial_of(row.full_name, row.username),
        href=profile_href(row.username),
        avatar_url=row.avatar_url,
        is_buddy=row.is_buddy,
        trip_title=row.trip_title,
        trip_href=f"/trips/{row.trip_id}",
        dates=date_range(row.start_date, row.end_date),
    )


def _travellers(
    db: Session, *, viewer: Viewer | None, form: FindForm, cursor: str | None
) -> TravellersPage:
    """The tab's loader: the city named in the form, then one page of travellers."""
    city_id = _city_id(db, viewer, form.city) if form.city else None
    return travellers_to_city(
        db,
        viewer=viewer,
        city_id=city_id,
        start=_date(form.start, "start"),
        end=_date(form.end, "end"),
        today=datetime.now(UTC).date(),
        cursor=cursor,
    )


class TravellersState(SessionState):
    """The travellers tab of an open /trips/companions page."""

    active: bool = False  # ?tab=travellers is open
    form: FindForm = FindForm()
    errors: FindErrors = FindErrors()
    travellers: list[TravellerView] = []
    has_more: bool = False
    searched: bool = False
    _cursor: str | None = None

    def _query(self, name: str, max_length: int) -> str:
        raw = self.router.url.query_parameters.get(name, "")
        return parse_text(str(raw), max_length=max_length) or ""

    async def _fetch(self, *, more: bool = False):
        cursor = self._cursor if more else None
        outcome = await self._load(_travellers, form=self.form, cursor=cursor)
        if outcome.field_errors:
            self.errors = find_errors(outcome.field_errors)
            self.travellers, self.has_more, self._cursor = [], False, None
            return None
        if not outcome.ok or outcome.value is None:
            return outcome.event
        self.errors = FindErrors()
        found = [traveller_view(row) for row in outcome.value.travellers]
        self.travellers = [*self.travellers, *found] if more else found
        self._cursor = outcome.value.next_cursor
        self.has_more = self._cursor is not None
        return None

    @rx.event
    async def load(self):
        """on_load: open the tab when `?tab=travellers`; `?city=` searches at once."""
        self.active = self._query("tab", 16) == TAB
        self.travellers, self.has_more, self._cursor = [], False, None
        self.errors = FindErrors()
        if not self.active:
            return None
        city = self._query("city", CITY_MAX)
        if city:
            self.form, self.searched = FindForm(city=city), True
        if not self.searched:
            return None
        return await self._fetch()

    @rx.event
    async def search(self, form: dict):
        """The city and dates of the form, from the first page."""
        form = form if isinstance(form, dict) else {}
        self.form = FindForm(
            city=str(form.get("city", "")).strip()[:CITY_MAX],
            start=str(form.get("start", "")).strip()[:10],
            end=str(form.get("end", "")).strip()[:10],
        )
        self.searched, self.active = True, True
        self.travellers, self.has_more, self._cursor = [], False, None
        return await self._fetch()

    @rx.event
    async def load_more(self):
        if not self.active or not self._cursor:
            return None
        return await self._fetch(more=True)
