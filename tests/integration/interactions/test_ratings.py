"""Ratings and reviews (PRODUCT.md §4.4.3, journey §7.11 first half)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session

from citypulse.models import Rating
from citypulse.models.enums import ModerationStatus, NotificationType
from citypulse.services.errors import NotFound, PermissionDenied, ValidationFailed
from citypulse.services.interactions.events import (
    RecommendationCountersChanged,
    RecommendationRatingsChanged,
)
from citypulse.services.interactions.ratings import (
    NOT_RATED,
    OWN_RATING,
    RATING_RANGE,
    rating_delete,
    rating_upsert,
    ratings_list,
)
from citypulse.services.notifications.events import NotificationCreated
from tests.integration.interactions.conftest import World
from tests.integration.interactions.support import (
    act,
    assert_counters_match_rows,
    block,
    events_of,
    notifications,
    viewer,
)
from tests.integration.support import NOW, count
from tests.support.factories import create_user


def rate(session: Session, user, rec, value, review=None, now=NOW):
    return act(session, rating_upsert, actor=viewer(user), recommendation_id=rec.id,
               rating=value, review=review, now=now)  # fmt: skip


def test_journey_7_11_rate_then_change(session: Session, world: World) -> None:
    rec = world.rec
    state, events = rate(session, world.bob, rec, 5, "  Best custard tarts in town!  ")
    assert (state.my_rating, state.my_review) == (5, "Best custard tarts in town!")
    assert (state.ratings_count, state.rating_avg) == (1, 5.0)
    sent = notifications(session, world.alice, NotificationType.recommendation_rating)
    assert len(sent) == 1
    assert "Bob Silva" in sent[0].title and "Pastéis at dawn" in sent[0].title
    assert sent[0].action_url == f"/recommendations/{rec.id}" and sent[0].actor_id == world.bob.id
    assert events_of(events, NotificationCreated) == [
        NotificationCreated(world.alice.id, sent[0].id)
    ]
    assert events_of(events, RecommendationRatingsChanged) == [RecommendationRatingsChanged(rec.id)]

    state, events = rate(
        session, world.bob, rec, 3, "Good, not great", now=NOW + timedelta(minutes=5)
    )
    assert (state.my_rating, state.ratings_count, state.rating_avg) == (3, 1, 3.0)
    assert count(session, Rating, Rating.recommendation_id == rec.id) == 1
    assert len(notifications(session, world.alice, NotificationType.recommendation_rating)) == 1
    assert events_of(events, NotificationCreated) == []
    assert events_of(events, RecommendationCountersChanged) == [
        RecommendationCountersChanged(rec.id, 0, 0, 0, 1, 3.0, 0)
    ]
    stored = assert_counters_match_rows(session, rec.id)
    assert stored["rating_avg"] == Decimal("3.00")

    with pytest.raises(PermissionDenied) as refused:
        rate(session, world.alice, rec, 4)
    assert refused.value.message == OWN_RATING == "You cannot rate your own recommendation"


@pytest.mark.parametrize("value", [0, 6, -1, True, 3.5, "4", None])
def test_out_of_range_or_non_integer_ratings_are_refused(
    session: Session, world: World, value: object
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        rate(session, world.bob, world.rec, value)
    assert refused.value.field_errors == {"rating": RATING_RANGE}
    assert RATING_RANGE == "Rating must be between 1 and 5"
    assert count(session, Rating, Rating.recommendation_id == world.rec.id) == 0


def test_review_length(session: Session, world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        rate(session, world.bob, world.rec, 4, "x" * 1001)
    assert "review" in refused.value.field_errors
    state, _ = rate(session, world.bob, world.rec, 4, "x" * 1000)
    assert len(state.my_review) == 1000
    state, _ = rate(session, world.bob, world.rec, 4, "   ")
    assert state.my_review is None


def test_a_review_with_a_nul_is_a_field_error(session: Session, world: World) -> None:
    """PostgreSQL cannot store a NUL: refused up front, not a failed insert."""
    with pytest.raises(ValidationFailed) as refused:
        rate(session, world.bob, world.rec, 4, "Good\x00 coffee")
    assert refused.value.field_errors == {"review": "Review cannot contain control characters"}
    state, _ = rate(session, world.bob, world.rec, 4, "Good coffee.\n\tCome early.")
    assert state.my_review == "Good coffee.\n\tCome early."  # line breaks and tabs stay


def test_average_delete_and_no_renotify(session: Session, world: World) -> None:
    rec = world.rec
    rate(session, world.bob, rec, 3)
    state, _ = rate(session, world.carol, rec, 4)
    assert (state.ratings_count, state.rating_avg) == (2, 3.5)
    state, events = act(session, rating_delete, actor=viewer(world.bob), recommendation_id=rec.id,
                        now=NOW)  # fmt: skip
    assert (state.my_rating, state.ratings_count, state.rating_avg) == (None, 1, 4.0)
    assert events_of(events, RecommendationRatingsChanged)
    with pytest.raises(NotFound) as missing:
        act(session, rating_delete, actor=viewer(world.bob), recommendation_id=rec.id, now=NOW)
    assert missing.value.message == NOT_RATED
    _, events = rate(session, world.bob, rec, 5)  # a re-rating after delete: not "first"
    assert events_of(events, NotificationCreated) == []
    assert len(notifications(session, world.alice, NotificationType.recommendation_rating)) == 2
    assert_counters_match_rows(session, rec.id)
    act(session, rating_delete, actor=viewer(world.bob), recommendation_id=rec.id, now=NOW)
    act(session, rating_delete, actor=viewer(world.carol), recommendation_id=rec.id, now=NOW)
    stored = assert_counters_match_rows(session, rec.id)
    assert (stored["ratings_count"], stored["rating_avg"]) == (0, Decimal("0.00"))


def test_ratings_list_pages_hides_removed_text_and_blocked_raters(
    session: Session, world: World
) -> None:
    rec = world.rec
    raters = [create_user(session, username=f"rater_{i}") for i in range(21)]
    for second, rater in enumerate(raters):
        rate(session, rater, rec, 1 + second % 5, f"Review number {second}",
             now=NOW + timedelta(seconds=second))  # fmt: skip
    rate(session, world.bob, rec, 4, "Bob's honest review", now=NOW + timedelta(minutes=5))

    first = ratings_list(session, viewer_id=world.carol.id, recommendation_id=rec.id)
    assert len(first.items) == 20 and first.next_cursor
    assert first.items[0].username == "i_bob" and first.items[0].review == "Bob's honest review"
    second = ratings_list(session, viewer_id=world.carol.id, recommendation_id=rec.id,
                          cursor=first.next_cursor)  # fmt: skip
    ids = [item.rating_id for item in first.items + second.items]
    assert len(ids) == len(set(ids)) == 22 and second.next_cursor is None

    # A moderator removed bob's review text: the value still counts, the text is never sent.
    bobs = session.get(Rating, first.items[0].rating_id)
    bobs.review_status = ModerationStatus.removed
    session.flush()
    top = ratings_list(session, viewer_id=None, recommendation_id=rec.id).items[0]
    assert (top.rating, top.review, top.review_removed) == (4, None, True)

    # Raters with a block either way are hidden from that viewer only.
    block(session, world.bob, world.carol)
    for_carol = ratings_list(session, viewer_id=world.carol.id, recommendation_id=rec.id)
    assert "i_bob" not in [item.username for item in for_carol.items]
    for_dave = ratings_list(session, viewer_id=world.dave.id, recommendation_id=rec.id)
    assert for_dave.items[0].username == "i_bob"
    mine = ratings_list(session, viewer_id=world.bob.id, recommendation_id=rec.id).items[0]
    assert mine.is_own


def test_blocked_users_cannot_rate_and_hidden_list_is_404(session: Session, world: World) -> None:
    block(session, world.alice, world.bob)
    with pytest.raises(NotFound):
        rate(session, world.bob, world.rec, 5)
    with pytest.raises(NotFound):
        ratings_list(session, viewer_id=world.bob.id, recommendation_id=world.rec.id)
    assert notifications(session, world.alice, NotificationType.recommendation_rating) == []
