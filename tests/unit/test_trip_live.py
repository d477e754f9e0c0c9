"""Trip pages' live channel: a TripChanged event bumps its parts on `trip-<id>`."""

from __future__ import annotations

import pytest

from citypulse.services.trips.events import TRIP_PARTS, TripChanged
from citypulse.state.push import pushes_for
from citypulse.state.trips.live import TripLive, changed_parts


class Blank:
    def __init__(self, **values: object) -> None:
        self.__dict__.update(values)


def blank() -> Blank:
    return Blank(serial=0, **{f"{part}_epoch": 0 for part in TRIP_PARTS})


def test_trip_changes_bump_their_parts_and_the_serial() -> None:
    [(shared_cls, key, change)] = pushes_for(TripChanged(trip_id=12, parts=("itinerary", "places")))
    live = blank()
    change(live)
    assert (shared_cls, key) == (TripLive, "trip-12")
    assert (live.serial, live.itinerary_epoch, live.places_epoch, live.cities_epoch) == (1, 1, 1, 0)


def test_changed_parts_reports_each_moved_epoch_once() -> None:
    live = blank()
    seen = {f"{part}": 0 for part in TRIP_PARTS}
    live.comments_epoch = 2
    assert changed_parts(live, seen) == ["comments"]
    assert changed_parts(live, seen) == []


def test_unknown_parts_are_refused() -> None:
    from citypulse.services.trips.events import trip_changed

    with pytest.raises(ValueError):
        trip_changed(None, 1, "members")  # type: ignore[arg-type]
