"""The itinerary pushed to the open trip pages (§6.3, issue 12): read once per change,
the same for every viewer, and only for viewers who may still see the trip."""

from __future__ import annotations

from sqlmodel import Session

from citypulse.models import ItineraryItem, TripCity
from citypulse.models.enums import CompanionStatus, ModerationStatus, Visibility
from citypulse.services.trips.live_plan import live_plan
from citypulse.services.trips.pages import trip_page
from tests.integration.profiles.support import viewer_of
from tests.integration.trips.support import People, add_member, block, make_trip
from tests.support.factories import create_city, create_user


def _activity(session: Session, trip_id: int, adder_id: int, title: str, **kw) -> ItineraryItem:
    item = ItineraryItem(trip_id=trip_id, day_number=kw.pop("day", 1), position=0, title=title,
                         added_by_id=adder_id, updated_by_id=adder_id, **kw)  # fmt: skip
    session.add(item)
    session.flush()
    return item


def test_the_pushed_days_are_the_page_s_days_without_anyone_s_rights(
    session: Session, people: People
) -> None:
    trip = make_trip(session, people.alice, collaborative=True)
    add_member(session, trip, people.dave)
    stop = TripCity(trip_id=trip.id, city_id=create_city(session, name="Quebec").id, position=1)
    session.add(stop)
    session.flush()
    walk = _activity(session, trip.id, people.alice.id, "Old town walk", trip_city_id=stop.id)
    ferry = _activity(session, trip.id, people.dave.id, "Ferry", day=2)

    plan = live_plan(session, trip_id=trip.id, viewer_ids=[people.alice.id, people.dave.id])

    page = trip_page(session, viewer=viewer_of(people.dave), trip_id=trip.id)
    assert [[a.title for a in d.activities] for d in plan.days] == [["Old town walk"], ["Ferry"]]
    assert [d.label for d in plan.days] == [d.label for d in page.days]
    assert plan.days[0].activities[0].city_name == "Quebec"
    assert not any(a.can_delete for d in plan.days for a in d.activities)  # decided per page
    assert plan.added_by == {walk.id: people.alice.id, ferry.id: people.dave.id}
    assert plan.currency == trip.currency
    assert plan.viewers == {people.alice.id, people.dave.id}


def test_viewers_who_lost_the_trip_are_left_out(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice)  # buddies only: alice's buddy dave, members
    bob_row = add_member(session, trip, people.bob)
    add_member(session, trip, people.carol)
    stranger = create_user(session, username="t_stranger")
    asked = [people.alice.id, people.dave.id, people.bob.id, people.carol.id, stranger.id]
    assert live_plan(session, trip_id=trip.id, viewer_ids=asked).viewers == set(asked[:4])

    bob_row.status = CompanionStatus.removed  # removed from the trip, no buddy of alice's
    block(session, people.carol, people.alice)  # a block either way hides the trip
    session.flush()
    assert live_plan(session, trip_id=trip.id, viewer_ids=asked).viewers == {
        people.alice.id,
        people.dave.id,
    }

    trip.visibility = Visibility.private  # now members only: dave is a buddy, no member
    session.flush()
    seeing = live_plan(session, trip_id=trip.id, viewer_ids=asked).viewers
    assert seeing == {people.alice.id}

    trip.moderation_status = ModerationStatus.removed  # only its owner still sees it
    session.flush()
    assert live_plan(session, trip_id=trip.id, viewer_ids=asked).viewers == {people.alice.id}


def test_a_public_trip_is_pushed_to_any_signed_in_viewer_without_a_block(
    session: Session, people: People
) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    block(session, people.alice, people.bob)
    seeing = live_plan(session, trip_id=trip.id, viewer_ids=[people.carol.id, people.bob.id])
    assert seeing.viewers == {people.carol.id}
    assert live_plan(session, trip_id=trip.id, viewer_ids=[]).viewers == frozenset()


def test_a_deleted_trip_has_nothing_to_push(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice)
    trip_id = trip.id
    session.delete(trip)
    session.flush()
    assert live_plan(session, trip_id=trip_id, viewer_ids=[people.alice.id]) is None
