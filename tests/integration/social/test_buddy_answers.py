"""Accept, decline, cancel and remove (§4.5.2–§4.5.5): who may, and who hears of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.models.enums import AccountStatus, BuddyStatus
from citypulse.services.errors import NotFound, PermissionDenied, RateLimited, ValidationFailed
from citypulse.services.social.buddies import (
    NO_REQUEST_FROM_THEM,
    NO_REQUEST_TO_THEM,
    NOT_BUDDIES,
    ONLY_ADDRESSEE,
    buddy_accept,
    buddy_cancel,
    buddy_decline,
    buddy_remove,
    buddy_request,
)
from citypulse.services.social.graph import are_buddies
from citypulse.services.social.lists import buddies_page
from tests.integration.social.support import (
    NOW,
    World,
    block,
    changed,
    connection,
    notes,
    pending,
    run,
    viewer,
)
from tests.support.factories import create_user


@pytest.fixture
def asked(session: Session, world: World) -> World:
    """alice has asked bob (bob got the buddy_request notification)."""
    run(session, buddy_request, world.alice, user_id=world.bob.id, message="Hi Bob")
    return world


def test_accept_connects_and_notifies_the_requester(session: Session, asked: World) -> None:
    later = NOW + timedelta(hours=2)
    _, events = run(session, buddy_accept, asked.bob, user_id=asked.alice.id, now=later)
    row = connection(session, asked.alice, asked.bob)
    assert (row.status, row.responded_at) == (BuddyStatus.accepted, later)
    assert are_buddies(session, asked.alice.id, asked.bob.id)
    [note] = notes(session, asked.alice)
    assert (note.type, note.action_url, note.actor_id) == (
        "buddy_accepted", f"/profile/{asked.bob.username}", asked.bob.id)  # fmt: skip
    assert "Bob Silva" in note.title
    assert changed(events) == [{asked.alice.id, asked.bob.id}]


def test_decline_keeps_the_reply_and_notifies_the_requester(session: Session, asked: World) -> None:
    _, events = run(session, buddy_decline, asked.bob, user_id=asked.alice.id,
                    message="Sorry, I only travel alone")  # fmt: skip
    row = connection(session, asked.alice, asked.bob)
    assert (row.status, row.responded_at, row.response_message) == (
        BuddyStatus.declined, NOW, "Sorry, I only travel alone")  # fmt: skip
    [note] = notes(session, asked.alice)
    assert (note.type, note.action_url) == ("buddy_declined", "/buddies?tab=sent")
    assert "Sorry, I only travel alone" in note.message
    assert changed(events) == [{asked.alice.id, asked.bob.id}]


def test_a_decline_without_a_message(session: Session, asked: World) -> None:
    run(session, buddy_decline, asked.bob, user_id=asked.alice.id)
    assert connection(session, asked.alice, asked.bob).response_message is None


def test_a_decline_message_over_300_characters_is_refused(session: Session, asked: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        run(session, buddy_decline, asked.bob, user_id=asked.alice.id, message="x" * 301)
    assert list(refused.value.field_errors) == ["message"]
    assert connection(session, asked.alice, asked.bob).status == BuddyStatus.pending


def test_cancel_withdraws_the_request_silently(session: Session, asked: World) -> None:
    _, events = run(session, buddy_cancel, asked.alice, user_id=asked.bob.id)
    assert connection(session, asked.alice, asked.bob).status == BuddyStatus.cancelled
    assert notes(session, asked.alice) == []
    assert len(notes(session, asked.bob)) == 1  # only the original request
    assert changed(events) == [{asked.alice.id, asked.bob.id}]  # bob's tabs refetch live
    requests = buddies_page(session, viewer=viewer(asked.bob), tab="requests")
    assert (requests.rows, requests.counts.requests) == ((), 0)


def test_remove_works_from_either_side_without_notifying(session: Session, world: World) -> None:
    _, events = run(session, buddy_remove, world.dave, user_id=world.alice.id)
    assert connection(session, world.alice, world.dave).status == BuddyStatus.removed
    assert not are_buddies(session, world.alice.id, world.dave.id)
    assert notes(session, world.alice) == notes(session, world.dave) == []
    assert changed(events) == [{world.alice.id, world.dave.id}]
    with pytest.raises(NotFound, match=NOT_BUDDIES):
        run(session, buddy_remove, world.alice, user_id=world.dave.id)


def test_the_requester_cannot_answer_their_own_request(session: Session, asked: World) -> None:
    for answer in (buddy_accept, buddy_decline):
        with pytest.raises(PermissionDenied, match=ONLY_ADDRESSEE):
            run(session, answer, asked.alice, user_id=asked.bob.id)
    assert connection(session, asked.alice, asked.bob).status == BuddyStatus.pending


def test_the_addressee_cannot_cancel_the_request(session: Session, asked: World) -> None:
    with pytest.raises(NotFound, match=NO_REQUEST_TO_THEM):
        run(session, buddy_cancel, asked.bob, user_id=asked.alice.id)
    assert connection(session, asked.alice, asked.bob).status == BuddyStatus.pending


def test_a_third_user_cannot_touch_a_request_between_two_others(
    session: Session, asked: World
) -> None:
    """carol names alice or bob: there is no request between carol and either of them."""
    for other in (asked.alice, asked.bob):
        for answer in (buddy_accept, buddy_decline):
            with pytest.raises(NotFound, match=NO_REQUEST_FROM_THEM):
                run(session, answer, asked.carol, user_id=other.id)
        with pytest.raises(NotFound, match=NO_REQUEST_TO_THEM):
            run(session, buddy_cancel, asked.carol, user_id=other.id)
        with pytest.raises(NotFound, match=NOT_BUDDIES):
            run(session, buddy_remove, asked.carol, user_id=other.id)
    row = connection(session, asked.alice, asked.bob)
    assert (row.status, row.requester_id) == (BuddyStatus.pending, asked.alice.id)
    assert notes(session, asked.alice) == [] and notes(session, asked.carol) == []


def test_answers_only_while_pending(session: Session, asked: World) -> None:
    run(session, buddy_accept, asked.bob, user_id=asked.alice.id)
    for answer in (buddy_accept, buddy_decline):
        with pytest.raises(NotFound, match=NO_REQUEST_FROM_THEM):
            run(session, answer, asked.bob, user_id=asked.alice.id)
    with pytest.raises(NotFound, match=NO_REQUEST_TO_THEM):
        run(session, buddy_cancel, asked.alice, user_id=asked.bob.id)
    assert len(notes(session, asked.alice)) == 1  # one buddy_accepted only


def test_a_request_from_a_user_suspended_since_cannot_be_accepted(
    session: Session, asked: World
) -> None:
    asked.alice.account_status = AccountStatus.suspended
    session.add(asked.alice)
    with pytest.raises(NotFound):
        run(session, buddy_accept, asked.bob, user_id=asked.alice.id)
    assert connection(session, asked.alice, asked.bob).status == BuddyStatus.pending


@pytest.mark.parametrize("blocker", ["alice", "bob"])
def test_no_answer_across_a_block(session: Session, asked: World, blocker: str) -> None:
    """Blocking deletes the request (blocks.py); a leftover one still cannot be accepted."""
    other = "bob" if blocker == "alice" else "alice"
    block(session, getattr(asked, blocker), getattr(asked, other))
    for answer in (buddy_accept, buddy_decline):
        with pytest.raises(NotFound):
            run(session, answer, asked.bob, user_id=asked.alice.id)
    assert notes(session, asked.alice) == []


def test_other_buddy_actions_are_limited_to_fifty_per_quarter_hour(
    session: Session, world: World
) -> None:
    askers = [create_user(session, username=f"s_asker_{n}") for n in range(51)]
    for asker in askers:
        pending(session, asker, world.bob)
    for asker in askers[:50]:
        run(session, buddy_decline, world.bob, user_id=asker.id)
    with pytest.raises(RateLimited, match="Too many requests, try again in 15 minutes"):
        run(session, buddy_accept, world.bob, user_id=askers[50].id)
    assert connection(session, askers[50], world.bob).status == BuddyStatus.pending
    run(session, buddy_accept, world.bob, user_id=askers[50].id, now=NOW + timedelta(minutes=15))
