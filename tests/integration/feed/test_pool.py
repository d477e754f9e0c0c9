"""For You's pool (issue 11): what the every-minute refresh keeps, and what is read live."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from citypulse.models import FeedPoolEntry, RecommendationCity, User
from citypulse.models.enums import AccountStatus
from citypulse.services.feed.pool import feed_pool_refresh
from citypulse.services.feed.trending import trending_refresh
from tests.integration.feed.support import NOW, People, ids, like, page, post
from tests.support.factories import create_city, create_user


def _pool(session: Session) -> dict[int, FeedPoolEntry]:
    return {row.recommendation_id: row for row in session.exec(select(FeedPoolEntry)).all()}


def test_refresh_keeps_the_last_90_days_of_active_places_by_active_authors(
    session: Session, people: People
) -> None:
    kept = post(session, people.bob)
    old = post(session, people.bob, age=timedelta(days=91))
    removed = post(session, people.bob)
    removed.status = "removed"
    suspended = create_user(session)
    by_suspended = post(session, suspended)
    suspended.account_status = AccountStatus.suspended
    city = create_city(session)
    session.add(RecommendationCity(recommendation_id=kept.id, city_id=city.id, is_primary=True))
    like(session, kept, create_user(session), timedelta(hours=1))
    trending_refresh(session, NOW)

    assert feed_pool_refresh(session, NOW) == 1
    pool = _pool(session)

    assert set(pool) == {kept.id}
    assert {old.id, removed.id, by_suspended.id}.isdisjoint(pool)
    row = pool[kept.id]
    assert (row.author_id, row.category_id, row.recommendation_created_at) == (
        people.bob.id, kept.category_id, kept.created_at,
    )  # fmt: skip
    assert (row.visibility, row.city_ids, row.trending) == ("public", [city.id], 2.0)


def test_refresh_writes_only_what_changed_and_drops_what_left(
    session: Session, people: People
) -> None:
    rec, other = post(session, people.bob), post(session, people.carol)
    feed_pool_refresh(session, NOW)
    assert feed_pool_refresh(session, NOW) == 0

    rec.visibility = "private"
    session.add(rec)
    carol = session.get(User, people.carol.id)
    carol.account_status = AccountStatus.deactivated
    session.add(carol)
    session.flush()

    assert feed_pool_refresh(session, NOW) == 2
    pool = _pool(session)
    assert pool[rec.id].visibility == "private" and other.id not in pool
    assert feed_pool_refresh(session, NOW + timedelta(days=90)) == 1  # rec is too old now
    assert _pool(session) == {}


def test_places_published_after_the_refresh_are_read_live(session: Session, people: People) -> None:
    earlier = post(session, people.bob, age=timedelta(hours=2))  # read from the pool only
    post(session, people.bob, age=timedelta(hours=1))
    feed_pool_refresh(session, NOW)
    newer = post(session, people.carol, age=timedelta(minutes=1))
    buddy_private = post(session, people.dave, visibility="friends_only", age=timedelta(0))
    stranger_private = post(session, people.bob, visibility="friends_only", age=timedelta(0))

    shown = ids(page(session, people.alice, "for_you"))

    assert shown[:2] == [buddy_private.id, newer.id] and earlier.id in shown
    assert stranger_private.id not in shown
