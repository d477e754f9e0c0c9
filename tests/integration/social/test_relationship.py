"""relationship(): the profile's buddy button agrees with what buddy_request would do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.models.enums import AccountStatus
from citypulse.services.errors import NotFound
from citypulse.services.policies import SIGN_IN
from citypulse.services.social.blocks import block_user
from citypulse.services.social.buddies import (
    ALREADY_BUDDIES,
    ALREADY_PENDING,
    NOT_YOURSELF,
    REQUESTS_OFF,
    UNBLOCK_FIRST,
    buddy_decline,
    buddy_request,
)
from citypulse.services.social.relationship import Relationship, relationship
from tests.integration.social.support import NOW, World, requests_off, run, viewer
from tests.support.factories import create_user


def seen(session: Session, world: World, who: str, whom: str, **kwargs: object) -> Relationship:
    return relationship(session, viewer=viewer(getattr(world, who)),
                        user_id=getattr(world, whom).id, **kwargs)  # fmt: skip


def test_strangers_may_ask(session: Session, world: World) -> None:
    assert seen(session, world, "alice", "bob") == Relationship("none", True, True, "")


def test_buddies_on_both_sides(session: Session, world: World) -> None:
    expected = Relationship("buddies", True, False, ALREADY_BUDDIES)
    assert seen(session, world, "alice", "dave") == expected
    assert seen(session, world, "dave", "alice") == expected


def test_a_pending_request_is_sent_for_one_and_received_for_the_other(
    session: Session, world: World
) -> None:
    run(session, buddy_request, world.alice, user_id=world.bob.id, message="Hello!")
    assert seen(session, world, "alice", "bob") == Relationship(
        "sent", True, False, ALREADY_PENDING, message="Hello!"
    )
    assert seen(session, world, "bob", "alice") == Relationship(
        "received", True, False, ALREADY_PENDING, message="Hello!"
    )


def test_requests_off_shows_a_disabled_button(session: Session, world: World) -> None:
    requests_off(session, world.bob)
    assert seen(session, world, "alice", "bob") == Relationship("none", False, False, REQUESTS_OFF)


def test_the_cool_down_says_when(session: Session, world: World) -> None:
    run(session, buddy_request, world.carol, user_id=world.bob.id)
    run(session, buddy_decline, world.bob, user_id=world.carol.id)
    state = seen(session, world, "carol", "bob", now=NOW + timedelta(days=5))
    assert (state.state, state.can_request) == ("none", False)
    assert state.refusal == "Your last request was declined. You can ask again in 2 days"
    assert seen(session, world, "carol", "bob", now=NOW + timedelta(days=7)).can_request
    assert seen(session, world, "bob", "carol", now=NOW).can_request  # the decliner may ask


def test_the_blocker_sees_unblock_and_the_blocked_user_gets_a_404(
    session: Session, world: World
) -> None:
    run(session, block_user, world.alice, user_id=world.bob.id)
    assert seen(session, world, "alice", "bob") == Relationship(
        "blocked_by_me", True, False, UNBLOCK_FIRST
    )
    with pytest.raises(NotFound):
        seen(session, world, "bob", "alice")


@pytest.mark.parametrize("status", [AccountStatus.suspended, AccountStatus.deactivated])
def test_an_inactive_user_is_a_404(session: Session, world: World, status: str) -> None:
    world.bob.account_status = status
    session.add(world.bob)
    session.flush()
    with pytest.raises(NotFound):
        seen(session, world, "alice", "bob")
    with pytest.raises(NotFound):
        relationship(session, viewer=viewer(world.alice), user_id=10**9)


def test_yourself_and_visitors(session: Session, world: World) -> None:
    assert seen(session, world, "alice", "alice") == Relationship("none", True, False, NOT_YOURSELF)
    assert relationship(session, viewer=None, user_id=world.bob.id) == Relationship(
        "none", True, False, SIGN_IN
    )


def test_an_unverified_viewer_cannot_ask(session: Session, world: World) -> None:
    newcomer = create_user(session, username="s_newcomer", verified=False)
    state = relationship(session, viewer=viewer(newcomer), user_id=world.bob.id)
    assert (state.state, state.can_request, state.refusal) == (
        "none", False, "Verify your email address first")  # fmt: skip
