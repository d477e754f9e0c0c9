"""Every counter-changing command publishes what the live path needs (issue 8, item 4).

The push adapter delivers these events to the browser without reading the database, so
each must carry the stored truth: counters equal to the rows, the actor's own state.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.services.interactions.events import (
    RecommendationCountersChanged,
    RecommendationRatingsChanged,
    ViewerInteractionChanged,
)
from citypulse.services.interactions.likes_saves import like_toggle, save_toggle
from citypulse.services.interactions.ratings import rating_delete, rating_upsert
from citypulse.services.interactions.views_shares import share_record, view_record
from tests.integration.interactions.conftest import World
from tests.integration.interactions.support import (
    act,
    assert_counters_match_rows,
    events_of,
    stored_counters,
    viewer,
)
from tests.integration.support import NOW


def counters_event_matches_storage(session: Session, events: list, rec_id: int) -> None:
    [event] = events_of(events, RecommendationCountersChanged)
    stored = assert_counters_match_rows(session, rec_id)
    assert (event.recommendation_id, event.likes, event.saves, event.views) == (
        rec_id,
        stored["likes_count"],
        stored["saves_count"],
        stored["views_count"],
    )
    assert (event.shares, event.ratings_count) == (
        stored["shares_count"],
        stored["ratings_count"],
    )
    assert event.rating_avg == float(stored["rating_avg"])


def test_own_state_and_counters_follow_every_toggle_and_rating(
    session: Session, world: World
) -> None:
    bob, rid = viewer(world.bob), world.rec.id
    steps = [
        (like_toggle, {}, (True, False, None, None)),
        (save_toggle, {}, (True, True, None, None)),
        (rating_upsert, {"rating": 4, "review": " Crisp "}, (True, True, 4, "Crisp")),
        (rating_upsert, {"rating": 2, "review": None}, (True, True, 2, None)),
        (like_toggle, {}, (False, True, 2, None)),
        (rating_delete, {}, (False, True, None, None)),
        (save_toggle, {}, (False, False, None, None)),
    ]  # fmt: skip
    for minute, (service, extra, expected) in enumerate(steps):
        now = NOW + timedelta(minutes=minute)
        state, events = act(session, service, actor=bob, recommendation_id=rid, now=now, **extra)
        assert (state.liked, state.saved, state.my_rating, state.my_review) == expected
        [own] = events_of(events, ViewerInteractionChanged)
        assert (own.user_id, own.recommendation_id) == (world.bob.id, rid)
        assert (own.liked, own.saved, own.my_rating, own.my_review) == expected
        counters_event_matches_storage(session, events, rid)
        rated = service in (rating_upsert, rating_delete)
        expected_ratings = [RecommendationRatingsChanged(rid)] if rated else []
        assert events_of(events, RecommendationRatingsChanged) == expected_ratings
    assert stored_counters(session, rid)["likes_count"] == 0


@pytest.mark.parametrize("kind", ["view", "share"])
def test_counted_views_and_shares_publish_the_counters(
    session: Session, world: World, kind: str
) -> None:
    rid = world.rec.id
    if kind == "view":
        counted, events = act(session, view_record, viewer_id=world.bob.id, anon_key=None,
                              ip=None, is_bot=False, recommendation_id=rid, now=NOW)  # fmt: skip
    else:
        result, events = act(session, share_record, actor=viewer(world.bob),
                             recommendation_id=rid, platform="email", now=NOW)  # fmt: skip
        counted = result.counted
    assert counted
    counters_event_matches_storage(session, events, rid)
    assert events_of(events, ViewerInteractionChanged) == []  # nothing of the viewer's own
