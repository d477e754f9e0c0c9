"""Trip pages' live channel: a TripChanged event bumps its parts on `trip-<id>`."""

from __future__ import annotations

import pytest

from citypulse.services.trips.events import TRIP_PARTS, TripChanged
from citypulse.state.push import pushes_for
from citypulse.state.trips.live import TripLive, changed_parts
from citypulse.state.trips.plan_live import RefreshPlan, TripPlanLive


class Blank:
    def __init__(self, **values: object) -> None:
        self.__dict__.update(values)


def blank() -> Blank:
    return Blank(serial=0, pull_serial=0, **{f"{part}_epoch": 0 for part in TRIP_PARTS})


def test_trip_changes_bump_their_parts_and_the_serial() -> None:
    [bump, plan] = pushes_for(TripChanged(trip_id=12, parts=("itinerary", "places")))
    shared_cls, key, change = bump
    live = blank()
    change(live)
    assert (shared_cls, key) == (TripLive, "trip-12")
    assert (live.serial, live.itinerary_epoch, live.places_epoch, live.cities_epoch) == (1, 1, 1, 0)
    assert live.pull_serial == 1  # the Places are re-read by every page
    assert plan == (TripPlanLive, "trip-12", RefreshPlan(12))


def test_an_itinerary_change_alone_is_pushed_without_a_re_read() -> None:
    [(_, _, change), (shared_cls, _, refresh)] = pushes_for(TripChanged(12, ("itinerary",)))
    live = blank()
    change(live)
    assert (live.serial, live.pull_serial) == (1, 0)  # only pages that re-read follow it
    assert (shared_cls, refresh) == (TripPlanLive, RefreshPlan(12))


def test_changes_that_leave_the_days_alone_push_no_itinerary() -> None:
    for parts in (("places",), ("companions",), ("comments",)):
        [(shared_cls, _, _)] = pushes_for(TripChanged(12, parts))
        assert shared_cls is TripLive
    for part in ("cities", "details"):  # the days name their cities, cost in the currency
        assert len(pushes_for(TripChanged(12, (part,)))) == 2


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
