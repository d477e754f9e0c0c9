"""Trending (§4.9.3, journey §7.19): T per window, materialised by the job-runner pass."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlmodel import Session

from citypulse.models import TrendingScore
from citypulse.services.feed import trending
from citypulse.services.feed.snapshots import feed_snapshots_purge
from citypulse.services.feed.trending import trending_refresh
from tests.integration.feed.support import (
    NOW,
    People,
    fans,
    ids,
    like,
    page,
    post,
    rate,
    save,
    scroll,
    views,
)
from tests.support.factories import create_category

DAY = timedelta(days=1)


def _scores(session: Session, window: int) -> dict[int, float]:
    rows = session.execute(
        select(TrendingScore.recommendation_id, TrendingScore.score).where(
            TrendingScore.window_days == window
        )
    ).all()
    return {rid: round(score, 6) for rid, score in rows}


def test_journey_7_19_saves_and_views_outrank_likes_and_old_likes_drop_out(
    session: Session, people: People
) -> None:
    a, b, c = fans(session, 3)
    r1, r2 = post(session, people.bob, age=DAY * 3), post(session, people.carol, age=DAY * 3)
    stale = post(session, people.bob, age=DAY * 20)
    like(session, r1, a, DAY)
    like(session, r1, b, DAY * 2)  # T(R1) = 4
    save(session, r2, a, DAY)
    views(session, r2, 20, DAY)  # T(R2) = 3 + 2 = 5
    like(session, stale, a, DAY * 8)
    like(session, stale, c, DAY * 9)

    trending_refresh(session, NOW)

    assert _scores(session, 7) == {r1.id: 4.0, r2.id: 5.0}
    week = ids(page(session, people.alice, "trending", window_days=7))
    assert week == [r2.id, r1.id]
    month = ids(page(session, people.alice, "trending", window_days=30))
    assert month == [r2.id, r1.id, stale.id]


def test_ratings_count_twice_and_ties_go_to_the_newer(session: Session, people: People) -> None:
    a, b = fans(session, 2)
    older, newer = post(session, people.bob, age=DAY * 2), post(session, people.bob, age=DAY)
    rate(session, older, a, timedelta(hours=2))
    like(session, newer, b, timedelta(hours=2))
    trending_refresh(session, NOW)
    assert _scores(session, 7) == {older.id: 2.0, newer.id: 2.0}
    assert ids(page(session, people.alice, "trending")) == [newer.id, older.id]


def test_refresh_replaces_the_window(session: Session, people: People) -> None:
    (a,) = fans(session, 1)
    rec = post(session, people.bob)
    like(session, rec, a, timedelta(hours=1))
    assert trending_refresh(session, NOW) == 2  # one row per window
    assert trending_refresh(session, NOW + DAY * 8) == 1  # the like left the 7-day window
    assert _scores(session, 7) == {}
    assert _scores(session, 30) == {rec.id: 2.0}


def test_the_trending_session_is_frozen_across_a_refresh(session: Session, people: People) -> None:
    many = fans(session, 15)
    posts = [post(session, people.bob, age=timedelta(hours=h + 1)) for h in range(15)]
    for rec, fan in zip(posts, many, strict=True):
        like(session, rec, fan, timedelta(minutes=30))
    trending_refresh(session, NOW)
    first = page(session, people.alice, "trending")
    for fan in many:  # the last one now leads by far
        if fan is not many[-1]:
            save(session, posts[-1], fan, timedelta(minutes=5))
    trending_refresh(session, NOW)
    rest = page(session, people.alice, "trending", first.next_cursor)

    seen = ids(first) + ids(rest)
    assert len(seen) == len(set(seen)) == 15
    assert scroll(session, people.alice, "trending")[0] == posts[-1].id  # a new session


def test_expired_snapshots_are_purged(session: Session, people: People) -> None:
    post(session, people.bob)
    page(session, people.alice, "for_you")
    assert feed_snapshots_purge(session, NOW + timedelta(minutes=29)) == 0
    assert feed_snapshots_purge(session, NOW + timedelta(minutes=31)) == 1


def test_only_the_top_of_each_category_is_kept(
    session: Session, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(trending, "_REFRESH", trending.refresh_statement(keep=2))
    (a,) = fans(session, 1)
    category = create_category(session)
    posts = [post(session, people.bob, category, age=timedelta(hours=h + 1)) for h in range(3)]
    other = post(session, people.bob)
    for rec in [*posts, other]:
        like(session, rec, a, timedelta(minutes=5))
    trending_refresh(session, NOW)
    assert set(_scores(session, 7)) == {posts[0].id, posts[1].id, other.id}  # newest on ties
