"""Places (PRODUCT.md §4.6.8): visible recommendations, statuses, links, removal."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from citypulse.models import TripRecommendation
from citypulse.models.enums import CompanionRole, Visibility
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.trips.itinerary import ItemForm, item_add, item_delete
from citypulse.services.trips.page_lists import UNAVAILABLE
from citypulse.services.trips.pages import trip_page
from citypulse.services.trips.places import (
    place_add,
    place_remove,
    place_update,
    trips_to_add_to,
)
from tests.integration.profiles.support import viewer_of
from tests.integration.trips.support import (
    People,
    add_member,
    make_trip,
    run,
    run_with_events,
    trip_events,
)
from tests.support.factories import create_recommendation


@pytest.fixture
def trip(session: Session, people: People):
    trip = make_trip(
        session,
        people.alice,
        visibility=Visibility.public,
        start=date(2026, 6, 10),
        end=date(2026, 6, 14),
    )
    add_member(session, trip, people.dave)
    return trip


def test_members_add_visible_recommendations_to_the_wishlist(
    session: Session, people: People, trip
) -> None:
    rec = create_recommendation(session, author=people.bob, title="Pastel de nata")
    place_id, events = run_with_events(
        session, place_add, people.dave, trip_id=trip.id, recommendation_id=rec.id
    )
    place = session.get(TripRecommendation, place_id)
    assert (place.status, place.added_by_id) == ("wishlist", people.dave.id)
    assert trip_events(events) == [(trip.id, ("places",))]
    with pytest.raises(Conflict, match="already on the trip"):
        run(session, place_add, people.alice, trip_id=trip.id, recommendation_id=rec.id)
    with pytest.raises(PermissionDenied):  # a non-collaborative participant: wishlist only
        run(
            session,
            place_add,
            people.dave,
            trip_id=trip.id,
            recommendation_id=create_recommendation(session, author=people.bob).id,
            status="visited",
        )


def test_hidden_recommendations_cannot_be_added(session: Session, people: People, trip) -> None:
    private = create_recommendation(session, author=people.bob, visibility="private")
    with pytest.raises(NotFound, match="Recommendation not found"):
        run(session, place_add, people.alice, trip_id=trip.id, recommendation_id=private.id)
    with pytest.raises(NotFound):
        run(session, place_add, people.alice, trip_id=trip.id, recommendation_id=2_000_000_000)
    with pytest.raises(PermissionDenied):  # sees the public trip, is no member
        run(
            session,
            place_add,
            people.carol,
            trip_id=trip.id,
            recommendation_id=create_recommendation(session, author=people.bob).id,
        )


def test_status_notes_and_itinerary_link_by_editors(session: Session, people: People, trip) -> None:
    rec = create_recommendation(session, author=people.bob)
    place_id = run(session, place_add, people.alice, trip_id=trip.id, recommendation_id=rec.id)
    item_id = run(
        session,
        item_add,
        people.alice,
        trip_id=trip.id,
        form=ItemForm(title="Lunch", activity_date="2026-06-11"),
    )
    seen = session.get(TripRecommendation, place_id).updated_at
    run(
        session,
        place_update,
        people.alice,
        place_id=place_id,
        status="confirmed",
        notes="Book ahead",
        itinerary_item_id=str(item_id),
        version=seen,
    )
    session.expire_all()
    place = session.get(TripRecommendation, place_id)
    assert (place.status, place.notes, place.itinerary_item_id) == (
        "confirmed",
        "Book ahead",
        item_id,
    )
    with pytest.raises(Conflict):
        run(session, place_update, people.alice, place_id=place_id, status="visited", version=seen)
    with pytest.raises(ValidationFailed):
        run(session, place_update, people.alice, place_id=place_id, status="maybe")
    with pytest.raises(PermissionDenied):
        run(session, place_update, people.dave, place_id=place_id, status="visited")
    run(session, item_delete, people.alice, item_id=item_id)
    session.expire_all()
    assert session.get(TripRecommendation, place_id).itinerary_item_id is None


def test_removal_by_owner_organizer_or_adder(session: Session, people: People, trip) -> None:
    add_member(session, trip, people.carol)
    add_member(session, trip, people.bob, CompanionRole.organizer)
    recs = [create_recommendation(session, author=people.bob) for _ in range(3)]
    daves = run(session, place_add, people.dave, trip_id=trip.id, recommendation_id=recs[0].id)
    alices = run(session, place_add, people.alice, trip_id=trip.id, recommendation_id=recs[1].id)
    carols = run(session, place_add, people.carol, trip_id=trip.id, recommendation_id=recs[2].id)
    with pytest.raises(PermissionDenied):
        run(session, place_remove, people.dave, place_id=alices)
    run(session, place_remove, people.dave, place_id=daves)
    run(session, place_remove, people.bob, place_id=alices)
    run(session, place_remove, people.alice, place_id=carols)
    assert session.get(TripRecommendation, carols) is None


def test_places_hidden_from_a_reader_show_as_unavailable(
    session: Session, people: People, trip
) -> None:
    buddies_only = create_recommendation(
        session, author=people.alice, visibility="friends_only", title="Secret bar"
    )
    run(session, place_add, people.alice, trip_id=trip.id, recommendation_id=buddies_only.id)
    own = trip_page(session, viewer=viewer_of(people.alice), trip_id=trip.id)
    assert [p.title for p in own.places] == ["Secret bar"]
    stranger = trip_page(session, viewer=viewer_of(people.carol), trip_id=trip.id)
    assert [(p.title, p.available, p.recommendation_id) for p in stranger.places] == [
        (UNAVAILABLE, False, 0)
    ]


def test_dave_gets_not_found_on_alices_private_places(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.private)
    rec = create_recommendation(session, author=people.alice)
    place_id = run(session, place_add, people.alice, trip_id=trip.id, recommendation_id=rec.id)
    for service, kwargs in [
        (place_add, {"trip_id": trip.id, "recommendation_id": rec.id}),
        (place_update, {"place_id": place_id, "status": "visited"}),
        (place_remove, {"place_id": place_id}),
    ]:
        with pytest.raises(NotFound):
            run(session, service, people.dave, **kwargs)


def test_add_to_trip_offers_the_viewers_open_trips(session: Session, people: People, trip) -> None:
    rec = create_recommendation(session, author=people.bob)
    other = make_trip(session, people.dave, title="Dave's own")
    run(session, place_add, people.alice, trip_id=trip.id, recommendation_id=rec.id)
    choices = trips_to_add_to(session, viewer=viewer_of(people.dave), recommendation_id=rec.id)
    assert [(c.id, c.added) for c in choices] == [(other.id, False), (trip.id, True)]
    assert trips_to_add_to(session, viewer=None, recommendation_id=rec.id) == ()
    assert trips_to_add_to(session, viewer=viewer_of(people.carol), recommendation_id=rec.id) == ()
