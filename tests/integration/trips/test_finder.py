"""The companion finder (PRODUCT.md §4.6.12): Find, Discover, Suggested, paging, cards."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session

from citypulse.models import CityVisit, TripCity, TripRecommendation, UserInterest
from citypulse.models.enums import CompanionStatus, TripStatus, Visibility
from citypulse.services.errors import PermissionDenied, ValidationFailed
from citypulse.services.trips import finder as f
from citypulse.services.trips import join_requests as j
from tests.integration.profiles.support import viewer_of
from tests.integration.support import NOW
from tests.integration.trips.support import People, add_member, block, connect, make_trip, run
from tests.support.factories import create_category, create_city, create_recommendation, create_user

TODAY = date(2025, 3, 10)


def trip_through(session: Session, owner, cities, *, start=date(2025, 5, 1), days=4, **kw):
    trip = make_trip(session, owner, start=start, end=start + timedelta(days=days), **kw)
    for position, city in enumerate(cities, start=1):
        session.add(TripCity(trip_id=trip.id, city_id=city.id, position=position))
    session.flush()
    return trip


def find(session: Session, user, city, start=None, end=None, cursor=None) -> f.CardsPage:
    return f.find_companions(session, viewer=viewer_of(user), city_id=city.id, start=start,
                             end=end, today=TODAY, cursor=cursor)  # fmt: skip


def test_journey_7_24_carol_finds_bobs_lisbon_trip(session: Session, people: People) -> None:
    lisbon, porto, faro = (create_city(session, name=n) for n in ("Lisbon", "Porto", "Faro"))
    trip = trip_through(session, people.bob, [lisbon, porto, faro], visibility=Visibility.public,
                        title="Lisbon long weekend")  # fmt: skip
    page = find(session, people.carol, lisbon, date(2025, 5, 2), date(2025, 5, 3))
    (card,) = page.cards
    assert (card.trip_id, card.owner_username, card.cities, card.more_cities) == (
        trip.id, "t_bob", ("Lisbon", "Porto"), 1)  # fmt: skip
    assert card.companions == 1 and card.can_request and card.my_status == ""
    assert not card.owner_is_buddy and page.next_cursor is None

    run(session, j.join_request, people.carol, trip_id=trip.id, now=NOW)
    (card,) = f.trip_cards(session, viewer=viewer_of(people.carol), trip_ids=[trip.id])
    assert card.my_status == "requested" and not card.can_request
    run(session, j.join_accept, people.bob, trip_id=trip.id, user_id=people.carol.id, now=NOW)
    (card,) = f.trip_cards(session, viewer=viewer_of(people.carol), trip_ids=[trip.id])
    assert card.my_status == "accepted" and card.companions == 2  # "Joined"
    # a new search leaves out trips already joined
    assert find(session, people.carol, lisbon, date(2025, 5, 2), date(2025, 5, 3)).cards == ()


def test_find_rules(session: Session, people: People) -> None:
    lisbon, porto = create_city(session, name="Lisbon"), create_city(session, name="Porto")
    public = dict(visibility=Visibility.public)
    ok = trip_through(session, people.bob, [lisbon], **public)
    trip_through(session, people.bob, [porto], **public)  # another city
    trip_through(session, people.bob, [lisbon], start=date(2025, 6, 1), **public)  # no overlap
    trip_through(session, people.carol, [lisbon])  # friends_only, carol is no buddy of dave's
    trip_through(session, people.dave, [lisbon], **public)  # his own
    done = trip_through(session, people.bob, [lisbon], **public)
    done.status = TripStatus.completed
    cancelled = trip_through(session, people.bob, [lisbon], **public)
    cancelled.status = TripStatus.cancelled
    session.add_all([done, cancelled])
    full = trip_through(session, people.bob, [lisbon], **public)
    for n in range(19):
        add_member(session, full, create_user(session, username=f"t_f{n:02}"))
    blocked_owner = create_user(session, username="t_grumpy")
    trip_through(session, blocked_owner, [lisbon], **public)
    block(session, blocked_owner, people.dave)
    inactive = create_user(session, username="t_gone", status="deactivated")
    trip_through(session, inactive, [lisbon], **public)
    found = find(session, people.dave, lisbon, date(2025, 5, 3), date(2025, 5, 20))
    assert [card.trip_id for card in found.cards] == [ok.id]
    # without dates: trips not over yet
    assert find(session, people.dave, lisbon).cards[0].trip_id == ok.id

    with pytest.raises(ValidationFailed, match="both dates"):
        find(session, people.dave, lisbon, date(2025, 5, 3))
    with pytest.raises(ValidationFailed, match="on or after"):
        find(session, people.dave, lisbon, date(2025, 5, 3), date(2025, 5, 1))
    with pytest.raises(ValidationFailed, match="Choose a city"):
        f.find_companions(session, viewer=viewer_of(people.dave), city_id=None, today=TODAY)
    with pytest.raises(PermissionDenied):
        f.find_companions(session, viewer=None, city_id=lisbon.id, today=TODAY)


def test_buddies_trips_first_then_by_start_date_paged(session: Session, people: People) -> None:
    lisbon = create_city(session, name="Lisbon")
    carol_buddy = people.carol
    connect(session, people.dave, carol_buddy)
    others = [
        trip_through(
            session,
            people.bob,
            [lisbon],
            visibility=Visibility.public,
            start=date(2025, 5, 1) + timedelta(days=n),
        )
        for n in range(f.PAGE_SIZE)
    ]
    buddies = [
        trip_through(session, carol_buddy, [lisbon], start=date(2025, 5, 20) - timedelta(days=n))
        for n in range(3)
    ]
    first = find(session, people.dave, lisbon)
    expected = [t.id for t in reversed(buddies)] + [t.id for t in others]
    assert [card.trip_id for card in first.cards] == expected[: f.PAGE_SIZE]
    assert all(card.owner_is_buddy for card in first.cards[:3])
    second = find(session, people.dave, lisbon, cursor=first.next_cursor)
    assert [card.trip_id for card in second.cards] == expected[f.PAGE_SIZE :]
    assert second.next_cursor is None
    # a buddies-only trip of a buddy's takes a request from the owner's buddy
    assert first.cards[0].can_request


def test_discover_and_suggested(session: Session, people: People) -> None:
    lisbon, rome = create_city(session, name="Lisbon"), create_city(session, name="Rome")
    food, art = create_category(session, name="Food"), create_category(session, name="Art")
    session.add(UserInterest(user_id=people.dave.id, category_id=food.id))
    session.add(CityVisit(user_id=people.dave.id, city_id=rome.id))

    def completed(owner, city, places, **kw):
        trip = trip_through(session, owner, [city], visibility=Visibility.public, **kw)
        trip.status = TripStatus.completed
        session.add(trip)
        for n, (category, status, visibility) in enumerate(places):
            title = f"{trip.title} {n}"
            rec = create_recommendation(session, author=owner, category=category, title=title,
                                        visibility=visibility)  # fmt: skip
            session.add(TripRecommendation(trip_id=trip.id, recommendation_id=rec.id,
                                           status=status, added_by_id=owner.id))  # fmt: skip
        session.flush()
        return trip

    visited = "visited"
    older = completed(people.bob, lisbon, [(food, visited, "public")] * 2, title="Food tour")
    art_places = [(art, visited, "public"), (art, visited, "private"), (art, visited, "public"),
                  (art, visited, "public"), (art, "wishlist", "public")]  # fmt: skip
    newer = completed(people.bob, lisbon, art_places, title="Art tour")
    completed(people.bob, rome, [(food, visited, "public")] * 3, title="Rome")  # dave was there
    completed(people.dave, lisbon, [], title="Mine")
    friends = trip_through(session, people.alice, [lisbon])
    friends.status = TripStatus.completed
    session.add(friends)
    session.flush()
    older.created_at = NOW - timedelta(days=2)
    newer.created_at = NOW - timedelta(days=1)
    session.add_all([older, newer])
    session.flush()

    shown = f.discover_trips(session, viewer=viewer_of(people.dave))
    titles = [card.title for card in shown.cards]
    assert "Mine" not in titles and "Summer in Canada" not in titles  # own; not public
    art_card = next(card for card in shown.cards if card.trip_id == newer.id)
    assert [h.title for h in art_card.highlights] == ["Art tour 0", "Art tour 2", "Art tour 3"]
    assert not art_card.can_request and art_card.refusal == j.JOIN_CLOSED

    suggested = f.suggested_trips(session, viewer=viewer_of(people.dave))
    # Lisbon only (Rome visited); food places first, then newest
    assert [card.trip_id for card in suggested] == [older.id, newer.id]


def test_finder_needs_an_active_user(session: Session, people: People) -> None:
    with pytest.raises(PermissionDenied):
        f.discover_trips(session, viewer=None)
    with pytest.raises(PermissionDenied):
        f.suggested_trips(session, viewer=None)
    with pytest.raises(PermissionDenied):
        f.trip_cards(session, viewer=None, trip_ids=[1])
    private = make_trip(session, people.alice, visibility=Visibility.private)
    add_member(session, private, people.carol, status=CompanionStatus.removed)
    assert f.trip_cards(session, viewer=viewer_of(people.dave), trip_ids=[private.id]) == ()
