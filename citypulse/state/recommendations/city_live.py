"""Live "Upcoming travellers" on a city page (§6.3): one shared key per city, `city-<id>`.

Signed-in tabs showing /city/<name> with the list link `CityTravellersLive` to the
city's key once their loader showed it, and unlink when they leave the page. Only the
push adapter (state/push.py) writes it, from committed `CityTravellersChanged` events
(services/trips/events.py). Only an epoch travels: each tab re-reads the list for its
own viewer (the trips it may see, no blocked people).
"""

import reflex as rx


class CityTravellersLive(rx.SharedState):
    """Moves whenever a trip through the city was created, changed or cancelled."""

    epoch: int = 0


def channel_key(city_id: int) -> str:
    """The shared-state key of one city (no underscores allowed)."""
    return f"city-{city_id}"
