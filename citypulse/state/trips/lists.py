"""/trips: the viewer's own and joined trips by status, their invitations and counts."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from citypulse.services.trips.my_trips import MyTrips, TripCard, my_trips
from citypulse.state.session import SessionState
from citypulse.state.trips.views import ROLE_LABELS, STATUS_LABELS, VISIBILITY_LABELS

FILTERS = (
    ("", "All"),
    ("planning", "Planning"),
    ("active", "Active"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
)


@dataclass(frozen=True)
class TripCardView:
    id: int = 0
    title: str = ""
    href: str = ""
    dates_label: str = ""
    status_label: str = ""
    visibility_label: str = ""
    cover_url: str = ""
    cities_label: str = ""
    members_label: str = ""
    role_label: str = ""
    is_owner: bool = False


@dataclass(frozen=True)
class FilterView:
    label: str = ""
    href: str = ""
    count: str = ""
    is_current: bool = False


def card_view(card: TripCard) -> TripCardView:
    members = f"{card.members_count} member" + ("" if card.members_count == 1 else "s")
    return TripCardView(
        id=card.id,
        title=card.title,
        href=f"/trips/{card.id}",
        dates_label=card.dates_label,
        status_label=STATUS_LABELS.get(card.status, ""),
        visibility_label=VISIBILITY_LABELS.get(card.visibility, ""),
        cover_url=card.cover_url,
        cities_label=card.cities_label,
        members_label=members,
        role_label=ROLE_LABELS.get(card.role, ""),
        is_owner=card.is_owner,
    )


def filter_views(result: MyTrips, current: str) -> list[FilterView]:
    return [
        FilterView(
            label,
            f"/trips?status={key}" if key else "/trips",
            str(result.counts.get(key or "all", 0)),
            key == current,
        )
        for key, label in FILTERS
    ]


class MyTripsState(SessionState):
    """The signed-in viewer's trips."""

    loaded: bool = False
    status: str = ""
    trips: list[TripCardView] = []
    invitations: list[TripCardView] = []
    filters: list[FilterView] = []
    planning: int = 0
    active: int = 0
    completed: int = 0
    summary: str = ""  # "2 owned · 1 joined · 1 invitation"
    error: str = ""

    @rx.event
    async def load(self):
        """on_load: the lists for `?status=` (All when missing or unknown)."""
        wanted = self.router.page.params.get("status", "")
        self.status = wanted if wanted in {key for key, _ in FILTERS} else ""
        outcome = await self._load(
            lambda db, viewer: my_trips(db, viewer=viewer, status=self.status) if viewer else None
        )
        if not outcome.ok or outcome.value is None:
            self.error, self.loaded = outcome.message, True
            return outcome.event if outcome.error is not None else None
        result = outcome.value
        self.trips = [card_view(card) for card in result.trips]
        self.invitations = [card_view(card) for card in result.invitations]
        self.filters = filter_views(result, self.status)
        self.planning, self.active = result.counts["planning"], result.counts["active"]
        self.completed, self.error, self.loaded = result.counts["completed"], "", True
        invited = result.counts["invited"]
        self.summary = (
            f"{result.counts['owned']} owned · {result.counts['joined']} joined · "
            f"{invited} invitation{'' if invited == 1 else 's'}"
        )
        return None
