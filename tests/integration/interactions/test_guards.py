"""What every interaction requires (PRODUCT.md §4.4): an active user, a visible and active
target, no block either way; and the shared 60/min limit of §5.2."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.models import Like, Notification, Rating, Save, Share
from citypulse.models.enums import AccountStatus, ContentStatus, Visibility
from citypulse.services.errors import NotFound, PermissionDenied, RateLimited
from citypulse.services.interactions.core import viewer_interaction_state
from citypulse.services.interactions.likes_saves import (
    like_toggle,
    save_toggle,
    saved_recommendations,
)
from citypulse.services.interactions.ratings import rating_delete, rating_upsert
from citypulse.services.interactions.views_shares import share_record
from citypulse.services.policies import RESTRICTED
from tests.integration.interactions.conftest import World
from tests.integration.interactions.support import (
    act,
    assert_counters_match_rows,
    block,
    viewer,
)
from tests.integration.support import NOW, count
from tests.support.factories import create_recommendation

ACTIONS = {
    "like": (like_toggle, {}),
    "save": (save_toggle, {}),
    "rate": (rating_upsert, {"rating": 4, "review": None}),
    "unrate": (rating_delete, {}),
    "share": (share_record, {"platform": "copy_link"}),
}


def attempt(session: Session, name: str, actor, rec_id: int, now=NOW):
    service, extra = ACTIONS[name]
    return act(session, service, actor=actor, recommendation_id=rec_id, now=now, **extra)


def nothing_stored(session: Session, rec_id: int) -> bool:
    rows = sum(count(session, model, model.recommendation_id == rec_id)
               for model in (Like, Save, Rating, Share))  # fmt: skip
    return rows == 0 and count(session, Notification) == 0


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("direction", ["author_blocks", "actor_blocks"])
def test_blocked_users_cannot_interact(
    session: Session, world: World, name: str, direction: str
) -> None:
    if direction == "author_blocks":
        block(session, world.alice, world.bob)
    else:
        block(session, world.bob, world.alice)
    with pytest.raises(NotFound):
        attempt(session, name, viewer(world.bob), world.rec.id)
    assert nothing_stored(session, world.rec.id)


@pytest.mark.parametrize("name", ACTIONS)
def test_hidden_targets_are_not_found(session: Session, world: World, name: str) -> None:
    private = create_recommendation(session, author=world.alice, visibility=Visibility.private)
    buddies = create_recommendation(session, author=world.alice, visibility=Visibility.friends_only)
    removed = create_recommendation(session, author=world.alice)
    removed.status = ContentStatus.removed
    deleted = create_recommendation(session, author=world.alice)
    deleted.status = ContentStatus.deleted
    session.flush()
    for hidden in (private, buddies, removed, deleted):
        with pytest.raises(NotFound) as refused:
            attempt(session, name, viewer(world.bob), hidden.id)
        assert refused.value.message == "Recommendation not found"
    with pytest.raises(NotFound):
        attempt(session, name, viewer(world.bob), 987_654_321)
    # The author's own removed recommendation is shown to them, but is not a target.
    with pytest.raises(NotFound):
        attempt(session, "share", viewer(world.alice), removed.id)
    assert nothing_stored(session, private.id) and nothing_stored(session, buddies.id)


def test_buddies_only_is_a_target_for_buddies(session: Session, world: World) -> None:
    buddies = create_recommendation(session, author=world.alice, visibility=Visibility.friends_only)
    state, _ = attempt(session, "like", viewer(world.dave), buddies.id)
    assert state.liked and state.likes == 1


def test_inactive_author_hides_the_target(session: Session, world: World) -> None:
    world.alice.account_status = AccountStatus.suspended
    session.flush()
    with pytest.raises(NotFound):
        attempt(session, "like", viewer(world.bob), world.rec.id)
    with pytest.raises(NotFound):
        viewer_interaction_state(session, viewer_id=world.bob.id, recommendation_id=world.rec.id)


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("status", [AccountStatus.suspended, AccountStatus.banned])
def test_restricted_actors_are_refused(
    session: Session, world: World, name: str, status: AccountStatus
) -> None:
    with pytest.raises(PermissionDenied) as refused:
        attempt(session, name, replace(viewer(world.bob), status=status), world.rec.id)
    assert refused.value.message == RESTRICTED == "Your account is restricted"
    # A stale viewer ("active") is still refused: the status is re-read from the database.
    world.bob.account_status = status
    session.flush()
    with pytest.raises(PermissionDenied):
        attempt(session, name, replace(viewer(world.bob), status="active"), world.rec.id)
    with pytest.raises(PermissionDenied):
        saved_recommendations(session, actor=viewer(world.bob))
    assert nothing_stored(session, world.rec.id)


def test_unverified_and_signed_out(session: Session, world: World) -> None:
    world.bob.email_verified_at = None
    session.flush()
    with pytest.raises(PermissionDenied):
        attempt(session, "like", viewer(world.bob), world.rec.id)
    with pytest.raises(PermissionDenied):
        attempt(session, "like", None, world.rec.id)


def test_60_likes_saves_shares_and_ratings_per_minute(session: Session, world: World) -> None:
    bob = viewer(world.bob)
    names = ["like", "save", "share", "rate"]
    for i in range(60):
        attempt(session, names[i % 4], bob, world.rec.id, now=NOW + timedelta(seconds=i % 60))
    with pytest.raises(RateLimited) as limited:
        attempt(session, "save", bob, world.rec.id, now=NOW + timedelta(seconds=59))
    assert limited.value.message == "Too many requests, try again in 1 minute"
    # Per user, and a new minute starts a new window.
    attempt(session, "like", viewer(world.carol), world.rec.id, now=NOW + timedelta(seconds=59))
    attempt(session, "save", bob, world.rec.id, now=NOW + timedelta(minutes=1))
    assert_counters_match_rows(session, world.rec.id)
