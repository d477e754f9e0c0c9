"""The history tab's completed trips (`services.trips.history`) → view models."""

from __future__ import annotations

from dataclasses import dataclass

from citypulse.services.trips.history import HistoryTrip
from citypulse.state.trips.people_views import date_range


@dataclass(frozen=True)
class HistoryTripView:
    trip_id: int = 0
    title: str = ""
    href: str = ""
    dates: str = ""
    cities: str = ""  # "Lisbon, Porto, Faro +1 more"
    role: str = ""  # "Organised" / "Joined"


def history_trip_views(trips: tuple[HistoryTrip, ...]) -> list[HistoryTripView]:
    views = []
    for trip in trips:
        cities = ", ".join(trip.cities) or "No cities"
        if trip.more_cities:
            cities += f" +{trip.more_cities} more"
        views.append(
            HistoryTripView(
                trip_id=trip.trip_id,
                title=trip.title,
                href=f"/trips/{trip.trip_id}",
                dates=date_range(trip.start_date, trip.end_date),
                cities=cities,
                role="Organised" if trip.owned else "Joined",
            )
        )
    return views
