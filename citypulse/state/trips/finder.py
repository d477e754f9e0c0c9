"""/trips/companions: Find companions, Discover trips, Suggested for you (§2.2, §4.6.12).

Each tab is a `?tab=` URL; a tab opens with one loader transaction. Find searches when
its form (city, dates) is submitted; "Request to join" on a card runs the same
`join_requests.join_request` as the trip page. Cards follow the viewer's standing live:
the answer to a request is a notification, so the page re-reads the cards it shows
when the viewer's notification epoch moves (Requested → Joined).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

import reflex as rx
from sqlmodel import Session

from citypulse.params import parse_id, parse_text
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import ValidationFailed
from citypulse.services.trips.finder import (
    CardsPage,
    discover_trips,
    find_companions,
    suggested_trips,
    trip_cards,
)
from citypulse.services.trips.join_requests import join_request
from citypulse.state.session import SessionState, UserChannel
from citypulse.state.social.buddies import _city_id
from citypulse.state.trips.people_views import TripCardView, trip_card_view

TABS = ("find", "discover", "suggested", "travellers")  # travellers: state/trips/travellers.py
CITY_MAX = 120
BAD_DATE = "Enter a date as YYYY-MM-DD"


@dataclass(frozen=True)
class FindErrors:
    city: str = ""
    start: str = ""
    end: str = ""


def find_errors(field_errors: dict[str, str]) -> FindErrors:
    """The refused fields of the city-and-dates form (other keys have no field here)."""
    return FindErrors(**{k: v for k, v in field_errors.items() if k in ("city", "start", "end")})


@dataclass(frozen=True)
class FindForm:
    city: str = ""
    start: str = ""
    end: str = ""


def _date(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed({field: BAD_DATE}) from None


def _find(db: Session, *, viewer: Viewer | None, form: FindForm, cursor: str | None) -> CardsPage:
    """The Find tab's loader: the city named in the form, then one page of trips."""
    city_id = _city_id(db, viewer, form.city) if form.city else None
    return find_companions(
        db,
        viewer=viewer,
        city_id=city_id,
        start=_date(form.start, "start"),
        end=_date(form.end, "end"),
        today=datetime.now(UTC).date(),
        cursor=cursor,
    )


def _suggested(db: Session, *, viewer: Viewer | None) -> CardsPage:
    return CardsPage(suggested_trips(db, viewer=viewer), None)


class TripFinderState(SessionState):
    """The open /trips/companions tab."""

    tab: str = "find"
    form: FindForm = FindForm()
    errors: FindErrors = FindErrors()
    cards: list[TripCardView] = []
    has_more: bool = False
    loaded: bool = False
    searched: bool = False  # Find shows results only after a search
    error: str = ""
    _cursor: str | None = None
    _epoch_seen: int = -1  # the notification epoch the cards reflect

    def _requested_tab(self) -> str:
        raw = parse_text(self.router.url.query_parameters.get("tab", ""), max_length=16)
        return raw if raw in TABS else "find"

    async def _fetch(self, *, more: bool = False):
        cursor = self._cursor if more else None
        if self.tab == "find":
            outcome: Any = await self._load(_find, form=self.form, cursor=cursor)
        elif self.tab == "discover":
            outcome = await self._load(discover_trips, cursor=cursor)
        else:
            outcome = await self._load(_suggested)
        if outcome.field_errors:
            self.errors = find_errors(outcome.field_errors)
            self.cards, self.has_more, self.loaded = [], False, True
            return None
        if not outcome.ok or outcome.value is None:
            return outcome.event
        self.errors = FindErrors()
        cards = [trip_card_view(card) for card in outcome.value.cards]
        self.cards = [*self.cards, *cards] if more else cards
        self._cursor = outcome.value.next_cursor
        self.has_more, self.loaded = self._cursor is not None, True
        self._epoch_seen = (await self.get_state(UserChannel)).notification_epoch
        return None

    @rx.event
    async def load(self):
        """on_load: the tab of `?tab=` (Find when missing or unknown)."""
        self.tab, self.loaded, self.error = self._requested_tab(), False, ""
        self.cards, self.has_more, self._cursor = [], False, None
        self.errors = FindErrors()
        if (self.tab == "find" and not self.searched) or self.tab == "travellers":
            self.loaded = True  # the travellers tab has its own state (TravellersState)
            return None
        return await self._fetch()

    @rx.event
    async def search(self, form: dict):
        """Find: the city and dates of the form, from the first page."""
        form = form if isinstance(form, dict) else {}
        self.form = FindForm(
            city=str(form.get("city", "")).strip()[:CITY_MAX],
            start=str(form.get("start", "")).strip()[:10],
            end=str(form.get("end", "")).strip()[:10],
        )
        self.tab, self.searched, self.error = "find", True, ""
        self.cards, self.has_more, self._cursor = [], False, None
        return await self._fetch()

    @rx.event
    async def load_more(self):
        if not self.loaded or not self._cursor:
            return None
        return await self._fetch(more=True)

    @rx.event
    async def request_join(self, trip_id: str):
        """A card's "Request to join"."""
        self.error = ""
        wanted = parse_id(trip_id)
        if wanted is None or all(card.trip_id != wanted for card in self.cards):
            self.error = "Trip not found"
            return None
        outcome = await self._call(join_request, trip_id=wanted, now=datetime.now(UTC))
        if outcome.signed_out or outcome.renewing:
            return outcome.redirect
        if outcome.error is not None:
            self.error = outcome.message
        return await self._refresh()

    async def _refresh(self):
        """Re-read the cards on screen (the viewer's standing on each)."""
        highlights = self.tab != "find"
        ids = [card.trip_id for card in self.cards]
        outcome = await self._load(trip_cards, trip_ids=ids, highlights=highlights)
        if not outcome.ok or outcome.value is None:
            return outcome.event
        fresh = {card.trip_id: trip_card_view(card) for card in outcome.value}
        # A trip no longer visible keeps its card, without the button.
        self.cards = [
            fresh.get(card.trip_id, replace(card, can_request=False)) for card in self.cards
        ]
        self._epoch_seen = (await self.get_state(UserChannel)).notification_epoch
        return None

    @rx.event
    async def standing_changed(self):
        """The viewer's notifications moved (a request answered?): re-read the cards."""
        channel = await self.get_state(UserChannel)
        if not self.cards or channel.notification_epoch == self._epoch_seen:
            return None
        return await self._refresh()
