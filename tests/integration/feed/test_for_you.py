"""For You (PRODUCT.md §4.9.1, journey §7.17): ranking, frozen sessions, restarts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.models import CityVisit, FeedSnapshot, RecommendationCity
from citypulse.services.errors import ValidationFailed
from citypulse.services.feed.pages import new_posts_count
from citypulse.services.feed.ranking import Ranked, limit_author_runs
from citypulse.services.feed.ready import RANKING_TTL
from tests.integration.feed.support import (
    NOW,
    People,
    ids,
    interests,
    like,
    page,
    post,
    save,
    scroll,
)
from tests.integration.interactions.support import block, viewer
from tests.integration.profiles.support import connect
from tests.support.factories import create_category, create_city

# Every For You case runs twice: ranked live (empty pool) and from a refreshed pool.
pytestmark = pytest.mark.usefixtures("ranking_source")


def test_journey_7_17_interests_rank_above_and_blocked_author_is_absent(
    session: Session, people: People
) -> None:
    nature, restaurant, shopping = (create_category(session) for _ in range(3))
    interests(session, people.alice, nature, restaurant)
    block(session, people.alice, people.carol)
    bob = people.bob
    dave_post = post(session, people.dave, nature, age=timedelta(hours=3))
    bob_post = post(session, bob, shopping, age=timedelta(hours=1))  # newer, not of interest
    carol_post = post(session, people.carol, nature, age=timedelta(minutes=5))

    ranked = ids(page(session, people.alice, "for_you"))

    assert ranked.index(dave_post.id) < ranked.index(bob_post.id)
    assert carol_post.id not in ranked


def test_interest_alone_outranks_a_newer_post(session: Session, people: People) -> None:
    nature, shopping = create_category(session), create_category(session)
    interests(session, people.alice, nature)
    stranger_nature = post(session, people.carol, nature, age=timedelta(days=2))
    newer_shopping = post(session, people.bob, shopping, age=timedelta(minutes=1))

    ranked = ids(page(session, people.alice, "for_you"))

    assert ranked == [stranger_nature.id, newer_shopping.id]


def test_buddy_outranks_interest_and_own_posts_never_show(session: Session, people: People) -> None:
    nature, other = create_category(session), create_category(session)
    interests(session, people.alice, nature)
    by_interest = post(session, people.bob, nature)
    by_buddy = post(session, people.dave, other, age=timedelta(days=3))
    own = post(session, people.alice, nature)

    ranked = ids(page(session, people.alice, "for_you"))

    assert ranked == [by_buddy.id, by_interest.id]
    assert own.id not in ranked


def test_older_than_90_days_only_while_fewer_than_20(session: Session, people: People) -> None:
    old = post(session, people.bob, age=timedelta(days=120))
    assert ids(page(session, people.alice, "for_you")) == [old.id]
    category = create_category(session)
    for _ in range(20):
        post(session, people.carol, category, age=timedelta(days=10))
    # Back-dated posts are not "published since" the stored ranking: rank again, as once
    # that ranking has expired.
    later = NOW + RANKING_TTL
    assert old.id not in scroll(session, people.alice, "for_you", now=later)


def test_scrolling_never_repeats_while_new_posts_arrive(session: Session, people: People) -> None:
    category = create_category(session)
    for minutes in range(25):
        post(session, people.bob, category, age=timedelta(minutes=30 + minutes))
    first = page(session, people.alice, "for_you")
    # Published after the session began (its list is completed after that: `first_look`).
    newcomers = [post(session, people.carol, category, age=-timedelta(seconds=1)) for _ in range(3)]
    seen = ids(first)
    cursor = first.next_cursor
    while cursor is not None:
        later = page(session, people.alice, "for_you", cursor, now=NOW + timedelta(minutes=1))
        assert not later.started
        seen += ids(later)
        cursor = later.next_cursor

    assert len(seen) == len(set(seen)) == 25
    assert not {rec.id for rec in newcomers} & set(seen)
    pill = new_posts_count(session, viewer=viewer(people.alice), tab="for_you", since=first.since)
    assert pill == len(newcomers)


def test_items_no_longer_visible_are_skipped(session: Session, people: People) -> None:
    category = create_category(session)
    posts = [post(session, people.bob, category, age=timedelta(minutes=m)) for m in range(12)]
    first = page(session, people.alice, "for_you")
    block(session, people.carol, people.alice)  # unrelated
    posts[11].status = "removed"
    session.add(posts[11])
    session.flush()

    rest = page(session, people.alice, "for_you", first.next_cursor)

    assert posts[11].id not in ids(rest)
    assert rest.next_cursor is None


@pytest.mark.parametrize("cursor", ["bogus", "1.1.1", "99999999.0", "-1.0", "", "0.0"])
def test_invalid_or_foreign_cursor_restarts(session: Session, people: People, cursor: str) -> None:
    post(session, people.bob)
    result = page(session, people.alice, "for_you", cursor)
    assert result.started and len(result.items) == 1


def test_another_users_session_is_not_readable(session: Session, people: People) -> None:
    for minutes in range(12):
        post(session, people.carol, age=timedelta(minutes=minutes), visibility="friends_only")
    connect(session, people.bob, people.carol)
    bobs = page(session, people.bob, "for_you")
    assert bobs.next_cursor is not None

    alices = page(session, people.alice, "for_you", bobs.next_cursor)

    assert alices.started and alices.items == ()  # carol's buddies-only posts stay bob's


def test_expired_session_restarts(session: Session, people: People) -> None:
    for minutes in range(12):
        post(session, people.bob, age=timedelta(minutes=minutes))
    first = page(session, people.alice, "for_you")
    later = page(session, people.alice, "for_you", first.next_cursor, now=NOW + timedelta(hours=1))
    assert later.started and len(later.items) == 10


def test_sessions_per_user_are_capped(session: Session, people: People) -> None:
    for _ in range(25):
        page(session, people.alice, "for_you")
    rows = session.query(FeedSnapshot).filter(FeedSnapshot.user_id == people.alice.id).count()
    assert rows == 20


@pytest.mark.parametrize(("tab", "window"), [("everything", 7), ("trending", 14)])
def test_unknown_tab_or_window_is_refused(
    session: Session, people: People, tab: str, window: int
) -> None:
    with pytest.raises(ValidationFailed):
        page(session, people.alice, tab, window_days=window)


def test_author_runs_are_broken_while_others_remain() -> None:
    def item(i: int, author: int) -> Ranked:
        return Ranked(i, author, 10.0 - i)

    ranked = [item(1, 7), item(2, 7), item(3, 7), item(4, 8), item(5, 7), item(6, 7)]
    assert [c.id for c in limit_author_runs(ranked)] == [1, 2, 4, 3, 5, 6]

    # Counted on from what precedes (a first look's items, `first_look.complete`).
    assert [c.id for c in limit_author_runs([item(1, 7), item(2, 8)], before=[7, 7])] == [2, 1]
    assert [c.id for c in limit_author_runs([item(1, 7), item(2, 8)], before=[7, 8])] == [1, 2]
    assert [c.id for c in limit_author_runs([item(1, 7), item(2, 8)], before=[None])] == [1, 2]


def test_a_city_the_viewer_visited_counts(session: Session, people: People) -> None:
    lisbon = create_city(session)
    session.add(CityVisit(user_id=people.alice.id, city_id=lisbon.id))
    in_lisbon = post(session, people.bob, age=timedelta(hours=5))
    session.add(
        RecommendationCity(recommendation_id=in_lisbon.id, city_id=lisbon.id, is_primary=True)
    )
    elsewhere = post(session, people.carol, age=timedelta(hours=1))
    session.flush()
    assert ids(page(session, people.alice, "for_you")) == [in_lisbon.id, elsewhere.id]


def test_cards_carry_the_viewers_own_like_and_save(session: Session, people: People) -> None:
    liked, saved, plain = (post(session, people.bob, age=timedelta(hours=h)) for h in (1, 2, 3))
    like(session, liked, people.alice, timedelta(minutes=5))
    save(session, saved, people.alice, timedelta(minutes=5))
    like(session, plain, people.carol, timedelta(minutes=5))  # someone else's
    items = {
        item.card.id: (item.liked, item.saved)
        for item in page(session, people.alice, "for_you").items
    }
    assert items == {liked.id: (True, False), saved.id: (False, True), plain.id: (False, False)}


def test_later_pages_carry_the_own_like_and_save_also_past_skipped_items(
    session: Session, people: People
) -> None:
    category = create_category(session)
    posts = [post(session, people.bob, category, age=timedelta(minutes=m)) for m in range(30)]
    save(session, posts[3], people.alice, timedelta(minutes=1))
    for index in (12, 21, 24):  # 24: past the first chunk of 14 ids the page reads
        like(session, posts[index], people.alice, timedelta(minutes=1))
    first = page(session, people.alice, "for_you")
    for index in (10, 11, 13, 14, 15):
        posts[index].status = "removed"
        session.add(posts[index])
    session.flush()

    second = page(session, people.alice, "for_you", first.next_cursor)

    assert [item.saved for item in first.items] == [i == 3 for i in range(10)]
    expected = [12, *range(16, 25)]
    assert ids(second) == [posts[i].id for i in expected]
    assert [item.liked for item in second.items] == [i in (12, 21, 24) for i in expected]
    assert not any(item.saved for item in second.items)
