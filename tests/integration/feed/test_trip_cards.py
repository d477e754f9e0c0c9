"""Trip cards in the feed (§4.9, §2.2): For You and Buddies, privacy, blocks, paging."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session

from citypulse.models import Trip, TripCity, TripCompanion
from citypulse.models.enums import CompanionRole, CompanionStatus, TripStatus, Visibility
from citypulse.services.feed.pages import FeedPage
from tests.integration.feed.support import NOW, People, page, post
from tests.integration.profiles.support import block, connect
from tests.support.factories import create_category, create_city


def trip(
    session: Session,
    owner,
    *,
    age=timedelta(hours=2),
    title="Weekend away",
    visibility=Visibility.public,
    status=TripStatus.planning,
    updated=None,
) -> Trip:
    """A trip by `owner` created `age` before NOW (last updated `updated` before NOW)."""
    changed = NOW - (updated if updated is not None else age)
    row = Trip(owner_id=owner.id, title=title, visibility=visibility, status=status,
               created_at=NOW - age, updated_at=changed)  # fmt: skip
    session.add(row)
    session.flush()
    session.add(TripCompanion(trip_id=row.id, user_id=owner.id, role=CompanionRole.owner,
                              status=CompanionStatus.accepted))  # fmt: skip
    session.flush()
    return row


def member(session: Session, row: Trip, user, status=CompanionStatus.accepted) -> None:
    session.add(TripCompanion(trip_id=row.id, user_id=user.id, status=status))
    session.flush()


def entries(result: FeedPage) -> list[tuple[str, int]]:
    return [("trip", item.trip.id) if item.trip is not None else ("rec", item.card.id)
            for item in result.items]  # fmt: skip


def scroll(session: Session, user, tab: str, **kwargs) -> list[tuple[str, int]]:
    result = page(session, user, tab, **kwargs)
    seen = entries(result)
    while result.next_cursor is not None:
        result = page(session, user, tab, result.next_cursor, **kwargs)
        seen += entries(result)
    return seen


def trips_in(seen: list[tuple[str, int]]) -> list[int]:
    return [item_id for kind, item_id in seen if kind == "trip"]


def test_for_you_shows_buddies_and_own_membership_trips(session: Session, people: People) -> None:
    lisbon = create_city(session, name="Lisbon")
    buddys = trip(session, people.dave, title="Dave in Lisbon")
    session.add(TripCity(trip_id=buddys.id, city_id=lisbon.id, position=1))
    friends = trip(session, people.dave, visibility=Visibility.friends_only)
    joined = trip(session, people.bob, title="Bob's, Alice joined")
    member(session, joined, people.alice)
    trip(session, people.bob)  # a stranger's public trip: not For You material
    invited = trip(session, people.carol)
    member(session, invited, people.alice, CompanionStatus.invited)  # not a member yet
    trip(session, people.dave, visibility=Visibility.private)
    trip(session, people.dave, status=TripStatus.cancelled)
    trip(session, people.dave, age=timedelta(days=60), updated=timedelta(days=40))  # stale
    trip(session, people.alice)  # her own
    post(session, people.bob)

    seen = scroll(session, people.alice, "for_you")
    assert sorted(trips_in(seen)) == sorted([buddys.id, friends.id, joined.id])
    # trips score 3 + R: above a stranger's post (R at most 1)
    assert seen[-1][0] == "rec"
    card = next(i.trip for i in page(session, people.alice, "for_you").items
                if i.trip is not None and i.trip.id == buddys.id)  # fmt: skip
    assert (card.title, card.cities, card.companions, card.status, card.owner_username) == (
        "Dave in Lisbon", ("Lisbon",), 1, "planning", "f_dave")  # fmt: skip
    # a category chip hides trips
    category = create_category(session)
    assert trips_in(scroll(session, people.alice, "for_you", category_id=category.id)) == []
    # carol, a stranger to all of them, gets no trips in For You
    assert trips_in(scroll(session, people.carol, "for_you")) == []


def test_blocks_and_privacy_changes_drop_trips(session: Session, people: People) -> None:
    joined = trip(session, people.bob)
    member(session, joined, people.alice)
    buddys = [trip(session, people.dave, age=timedelta(minutes=m)) for m in range(1, 13)]
    first = page(session, people.alice, "for_you")
    assert len(first.items) == 10 and first.next_cursor is not None
    # after the first page froze the list: one of dave's later trips turns private
    hidden = buddys[-1]
    session.execute(update(Trip).where(Trip.id == hidden.id).values(visibility="private"))
    rest = page(session, people.alice, "for_you", first.next_cursor)
    shown = entries(first) + entries(rest)
    assert ("trip", hidden.id) not in shown
    assert len(shown) == len(set(shown)) == 12  # 13 trips, one hidden: no repeats
    block(session, people.bob, people.alice)  # bob blocked alice: his trip is gone
    assert joined.id not in trips_in(scroll(session, people.alice, "for_you"))


def test_buddies_tab_merges_trips_by_created_at_without_repeats(
    session: Session, people: People
) -> None:
    recs = [post(session, people.dave, age=timedelta(minutes=2 * m)) for m in range(1, 10)]
    trips = [trip(session, people.dave, age=timedelta(minutes=2 * m + 1)) for m in range(1, 8)]
    tie = trip(session, people.dave, age=timedelta(minutes=2))  # same instant as recs[0]
    trip(session, people.dave, visibility=Visibility.private)
    trip(session, people.bob)  # not a buddy
    strangers = trip(session, people.carol)  # carol is no buddy of alice's
    seen = scroll(session, people.alice, "buddies")
    expected = [("rec", recs[0].id), ("trip", tie.id)]
    for m in range(1, 9):  # minute 2m+1: trips[m-1], then minute 2m+2: recs[m]
        if m < 8:
            expected.append(("trip", trips[m - 1].id))
        expected.append(("rec", recs[m].id))
    assert seen == expected
    assert ("trip", strangers.id) not in seen
    # a chip hides trips on the Buddies tab too
    category = create_category(session)
    assert trips_in(scroll(session, people.alice, "buddies", category_id=category.id)) == []


def test_buddies_tab_honours_blocks(session: Session, people: People) -> None:
    connect(session, people.alice, people.carol)
    carols = trip(session, people.carol)
    assert trips_in(scroll(session, people.alice, "buddies")) == [carols.id]
    block(session, people.alice, people.carol)  # blocking also ends the connection
    assert trips_in(scroll(session, people.alice, "buddies")) == []
