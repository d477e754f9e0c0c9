"""A For You session started from a first look, completed after it (feed/first_look.py)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from citypulse.models import FeedRanking, FeedSnapshot, Recommendation
from citypulse.services import unit_of_work
from citypulse.services.feed import first_look
from citypulse.services.feed.ahead import complete_sessions
from citypulse.services.feed.first_look import FIRST_LOOK, PREFIX, SESSIONS_TO_COMPLETE
from citypulse.services.feed.snapshots import snapshot_complete
from tests.integration.feed.support import (
    NOW,
    People,
    fans,
    ids,
    page,
    post,
    same_session_factory,
    scroll,
)
from tests.support.factories import create_category

MORE_THAN_A_FIRST_LOOK = FIRST_LOOK + 5


def places(session: Session, count: int = MORE_THAN_A_FIRST_LOOK, **kwargs) -> list[Recommendation]:
    """Places by as many authors (no author-run reordering), newest first."""
    return [
        post(session, author, age=timedelta(hours=1 + n), **kwargs)
        for n, author in enumerate(fans(session, count))
    ]


def the_session(session: Session, people: People) -> FeedSnapshot:
    session.expire_all()
    snapshots = session.exec(select(FeedSnapshot).where(FeedSnapshot.user_id == people.alice.id))
    return snapshots.one()


def stored_ranking(session: Session, people: People) -> FeedRanking | None:
    return session.exec(select(FeedRanking).where(FeedRanking.user_id == people.alice.id)).first()


def marked(session: Session) -> set[int]:
    """The sessions the pages so far marked for completion, then forgotten."""
    return session.info.pop(SESSIONS_TO_COMPLETE, set())


def test_a_session_without_a_stored_ranking_starts_from_a_first_look(
    session: Session, people: People
) -> None:
    posted = places(session)

    first = page(session, people.alice, "for_you")

    assert ids(first) == [rec.id for rec in posted[:10]]
    assert first.next_cursor is not None
    frozen = the_session(session, people)
    assert not frozen.complete and len(frozen.item_ids) == PREFIX
    assert marked(session) == {frozen.id}  # completed once the page has committed
    assert stored_ranking(session, people) is None  # the full ranking is stored then


def test_completing_appends_the_full_ranking_behind_the_first_look(
    session: Session, people: People
) -> None:
    posted = places(session)
    page(session, people.alice, "for_you")
    prefix = the_session(session, people).item_ids

    assert complete_sessions(marked(session), same_session_factory(session)) == 1

    completed = the_session(session, people)
    assert completed.complete and completed.item_ids[:PREFIX] == prefix
    assert sorted(completed.item_ids) == sorted(rec.id for rec in posted)
    ranked = stored_ranking(session, people)
    assert ranked is not None and ranked.ranked_at == completed.created_at == NOW
    assert completed.item_ids[PREFIX:] == [i for i in ranked.item_ids if i not in prefix]
    assert complete_sessions({completed.id}, same_session_factory(session)) == 0  # done once


def test_a_page_reaching_the_end_of_a_first_look_completes_it(
    session: Session, people: People
) -> None:
    posted = places(session)

    seen = scroll(session, people.alice, "for_you")  # no background completion ran

    assert len(seen) == len(set(seen)) == len(posted)
    assert set(seen) == {rec.id for rec in posted}
    assert the_session(session, people).complete


def test_what_was_published_after_the_session_began_stays_out_of_its_list(
    session: Session, people: People
) -> None:
    posted = places(session)
    first = page(session, people.alice, "for_you")
    newcomer = post(session, people.bob, age=-timedelta(seconds=1))

    complete_sessions(marked(session), same_session_factory(session))
    later = scroll_from(session, people, first.next_cursor)

    assert newcomer.id not in the_session(session, people).item_ids
    assert sorted(ids(first) + later) == sorted(rec.id for rec in posted)


def test_a_chip_first_look_is_completed_within_its_category(
    session: Session, people: People
) -> None:
    food = create_category(session)
    in_food = places(session, category=food)
    places(session, count=3)  # other categories

    first = page(session, people.alice, "for_you", category_id=food.id)
    complete_sessions(marked(session), same_session_factory(session))
    later = scroll_from(session, people, first.next_cursor, category_id=food.id)

    assert sorted(ids(first) + later) == sorted(rec.id for rec in in_food)
    assert stored_ranking(session, people).category_id == food.id


def test_a_first_look_that_cut_no_source_short_is_the_whole_ranking(
    session: Session, people: People
) -> None:
    posted = places(session, count=FIRST_LOOK - 5)

    first = page(session, people.alice, "for_you")

    frozen = the_session(session, people)
    assert frozen.complete and frozen.item_ids == [rec.id for rec in posted]
    assert marked(session) == set()
    assert stored_ranking(session, people) is not None
    assert ids(first) == frozen.item_ids[:10]


def test_a_second_completion_keeps_the_list_of_the_first(session: Session, people: People) -> None:
    places(session)
    page(session, people.alice, "for_you")
    frozen = the_session(session, people)
    prefix = list(frozen.item_ids)

    assert snapshot_complete(session, frozen.id, [*prefix, 1, 2]) == (*prefix, 1, 2)
    assert snapshot_complete(session, frozen.id, [*prefix, 3]) == (*prefix, 1, 2)


def test_the_sessions_are_completed_after_the_commit_only(monkeypatch: pytest.MonkeyPatch) -> None:
    handed: list[set[int]] = []
    monkeypatch.setattr(unit_of_work, "complete_in_background", lambda ids: handed.append(set(ids)))

    unit_of_work.run_transaction(lambda session: first_look.complete_after_commit(session, 5))
    assert handed == [{5}]

    def refused(session: Session) -> None:
        first_look.complete_after_commit(session, 6)
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        unit_of_work.run_transaction(refused)
    assert handed == [{5}]  # a rolled-back page completes nothing


def test_a_failed_completion_is_logged_and_the_next_one_still_runs(
    session: Session,
    people: People,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    completed: list[int] = []

    def complete_stored(session: Session, snapshot_id: int) -> bool:
        if snapshot_id == 1:
            raise RuntimeError("database gone")
        completed.append(snapshot_id)
        return True

    monkeypatch.setattr(first_look, "complete_stored", complete_stored)
    with caplog.at_level(logging.ERROR, logger="citypulse.services.feed.ahead"):
        assert complete_sessions({2, 1}, same_session_factory(session)) == 1
    assert completed == [2]
    assert "Could not complete For You session 1" in caplog.text


def scroll_from(session: Session, people: People, cursor: str | None, **kwargs) -> list[int]:
    """The ids of every page after the first."""
    seen: list[int] = []
    while cursor is not None:
        later = page(session, people.alice, "for_you", cursor, **kwargs)
        assert not later.started
        seen += ids(later)
        cursor = later.next_cursor
    return seen
