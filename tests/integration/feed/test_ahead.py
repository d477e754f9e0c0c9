"""For You ranked ahead of the feed that needs it (services/feed/ahead.py)."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import Session, select

from citypulse.models import FeedRanking
from citypulse.services import unit_of_work
from citypulse.services.accounts.login import LoginRefused, account_login
from citypulse.services.feed import ahead, ranking
from citypulse.services.feed.ahead import (
    TERMS_CHANGED,
    rank_after_commit,
    rank_ahead,
    rank_if_none_stored,
)
from citypulse.services.profiles.edit import city_visits_replace
from citypulse.services.profiles.settings import interests_replace
from citypulse.services.social.blocks import block_user, unblock_user
from citypulse.services.social.buddies import buddy_accept, buddy_remove, buddy_request
from tests.integration.feed.support import NOW, People, ids, page, post, same_session_factory
from tests.integration.interactions.support import viewer
from tests.support.factories import DEFAULT_PASSWORD, create_category, create_city


def marked(session: Session) -> set[int]:
    """The viewers the actions so far marked, then forgotten (as after a commit)."""
    return session.info.pop(TERMS_CHANGED, set())


def test_each_action_that_changes_terms_marks_its_viewers(session: Session, people: People) -> None:
    alice, bob = people.alice, people.bob
    assert marked(session) == set()
    buddy_request(session, actor=viewer(bob), user_id=alice.id, now=NOW)
    assert marked(session) == set()  # a request changes nobody's buddies
    buddy_accept(session, actor=viewer(alice), user_id=bob.id, now=NOW)
    assert marked(session) == {alice.id, bob.id}
    buddy_remove(session, actor=viewer(bob), user_id=alice.id, now=NOW)
    assert marked(session) == {alice.id, bob.id}
    block_user(session, actor=viewer(alice), user_id=people.carol.id, now=NOW)
    assert marked(session) == {alice.id, people.carol.id}
    unblock_user(session, actor=viewer(alice), user_id=people.carol.id, now=NOW)
    assert marked(session) == {alice.id, people.carol.id}
    interests_replace(
        session, actor=viewer(bob), category_ids=[create_category(session).id], now=NOW
    )
    assert marked(session) == {bob.id}
    city_visits_replace(
        session, actor=viewer(people.dave), visits=[(create_city(session).id, None)], now=NOW
    )
    assert marked(session) == {people.dave.id}


def test_a_sign_in_marks_its_viewer_and_a_refused_one_nobody(
    session: Session, people: People
) -> None:
    alice = people.alice
    with pytest.raises(LoginRefused):
        account_login(session, email=alice.email, password="not-hers", ip=None, now=NOW)
    assert marked(session) == set()
    account_login(session, email=alice.email, password=DEFAULT_PASSWORD, ip=None, now=NOW)
    assert marked(session) == {alice.id}


def test_a_viewer_is_marked_only_while_no_ranking_of_every_category_is_stored(
    session: Session, people: People
) -> None:
    alice = people.alice
    rank_if_none_stored(session, alice.id)
    assert marked(session) == {alice.id}
    page(session, alice, "for_you", category_id=create_category(session).id)
    rank_if_none_stored(session, alice.id)
    assert marked(session) == {alice.id}  # a chip's ranking does not start For You
    page(session, alice, "for_you")
    rank_if_none_stored(session, alice.id)
    assert marked(session) == set()


def test_ranking_ahead_ranks_every_category_and_each_chip_the_viewer_has(
    session: Session, people: People
) -> None:
    nature, food = create_category(session), create_category(session)
    in_nature = post(session, people.bob, nature)
    page(session, people.alice, "for_you", category_id=nature.id)  # stored: no interests
    interests_replace(session, actor=viewer(people.alice), category_ids=[food.id], now=NOW)

    made = rank_ahead(marked(session), NOW, session_factory=same_session_factory(session))

    assert made == 2
    stored = session.exec(select(FeedRanking).where(FeedRanking.user_id == people.alice.id))
    by_chip = {row.category_id: row for row in stored}
    assert set(by_chip) == {None, nature.id}
    assert [row.interest_ids for row in by_chip.values()] == [[food.id], [food.id]]
    assert in_nature.id in by_chip[nature.id].item_ids


def test_a_ranking_made_ahead_starts_the_next_session(
    session: Session, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    nature = create_category(session)
    post(session, people.bob, nature)
    page(session, people.alice, "for_you")  # stored with no interests
    interests_replace(session, actor=viewer(people.alice), category_ids=[nature.id], now=NOW)

    made = rank_ahead(marked(session), NOW, session_factory=same_session_factory(session))
    assert made == 1
    stored = session.exec(select(FeedRanking).where(FeedRanking.user_id == people.alice.id))
    assert stored.one().interest_ids == [nature.id]

    live: list[int] = []
    monkeypatch.setattr(ranking, "rank_for_you", lambda *args, **kw: live.append(1))
    assert ids(page(session, people.alice, "for_you"))  # from the stored ranking
    assert live == []


def test_the_viewers_are_ranked_after_the_commit_only(monkeypatch: pytest.MonkeyPatch) -> None:
    handed: list[set[int]] = []
    monkeypatch.setattr(unit_of_work, "rank_in_background", lambda ids: handed.append(set(ids)))

    unit_of_work.run_transaction(lambda session: rank_after_commit(session, 7, 9))
    assert handed == [{7, 9}]

    def refused(session: Session) -> None:
        rank_after_commit(session, 11)
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        unit_of_work.run_transaction(refused)
    assert handed == [{7, 9}]  # a rolled-back action ranks nobody


def test_a_failed_background_ranking_is_logged_not_raised(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object) -> int:
        raise RuntimeError("database gone")

    monkeypatch.setattr(ahead, "rank_ahead", broken)
    with caplog.at_level(logging.ERROR, logger=ahead.__name__):
        assert ahead.rank_in_background({3}).result(timeout=10) is None
    assert "Could not rank For You ahead for 1 viewer(s)" in caplog.text
