"""The "N new posts" pill (§6.7): publishing announces itself; each feed counts its own."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from citypulse.models.enums import TripStatus, Visibility
from citypulse.services.feed.events import RecommendationPublished, TripPublished
from citypulse.services.feed.pages import NEW_POSTS_CAP, new_posts_count
from citypulse.services.recommendations.commands import recommendation_create
from citypulse.services.trips.trips import TripForm, trip_create
from tests.integration.feed.support import NOW, People, page, post
from tests.integration.feed.test_trip_cards import member, trip
from tests.integration.interactions.support import act, viewer
from tests.integration.profiles.support import block
from tests.integration.recommendations.support import form
from tests.support.factories import create_category


def test_publishing_announces_a_new_post_after_commit(session: Session, people: People) -> None:
    category = create_category(session)
    created, events = act(
        session, recommendation_create, actor=viewer(people.bob),
        form=form(category_id=category.id), now=NOW,
    )  # fmt: skip
    assert [e for e in events if isinstance(e, RecommendationPublished)] == [
        RecommendationPublished(created.id, people.bob.id)
    ]


def counter(session: Session, user, since: datetime):
    """`count(tab, category_id=None)`: the user's pill count since `since`."""
    return lambda tab, category_id=None: new_posts_count(
        session, viewer=viewer(user), tab=tab, category_id=category_id, since=since
    )


def test_counts_posts_after_the_session_began_in_the_list_and_chip(
    session: Session, people: People
) -> None:
    chip = create_category(session)
    first = page(session, people.alice, "for_you", now=NOW - timedelta(minutes=5))
    post(session, people.bob, chip, age=timedelta(minutes=1))
    post(session, people.bob, age=timedelta(minutes=2))
    post(session, people.bob, age=timedelta(minutes=10))  # before the session

    count = counter(session, people.alice, first.since)

    assert count("for_you") == count("trending") == 2
    assert count("for_you", chip.id) == 1
    assert count("buddies") == 0  # bob is no buddy of alice


def test_the_count_stops_at_the_cap(session: Session, people: People) -> None:
    category = create_category(session)
    for _ in range(NEW_POSTS_CAP + 5):
        post(session, people.bob, category, age=timedelta(seconds=1))
    since = NOW - timedelta(minutes=1)
    counted = new_posts_count(session, viewer=viewer(people.alice), tab="for_you", since=since)
    assert counted == NEW_POSTS_CAP + 1


def test_new_trips_count_where_their_list_would_show_them(session: Session, people: People) -> None:
    """§4.9/§6.7: a new trip the list would show raises the pill like a new post does."""
    first = page(session, people.alice, "for_you", now=NOW - timedelta(minutes=5))
    minute = timedelta(minutes=1)
    trip(session, people.dave, age=minute)  # a buddy's: For You and Buddies
    joined = trip(session, people.bob, age=minute)  # alice belongs to it: For You
    member(session, joined, people.alice)
    trip(session, people.bob, age=minute)  # a stranger's public trip
    trip(session, people.dave, age=minute, visibility=Visibility.private)
    trip(session, people.dave, age=minute, status=TripStatus.cancelled)
    trip(session, people.alice, age=minute)  # her own
    trip(session, people.dave, age=timedelta(minutes=10))  # before the session

    count = counter(session, people.alice, first.since)

    assert count("for_you") == 2
    assert count("buddies") == 1
    assert count("trending") == 0  # Trending shows no trips
    assert count("for_you", create_category(session).id) == 0  # a chip hides trips
    block(session, people.dave, people.alice)
    assert count("for_you") == 1


def test_a_created_trip_announces_itself_after_commit(session: Session, people: People) -> None:
    created, events = act(session, trip_create, actor=viewer(people.dave), form=TripForm(
        title="Porto weekend", visibility="public"), now=NOW)  # fmt: skip
    assert [e for e in events if isinstance(e, TripPublished)] == [
        TripPublished(created, people.dave.id)
    ]
