"""The trip page's live re-read of the changed parts only (§6.3; issue 12 bench)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from citypulse.models import ItineraryItem, TripCity
from citypulse.services.errors import NotFound
from citypulse.services.trips.events import CITIES, COMMENTS, COMPANIONS, DETAILS, ITINERARY
from citypulse.services.trips.events import PLACES as PLACES_PART
from citypulse.services.trips.pages import trip_page, trip_page_parts
from citypulse.services.trips.shared_reads import SharedReads
from citypulse.state.trips.page_parts import lists_to_read, merged_versions, page_values
from citypulse.state.trips.views import PlaceView, day_views
from tests.integration.profiles.support import viewer_of
from tests.integration.trips.support import People, add_member, make_trip
from tests.support.factories import create_city


def test_changed_parts_map_to_the_lists_the_page_re_reads() -> None:
    assert lists_to_read([ITINERARY]) == {"itinerary"}
    assert lists_to_read([PLACES_PART]) == {"places"}
    assert lists_to_read([CITIES]) == {"cities", "itinerary"}  # activities name their city
    assert lists_to_read([DETAILS]) == {"cities", "itinerary", "places"}
    assert lists_to_read([COMPANIONS, COMMENTS]) == frozenset()  # their own tab states


def test_partial_read_reads_only_the_asked_lists(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, title="Parts")
    stop = TripCity(trip_id=trip.id, city_id=create_city(session, name="Porto").id, position=1)
    session.add(stop)
    session.flush()
    session.add(ItineraryItem(trip_id=trip.id, day_number=1, position=0, title="Walk",
                              trip_city_id=stop.id, added_by_id=people.alice.id,
                              updated_by_id=people.alice.id))  # fmt: skip
    session.flush()
    alice = viewer_of(people.alice)
    read = trip_page_parts(session, viewer=alice, trip_id=trip.id, parts={"itinerary"})
    assert (read.cities, read.places) == (None, None)
    assert [a.title for d in read.days for a in d.activities] == ["Walk"]
    assert read.trip.title == "Parts" and read.permissions.is_owner
    full = trip_page(session, viewer=alice, trip_id=trip.id)
    assert (full.days, full.trip) == (read.days, read.trip)
    with pytest.raises(NotFound):  # the access is checked on every partial read
        trip_page_parts(session, viewer=viewer_of(people.bob), trip_id=trip.id, parts=set())

    held = {"trip": 0, "city-1": 1, "item-999": 2, "place-7": 3}
    versions = merged_versions(held, read)
    assert "item-999" not in versions and versions["city-1"] == 1 and versions["place-7"] == 3
    item_id = read.days[0].activities[0].id
    assert versions[f"item-{item_id}"] == read.days[0].activities[0].version

    linked = PlaceView(id=7, title="Cafe", itinerary_item_id=str(item_id), activity_title="Old")
    values = page_values(read, tab="places", share_token="", held_days=[], held_places=[linked])
    assert "cities" not in values
    assert values["days"] == day_views(read)
    assert [p.activity_title for p in values["places"]] == ["Walk"]  # follows the new days


def test_tabs_catching_up_on_one_change_share_one_itinerary_read(
    session: Session, people: People
) -> None:
    """One read per generation for every tab, each still access-checked and with its own
    delete rights; a later generation reads again."""
    trip = make_trip(session, people.alice, title="Shared", collaborative=True)
    add_member(session, trip, people.dave)

    def item(title: str, adder) -> ItineraryItem:
        row = ItineraryItem(trip_id=trip.id, day_number=1, position=0, title=title,
                            added_by_id=adder.id, updated_by_id=adder.id)  # fmt: skip
        session.add(row)
        session.flush()
        return row

    item("Alice's walk", people.alice)
    item("Dave's lunch", people.dave)
    generation = ("shared-read-test", 1)

    def deletable(user) -> dict[str, bool]:
        read = trip_page_parts(session, viewer=viewer_of(user), trip_id=trip.id,
                               parts={"itinerary"}, generation=generation)  # fmt: skip
        return {a.title: a.can_delete for d in read.days for a in d.activities}

    assert deletable(people.alice) == {"Alice's walk": True, "Dave's lunch": True}  # owner
    item("Added meanwhile", people.alice)
    # The same generation: dave's tab gets alice's read, with his own delete rights.
    assert deletable(people.dave) == {"Alice's walk": False, "Dave's lunch": True}
    with pytest.raises(NotFound):  # a shared read is still behind each tab's access check
        trip_page_parts(session, viewer=viewer_of(people.bob), trip_id=trip.id,
                        parts={"itinerary"}, generation=generation)  # fmt: skip
    generation = ("shared-read-test", 2)
    assert "Added meanwhile" in deletable(people.dave)


def test_shared_reads_read_once_per_key_and_expire() -> None:
    reads: list[int] = []
    memo = SharedReads(ttl=60.0)
    assert memo.get("a", lambda: reads.append(1) or "first") == "first"
    assert memo.get("a", lambda: reads.append(2) or "second") == "first"
    assert memo.get("b", lambda: reads.append(3) or "other") == "other"
    assert reads == [1, 3]
    stale = SharedReads(ttl=-1.0)  # every entry already expired
    assert stale.get("a", lambda: "one") == "one"
    assert stale.get("a", lambda: "two") == "two"
