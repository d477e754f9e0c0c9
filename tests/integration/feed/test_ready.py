"""For You rankings stored ahead of a session (services/feed/ready.py, issue 11)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from citypulse.models import CityVisit, FeedRanking, FeedSnapshot, RecommendationCity
from citypulse.services.feed import ranking
from citypulse.services.feed.pool import feed_pool_refresh
from citypulse.services.feed.ready import (
    RANKING_TTL,
    REFRESH_AFTER,
    feed_rankings_refresh,
    ranking_store,
    stored_session_ids,
)
from citypulse.services.feed.terms import viewer_terms
from tests.integration.feed.support import NOW, People, ids, interests, page, post
from tests.integration.interactions.support import block
from tests.integration.profiles.support import connect
from tests.support.factories import create_category, create_city, create_user


def stored(session: Session, people: People) -> FeedRanking | None:
    session.expire_all()
    return session.exec(select(FeedRanking).where(FeedRanking.user_id == people.alice.id)).first()


@pytest.fixture
def live_rankings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The viewers ranked live, in order (the stored ranking was not usable)."""
    ranked: list[int] = []
    rank = ranking.rank_for_you

    def counted(session: Session, viewer_id: int, *args: object, **kwargs: object):
        ranked.append(viewer_id)
        return rank(session, viewer_id, *args, **kwargs)

    monkeypatch.setattr(ranking, "rank_for_you", counted)
    return ranked


def test_a_session_stores_its_ranking_and_the_next_one_starts_from_it(
    session: Session, people: People, live_rankings: list[int]
) -> None:
    older, newer = (post(session, people.bob, age=timedelta(hours=h)) for h in (2, 1))
    first = ids(page(session, people.alice, "for_you"))
    kept = stored(session, people)
    assert kept is not None and kept.ranked_at == NOW
    assert kept.item_ids == [newer.id, older.id] and kept.author_ids == [people.bob.id] * 2
    # S = R alone here: 1 - age / 30 days, as of the ranking.
    assert kept.scores == [pytest.approx(1 - 1 / 720), pytest.approx(1 - 2 / 720)]

    again = ids(page(session, people.alice, "for_you", now=NOW + timedelta(minutes=3)))

    assert first == again == [newer.id, older.id]
    assert live_rankings == [people.alice.id]  # the second session ranked nothing


def test_places_published_since_merge_by_score(
    session: Session, people: People, live_rankings: list[int]
) -> None:
    nature = create_category(session)
    interests(session, people.alice, nature)
    by_interest = post(session, people.bob, nature, age=timedelta(hours=5))
    stranger = post(session, people.carol, age=timedelta(hours=4))
    page(session, people.alice, "for_you")
    later = NOW + timedelta(minutes=4)
    # Published after the ranking: a buddy's place (B) beats the interest (I), a
    # stranger's plain one only beats the older plain one (R).
    by_buddy = post(session, people.dave, age=-timedelta(minutes=2))
    plain = post(session, people.bob, age=-timedelta(minutes=3))

    merged = ids(page(session, people.alice, "for_you", now=later))

    assert merged == [by_buddy.id, by_interest.id, plain.id, stranger.id]
    assert live_rankings == [people.alice.id]


def test_places_published_since_follow_the_visibility_rule(
    session: Session, people: People, live_rankings: list[int]
) -> None:
    seen = post(session, people.bob, age=timedelta(hours=1))
    page(session, people.alice, "for_you")
    private = post(session, people.bob, age=-timedelta(minutes=1), visibility="private")
    strangers_buddies_only = post(
        session, people.carol, age=-timedelta(minutes=1), visibility="friends_only"
    )
    own = post(session, people.alice, age=-timedelta(minutes=1))
    buddies_only = post(session, people.dave, age=-timedelta(minutes=1), visibility="friends_only")

    merged = ids(page(session, people.alice, "for_you", now=NOW + timedelta(minutes=2)))

    assert merged == [buddies_only.id, seen.id]
    assert not {private.id, strangers_buddies_only.id, own.id} & set(merged)
    assert live_rankings == [people.alice.id]


def test_a_day_old_ranking_starts_the_session_with_the_pools_places_merged_once(
    session: Session, people: People, live_rankings: list[int]
) -> None:
    seen = post(session, people.bob, age=timedelta(hours=30))
    page(session, people.alice, "for_you")  # ranked and stored at NOW
    by_buddy = post(session, people.dave, age=-timedelta(hours=20))
    hidden = [
        post(session, people.bob, age=-timedelta(hours=21), visibility="private"),
        post(session, people.carol, age=-timedelta(hours=21), visibility="friends_only"),
        post(session, people.alice, age=-timedelta(hours=21)),
    ]
    # Published a minute before the pool's pass: in the pool and, within
    # `LIVE_MARGIN` of its newest row, in the live read too.
    both = post(session, people.carol, age=-(timedelta(hours=23) - timedelta(minutes=1)))
    refreshed = NOW + timedelta(hours=23)
    assert feed_pool_refresh(session, refreshed) > 0
    newest = post(session, people.bob, age=-(timedelta(hours=23) + timedelta(minutes=1)))

    later = refreshed + timedelta(minutes=2)
    merged = ids(page(session, people.alice, "for_you", now=later))

    assert merged == [by_buddy.id, newest.id, both.id, seen.id]
    assert not {place.id for place in hidden} & set(merged)
    assert live_rankings == [people.alice.id]  # the day-old ranking was used


def test_a_stored_place_that_became_hidden_is_skipped(
    session: Session, people: People, live_rankings: list[int]
) -> None:
    hidden, kept = (post(session, people.bob, age=timedelta(hours=h)) for h in (1, 2))
    page(session, people.alice, "for_you")
    hidden.visibility = "private"
    session.add(hidden)
    session.flush()

    assert ids(page(session, people.alice, "for_you", now=NOW + timedelta(minutes=1))) == [kept.id]
    assert live_rankings == [people.alice.id]


def change_buddies(session: Session, people: People) -> None:
    connect(session, people.alice, people.carol)


def change_blocks(session: Session, people: People) -> None:
    block(session, people.alice, people.bob)


def change_interests(session: Session, people: People) -> None:
    interests(session, people.alice, create_category(session))


def change_cities(session: Session, people: People) -> None:
    session.add(CityVisit(user_id=people.alice.id, city_id=create_city(session).id))
    session.flush()


@pytest.mark.parametrize("change", [change_buddies, change_blocks, change_interests, change_cities])
def test_a_change_of_the_viewers_terms_ranks_again(
    session: Session, people: People, live_rankings: list[int], change
) -> None:
    post(session, people.bob, age=timedelta(hours=1))
    page(session, people.alice, "for_you")
    change(session, people)

    page(session, people.alice, "for_you", now=NOW + timedelta(minutes=1))

    assert live_rankings == [people.alice.id, people.alice.id]
    assert stored(session, people).ranked_at == NOW + timedelta(minutes=1)


def test_a_new_buddy_ranks_first_at_once(session: Session, people: People) -> None:
    newer = post(session, people.bob, age=timedelta(hours=1))
    older = post(session, people.carol, age=timedelta(days=2))
    assert ids(page(session, people.alice, "for_you")) == [newer.id, older.id]
    connect(session, people.alice, people.carol)

    later = ids(page(session, people.alice, "for_you", now=NOW + timedelta(minutes=1)))

    assert later == [older.id, newer.id]


def test_an_expired_ranking_is_not_used(
    session: Session, people: People, live_rankings: list[int]
) -> None:
    post(session, people.bob, age=timedelta(hours=1))
    page(session, people.alice, "for_you")
    page(session, people.alice, "for_you", now=NOW + RANKING_TTL)
    assert live_rankings == [people.alice.id, people.alice.id]


def test_a_chip_has_its_own_stored_ranking(
    session: Session, people: People, live_rankings: list[int]
) -> None:
    category = create_category(session)
    in_category = post(session, people.bob, category)
    other = post(session, people.bob, age=timedelta(hours=2))
    assert ids(page(session, people.alice, "for_you", category_id=category.id)) == [in_category.id]
    assert ids(page(session, people.alice, "for_you")) == [in_category.id, other.id]
    later = NOW + timedelta(minutes=3)
    newer = post(session, people.carol, category, age=-timedelta(minutes=1))
    post(session, people.carol, age=-timedelta(minutes=1))  # not in the chip's category

    chip = ids(page(session, people.alice, "for_you", category_id=category.id, now=later))

    assert chip == [newer.id, in_category.id]
    assert live_rankings == [people.alice.id] * 2  # the chip's, then every category's
    rows = session.exec(select(FeedRanking.category_id, FeedRanking.item_ids)).all()
    assert sorted(rows, key=str) == sorted(
        [(category.id, [in_category.id]), (None, [in_category.id, other.id])], key=str
    )


def test_the_author_run_limit_applies_to_a_merged_session(
    session: Session, people: People, live_rankings: list[int]
) -> None:
    posts = [post(session, people.bob, age=timedelta(hours=h)) for h in range(1, 4)]
    other = post(session, people.carol, age=timedelta(hours=5))
    page(session, people.alice, "for_you")
    newest = post(session, people.bob, age=-timedelta(minutes=1))

    merged = stored_session_ids(session, people.alice.id, None, NOW + timedelta(minutes=2)).ids

    # At most two of bob's in a row while carol's remains.
    assert merged == [newest.id, posts[0].id, other.id, posts[1].id, posts[2].id]


def open_session(
    session: Session,
    user_id: int,
    *,
    expires_in: timedelta,
    chip: int | None = None,
    tab: str = "for_you",
) -> None:
    window = 7 if tab == "trending" else None
    session.add(FeedSnapshot(user_id=user_id, tab=tab, window_days=window, category_id=chip,
                             item_ids=[], expires_at=NOW + expires_in))  # fmt: skip
    session.flush()


def test_refresh_ranks_open_lists_whose_ranking_is_stale(session: Session, people: People) -> None:
    category = create_category(session)
    in_city = post(session, people.bob, category, age=timedelta(hours=3))
    lisbon = create_city(session)
    session.add(RecommendationCity(recommendation_id=in_city.id, city_id=lisbon.id,
                                   is_primary=True))  # fmt: skip
    session.add(CityVisit(user_id=people.bob.id, city_id=lisbon.id))
    idle, expired = create_user(session), create_user(session)
    open_session(session, people.alice.id, expires_in=timedelta(minutes=20))  # none stored
    open_session(session, people.alice.id, expires_in=timedelta(minutes=20), chip=category.id)
    open_session(session, people.bob.id, expires_in=timedelta(minutes=20))  # stale one
    open_session(session, people.carol.id, expires_in=timedelta(minutes=20))  # fresh one
    open_session(session, expired.id, expires_in=timedelta(0))  # session over
    open_session(session, people.dave.id, expires_in=timedelta(minutes=20), tab="trending")
    for user, age in ((people.bob, REFRESH_AFTER), (people.carol, timedelta(minutes=1)),
                      (idle, RANKING_TTL)):  # fmt: skip
        ranked = ranking.rank_for_you(session, user.id, None, NOW - age)
        ranking_store(session, user.id, None, ranked, NOW - age)

    assert feed_rankings_refresh(session, NOW) == 3  # alice's two lists, bob's

    session.expire_all()
    rows = {(r.user_id, r.category_id): r for r in session.exec(select(FeedRanking)).all()}
    alice, bob, carol = people.alice.id, people.bob.id, people.carol.id
    # idle's expired; nothing for a Trending session or a session that is over
    assert set(rows) == {(alice, None), (alice, category.id), (bob, None), (carol, None)}
    assert {rows[key].ranked_at for key in rows if key[0] != carol} == {NOW}
    assert rows[carol, None].ranked_at == NOW - timedelta(minutes=1)
    assert rows[alice, None].item_ids == rows[alice, category.id].item_ids == [in_city.id]
    assert rows[bob, None].city_ids == [lisbon.id]


def test_the_ranking_read_brings_the_viewers_terms_with_or_without_a_usable_ranking(
    session: Session, people: People
) -> None:
    nature = create_category(session)
    interests(session, people.alice, nature)

    before = stored_session_ids(session, people.alice.id, None, NOW)

    assert before.ids is None  # a first look ranks on these terms
    assert before.terms == viewer_terms(session, people.alice.id)
    assert before.terms.interest_ids == [nature.id]
    assert before.terms.buddy_ids == [people.dave.id]
    page(session, people.alice, "for_you")
    after = stored_session_ids(session, people.alice.id, None, NOW)
    assert after.ids is not None and after.terms == before.terms
