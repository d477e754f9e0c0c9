"""The "N new posts" pill (§6.7): publishing announces itself; each feed counts its own."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from citypulse.services.feed.events import RecommendationPublished
from citypulse.services.feed.pages import NEW_POSTS_CAP, new_posts_count
from citypulse.services.recommendations.commands import recommendation_create
from tests.integration.feed.support import NOW, People, page, post
from tests.integration.interactions.support import act, viewer
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


def test_counts_posts_after_the_session_began_in_the_list_and_chip(
    session: Session, people: People
) -> None:
    chip = create_category(session)
    first = page(session, people.alice, "for_you", now=NOW - timedelta(minutes=5))
    post(session, people.bob, chip, age=timedelta(minutes=1))
    post(session, people.bob, age=timedelta(minutes=2))
    post(session, people.bob, age=timedelta(minutes=10))  # before the session

    def count(tab: str, category_id: int | None = None) -> int:
        return new_posts_count(
            session, viewer=viewer(people.alice), tab=tab, category_id=category_id,
            since=first.since,
        )  # fmt: skip

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
