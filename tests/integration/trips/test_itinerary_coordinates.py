"""An activity's latitude/longitude (issue 12 item 3): both or neither, within range,
each refusal a field error with a clear message; shown on the page (6 dp, with a map
link) and carried into the calendar as GEO."""

from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar
from sqlmodel import Session

from citypulse.models import ItineraryItem
from citypulse.services.errors import ValidationFailed
from citypulse.services.trips.calendar import trip_calendar
from citypulse.services.trips.itinerary import ItemForm, item_add, item_update
from citypulse.services.trips.pages import trip_page
from citypulse.state.trips.views import day_views
from tests.integration.profiles.support import viewer_of
from tests.integration.trips.support import NOW, People, make_trip, run

PAIR = "Enter both latitude and longitude, or neither"


@pytest.fixture
def june(session: Session, people: People):
    return make_trip(session, people.alice, start=date(2026, 6, 10), end=date(2026, 6, 14))


def _activity_event(data: bytes):
    (event,) = [e for e in Calendar.from_ical(data).walk("VEVENT") if e["summary"] == "CN Tower"]
    return event


def _add(session: Session, people: People, trip, **fields) -> int:
    form = ItemForm(title="CN Tower", activity_date="2026-06-11", **fields)
    return run(session, item_add, people.alice, trip_id=trip.id, form=form)


def test_coordinates_are_stored_shown_and_exported(session: Session, people: People, june) -> None:
    item_id = _add(session, people, june, latitude=" 43.6426 ", longitude="-79.3871")
    item = session.get(ItineraryItem, item_id)
    assert (item.latitude, item.longitude) == (43.6426, -79.3871)

    page = trip_page(session, viewer=viewer_of(people.alice), trip_id=june.id)
    (shown,) = day_views(page)[0].activities
    assert shown.coordinates_label == "43.642600, -79.387100"
    assert (shown.latitude, shown.longitude) == ("43.642600", "-79.387100")  # the edit form
    assert shown.map_href.startswith("https://www.openstreetmap.org/?mlat=43.642600&mlon=")

    ics = trip_calendar(session, viewer=viewer_of(people.alice), trip_id=june.id, now=NOW)
    event = _activity_event(ics.data)
    geo = event.get("geo")
    assert (geo.latitude, geo.longitude) == (43.6426, -79.3871)


def test_no_coordinates_is_fine_and_shows_nothing(session: Session, people: People, june) -> None:
    item_id = _add(session, people, june)
    assert session.get(ItineraryItem, item_id).latitude is None
    page = trip_page(session, viewer=viewer_of(people.alice), trip_id=june.id)
    (shown,) = day_views(page)[0].activities
    assert (shown.coordinates_label, shown.map_href, shown.latitude) == ("", "", "")
    ics = trip_calendar(session, viewer=viewer_of(people.alice), trip_id=june.id, now=NOW)
    assert _activity_event(ics.data).get("geo") is None


@pytest.mark.parametrize(
    ("latitude", "longitude", "errors"),
    [
        ("90.5", "10", {"latitude": "Latitude must be between -90 and 90"}),
        ("-91", "10", {"latitude": "Latitude must be between -90 and 90"}),
        ("45", "180.01", {"longitude": "Longitude must be between -180 and 180"}),
        ("45", "-181", {"longitude": "Longitude must be between -180 and 180"}),
        ("north", "10", {"latitude": "Latitude must be a number, like 43.6426"}),
        ("45", "1,5", {"longitude": "Longitude must be a number, like -79.3871"}),
        ("nan", "10", {"latitude": "Latitude must be between -90 and 90"}),
        ("45", "", {"longitude": PAIR}),
        ("", "10", {"latitude": PAIR}),
    ],
)
def test_out_of_range_or_half_coordinates_are_field_errors(
    session: Session, people: People, june, latitude, longitude, errors
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _add(session, people, june, latitude=latitude, longitude=longitude)
    assert refused.value.field_errors == errors
    assert session.query(ItineraryItem).filter_by(trip_id=june.id).count() == 0


def test_edit_sets_and_clears_the_coordinates(session: Session, people: People, june) -> None:
    item_id = _add(session, people, june)
    form = ItemForm(title="CN Tower", activity_date="2026-06-11")
    for latitude, longitude, stored in (("-33.8568", "151.2153", (-33.8568, 151.2153)),
                                        ("", "", (None, None))):  # fmt: skip
        run(
            session,
            item_update,
            people.alice,
            item_id=item_id,
            form=ItemForm(**{**form.__dict__, "latitude": latitude, "longitude": longitude}),
            version=None,
        )
        item = session.get(ItineraryItem, item_id)
        session.refresh(item)
        assert (item.latitude, item.longitude) == stored


def test_a_crafted_non_text_value_is_a_field_error(session: Session, people: People, june) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _add(session, people, june, latitude={"x": 1}, longitude=True)
    assert set(refused.value.field_errors) == {"latitude", "longitude"}
