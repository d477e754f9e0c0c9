"""The detail page loader `recommendation_page`: one transaction, all the page opens with."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.models import Block, Rating
from citypulse.models.enums import AccountStatus, ContentStatus, Role, Visibility
from citypulse.services.errors import NotFound
from citypulse.services.interactions.events import RecommendationCountersChanged
from citypulse.services.interactions.likes_saves import like_toggle, save_toggle
from citypulse.services.interactions.ratings import rating_upsert
from citypulse.services.recommendations.page import Visit, recommendation_page
from tests.integration.interactions.support import act, events_of
from tests.integration.recommendations.support import befriend, viewer_for
from tests.integration.support import NOW, run_action
from tests.support.factories import create_recommendation, create_user

BROWSER = Visit(anon_key="browser-1", ip="203.0.113.7", is_bot=False)


@pytest.fixture
def people(session: Session):
    alice = create_user(session, username="pg_alice", full_name="Alice Page")
    bob = create_user(session, username="pg_bob", full_name="Bob Page")
    carol = create_user(session, username="pg_carol", full_name="Carol Page")
    rec = create_recommendation(session, author=alice, title="Tram 28 at sunrise")
    return alice, bob, carol, rec


def open_page(session: Session, user, rec_id: int, *, visit: Visit = BROWSER, now=NOW):
    return act(session, recommendation_page, viewer=viewer_for(user) if user else None,
               recommendation_id=rec_id, visit=visit, now=now)  # fmt: skip


def test_page_holds_detail_own_state_counters_and_ratings(session: Session, people) -> None:
    _alice, bob, carol, rec = people
    bob_viewer = viewer_for(bob)
    run_action(session, like_toggle, actor=bob_viewer, recommendation_id=rec.id, now=NOW)
    run_action(session, save_toggle, actor=bob_viewer, recommendation_id=rec.id, now=NOW)
    run_action(session, rating_upsert, actor=viewer_for(carol), recommendation_id=rec.id,
               rating=4, review="Lovely ride", now=NOW)  # fmt: skip
    run_action(session, rating_upsert, actor=bob_viewer, recommendation_id=rec.id,
               rating=5, review=None, now=NOW + timedelta(seconds=1))  # fmt: skip

    page, events = open_page(session, bob, rec.id)

    assert page.detail.id == rec.id and page.detail.title == "Tram 28 at sunrise"
    assert page.detail.author.username == "pg_alice" and not page.detail.is_author
    own = page.own
    assert (own.liked, own.saved, own.my_rating, own.my_review) == (True, True, 5, None)
    assert (own.likes, own.saves, own.ratings_count, own.views) == (1, 1, 2, 1)
    assert own.rating_avg == 4.5 and not own.is_author
    assert page.detail.views_count == 1  # the view this visit counted is already shown
    assert [item.username for item in page.ratings] == ["pg_bob", "pg_carol"]
    assert page.ratings[0].is_own and not page.ratings[1].is_own
    assert page.ratings_cursor is None
    assert events_of(events, RecommendationCountersChanged)[0].views == 1


def test_visitor_and_author_pages(session: Session, people) -> None:
    alice, _bob, _carol, rec = people
    page, events = open_page(session, None, rec.id)
    assert not page.own.liked and page.own.my_rating is None and page.own.views == 1
    again, events = open_page(session, None, rec.id, now=NOW + timedelta(minutes=5))
    assert again.own.views == 1 and events == []  # the same browser within the hour
    mine, events = open_page(session, alice, rec.id)
    assert mine.detail.is_author and mine.own.is_author
    assert mine.own.views == 1 and events == []  # the author's visits never count


def test_bots_are_shown_the_page_without_counting(session: Session, people) -> None:
    _alice, bob, _carol, rec = people
    page, events = open_page(session, bob, rec.id, visit=Visit(None, None, is_bot=True))
    assert page.detail.id == rec.id and page.own.views == 0 and events == []


def test_moderators_see_it_without_counting(session: Session, people) -> None:
    _alice, _bob, _carol, rec = people
    mod = create_user(session, username="pg_mod", role=Role.moderator)
    page, events = open_page(session, mod, rec.id)
    assert page.own.views == 0 and events == []


def test_hidden_pages_are_not_found(session: Session, people) -> None:
    alice, bob, carol, rec = people
    buddies_only = create_recommendation(session, author=alice, visibility=Visibility.friends_only)
    private = create_recommendation(session, author=alice, visibility=Visibility.private)
    deleted = create_recommendation(session, author=alice)
    deleted.status = ContentStatus.deleted
    session.add(Block(blocker_id=alice.id, blocked_id=carol.id))
    session.flush()
    for user, rec_id in [
        (bob, buddies_only.id),
        (None, buddies_only.id),
        (bob, private.id),
        (alice, deleted.id),
        (carol, rec.id),  # blocked by the author
        (bob, 987_654_321),
    ]:
        with pytest.raises(NotFound):
            open_page(session, user, rec_id)
    befriend(session, alice, bob)
    assert open_page(session, bob, buddies_only.id)[0].detail.id == buddies_only.id
    assert session.query(Rating).count() == 0


def test_author_sees_own_removed_recommendation_without_a_view(session: Session, people) -> None:
    alice, bob, _carol, rec = people
    rec.status, rec.removed_reason = ContentStatus.removed, "Spam"
    session.flush()
    page, events = open_page(session, alice, rec.id)
    assert page.detail.status == "removed" and page.detail.removed_reason == "Spam"
    assert events == []
    with pytest.raises(NotFound):
        open_page(session, bob, rec.id)


def test_restricted_viewers_see_it_without_counting(session: Session, people) -> None:
    _alice, bob, _carol, rec = people
    kept = viewer_for(bob)  # e.g. the page guard's viewer, read a moment earlier
    bob.account_status = AccountStatus.suspended
    session.flush()
    page, events = act(session, recommendation_page, viewer=kept, recommendation_id=rec.id,
                       visit=BROWSER, now=NOW)  # fmt: skip
    assert page.detail.id == rec.id and page.own.views == 0 and events == []
