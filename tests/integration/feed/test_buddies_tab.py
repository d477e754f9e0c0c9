"""The Buddies tab (§4.9.2): buddies' posts newest first, keyset on (created_at, id)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from citypulse.services.feed.pages import new_posts_count
from tests.integration.feed.support import NOW, People, ids, page, post, scroll
from tests.integration.interactions.support import viewer
from tests.integration.profiles.support import connect


def test_newest_first_only_buddies(session: Session, people: People) -> None:
    connect(session, people.alice, people.carol)
    older = post(session, people.dave, age=timedelta(days=2))
    newer = post(session, people.carol, age=timedelta(hours=1))
    post(session, people.bob)  # a stranger

    assert scroll(session, people.alice, "buddies") == [newer.id, older.id]


def test_scroll_to_the_end_without_repeats_while_buddies_post(
    session: Session, people: People
) -> None:
    made = [post(session, people.dave, age=timedelta(minutes=m)) for m in range(1, 24)]
    first = page(session, people.alice, "buddies")
    assert first.started and len(first.items) == 10
    arrived = post(session, people.dave, age=timedelta(0))
    seen = ids(first)
    cursor = first.next_cursor
    while cursor is not None:
        later = page(session, people.alice, "buddies", cursor)
        seen += ids(later)
        cursor = later.next_cursor

    assert seen == [rec.id for rec in made]
    assert arrived.id not in seen
    since = first.since - timedelta(seconds=1)
    assert new_posts_count(session, viewer=viewer(people.alice), tab="buddies", since=since) == 1


def test_invalid_cursor_restarts_from_the_first_page(session: Session, people: People) -> None:
    rec = post(session, people.dave)
    result = page(session, people.alice, "buddies", "not-a-cursor")
    assert result.started and ids(result) == [rec.id]


def test_category_chip_filters(session: Session, people: People) -> None:
    wanted = post(session, people.dave)
    post(session, people.dave)
    result = page(session, people.alice, "buddies", category_id=wanted.category_id)
    assert ids(result) == [wanted.id]
    mixed = page(session, people.alice, "for_you", category_id=wanted.category_id)
    assert ids(mixed) == [wanted.id]
    assert NOW  # the posts are an hour old
