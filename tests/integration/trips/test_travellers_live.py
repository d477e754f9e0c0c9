"""Live "Upcoming travellers" on city pages (§6.3): which cities a trip change names."""

from __future__ import annotations

from sqlmodel import Session

from citypulse.models import TripCity
from citypulse.services.trips.cities import CityStopForm, trip_city_remove
from citypulse.services.trips.events import CityTravellersChanged
from citypulse.services.trips.itinerary import ItemForm, item_add
from citypulse.services.trips.trips import TripForm, trip_create, trip_delete, trip_set_status
from tests.integration.trips.support import People, run_with_events
from tests.support.factories import create_city

JUNE = TripForm(title="Iberia in June", start_date="2026-06-10", end_date="2026-06-14")


def cities_named(events: list) -> list[tuple[int, ...]]:
    return [e.city_ids for e in events if isinstance(e, CityTravellersChanged)]


def test_creating_changing_and_deleting_a_trip_names_its_cities(
    session: Session, people: People
) -> None:
    lisbon = create_city(session, name="Lisbon", country="Portugal")
    porto = create_city(session, name="Porto", country="Portugal")
    stops = [CityStopForm(city_text="Lisbon, Portugal"), CityStopForm(city_text="Porto, Portugal")]
    both = tuple(sorted((lisbon.id, porto.id)))

    trip_id, events = run_with_events(session, trip_create, people.alice, form=JUNE, cities=stops)
    assert cities_named(events) == [both]

    _, events = run_with_events(  # the itinerary is not on city pages
        session,
        item_add,
        people.alice,
        trip_id=trip_id,
        form=ItemForm(title="Tram 28", activity_date="2026-06-10"),
    )
    assert cities_named(events) == []

    _, events = run_with_events(
        session, trip_set_status, people.alice, trip_id=trip_id, status="cancelled"
    )
    assert cities_named(events) == [both]

    porto_stop = session.query(TripCity).filter_by(trip_id=trip_id, city_id=porto.id).one()
    _, events = run_with_events(session, trip_city_remove, people.alice, trip_city_id=porto_stop.id)
    assert cities_named(events) == [both]  # Porto's page drops the trip too

    _, events = run_with_events(session, trip_delete, people.alice, trip_id=trip_id)
    assert cities_named(events) == [(lisbon.id,)]
