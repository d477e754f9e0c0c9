"""For You ranked ahead when a viewer's own terms change (services/feed/ahead.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlmodel import Session, select

from citypulse.models import FeedRanking
from citypulse.services import unit_of_work
from citypulse.services.feed import ahead, ranking
from citypulse.services.feed.ahead import TERMS_CHANGED, rank_after_commit, rank_ahead
from citypulse.services.profiles.edit import city_visits_replace
from citypulse.services.profiles.settings import interests_replace
from citypulse.services.social.blocks import block_user, unblock_user
from citypulse.services.social.buddies import buddy_accept, buddy_remove, buddy_request
from tests.integration.feed.support import NOW, People, ids, page, post
from tests.integration.interactions.support import viewer
from tests.support.factories import create_category, create_city


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


def test_a_ranking_made_ahead_starts_the_next_session(
    session: Session, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    nature = create_category(session)
    post(session, people.bob, nature)
    page(session, people.alice, "for_you")  # stored with no interests
    interests_replace(session, actor=viewer(people.alice), category_ids=[nature.id], now=NOW)

    @contextmanager
    def same_session() -> Iterator[Session]:
        yield session

    assert rank_ahead(marked(session), NOW, session_factory=same_session) == 1
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
