"""buddy_request (§4.5.1): who may ask whom, the refusals, the cool-down and the daily limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.models.enums import AccountStatus, BuddyStatus
from citypulse.services.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    RateLimited,
    ValidationFailed,
)
from citypulse.services.social.buddies import (
    ALREADY_BUDDIES,
    ALREADY_PENDING,
    NOT_YOURSELF,
    REQUESTS_OFF,
    UNBLOCK_FIRST,
    CoolingDown,
    PendingRequest,
    buddy_cancel,
    buddy_decline,
    buddy_remove,
    buddy_request,
)
from tests.integration.social.support import (
    NOW,
    World,
    block,
    changed,
    connection,
    notes,
    pending,
    requests_off,
    run,
)
from tests.integration.support import outbox
from tests.support.factories import create_user


def test_a_request_is_stored_notified_and_pushed_to_both(session: Session, world: World) -> None:
    _, events = run(session, buddy_request, world.alice, user_id=world.bob.id,
                    message="  Fellow train lover?  ")  # fmt: skip

    row = connection(session, world.alice, world.bob)
    assert row is not None
    assert (row.requester_id, row.addressee_id, row.status) == (
        world.alice.id, world.bob.id, BuddyStatus.pending)  # fmt: skip
    assert (row.request_message, row.requested_at, row.responded_at) == (
        "Fellow train lover?", NOW, None)  # fmt: skip
    [note] = notes(session, world.bob)
    assert (note.type, note.action_url, note.actor_id) == (
        "buddy_request", "/buddies?tab=requests", world.alice.id)  # fmt: skip
    assert "Alice Martins" in note.title and "Fellow train lover?" in note.message
    assert notes(session, world.alice) == []
    assert changed(events) == [{world.alice.id, world.bob.id}]
    assert [mail.to_address for mail in outbox(session)] == [world.bob.email]  # buddy_requests


def test_an_empty_message_is_stored_as_none(session: Session, world: World) -> None:
    run(session, buddy_request, world.alice, user_id=world.bob.id, message="   ")
    assert connection(session, world.alice, world.bob).request_message is None


@pytest.mark.parametrize(
    ("message", "error"),
    [("x" * 301, "Message must be at most 300 characters"),
     ("bell\x07", "Message cannot contain control characters")],
)  # fmt: skip
def test_a_bad_message_is_a_field_error_and_creates_nothing(
    session: Session, world: World, message: str, error: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        run(session, buddy_request, world.alice, user_id=world.bob.id, message=message)
    assert refused.value.field_errors == {"message": error}
    assert connection(session, world.alice, world.bob) is None
    assert notes(session, world.bob) == []


def test_a_message_of_300_characters_is_fine(session: Session, world: World) -> None:
    run(session, buddy_request, world.alice, user_id=world.bob.id, message="x" * 300)
    assert len(connection(session, world.alice, world.bob).request_message) == 300


def test_not_to_yourself(session: Session, world: World) -> None:
    with pytest.raises(PermissionDenied, match=NOT_YOURSELF):
        run(session, buddy_request, world.alice, user_id=world.alice.id)


@pytest.mark.parametrize(
    "status", [AccountStatus.suspended, AccountStatus.banned, AccountStatus.deactivated]
)
def test_only_to_an_active_user(session: Session, world: World, status: AccountStatus) -> None:
    world.bob.account_status = status
    session.add(world.bob)
    with pytest.raises(NotFound):
        run(session, buddy_request, world.alice, user_id=world.bob.id)
    assert connection(session, world.alice, world.bob) is None


def test_not_to_an_unverified_or_unknown_user(session: Session, world: World) -> None:
    unverified = create_user(session, username="s_unverified", verified=False)
    for user_id in (unverified.id, 10**9):
        with pytest.raises(NotFound):
            run(session, buddy_request, world.alice, user_id=user_id)


def test_a_restricted_or_unverified_actor_cannot_ask(session: Session, world: World) -> None:
    unverified = create_user(session, username="s_unverified", verified=False)
    with pytest.raises(PermissionDenied):
        run(session, buddy_request, unverified, user_id=world.bob.id)
    world.carol.account_status = AccountStatus.suspended
    session.add(world.carol)
    with pytest.raises(PermissionDenied):
        run(session, buddy_request, world.carol, user_id=world.bob.id)
    assert notes(session, world.bob) == []


def test_no_request_across_a_block_either_way(session: Session, world: World) -> None:
    block(session, world.bob, world.alice)
    with pytest.raises(NotFound):  # bob's profile is a 404 for alice: nothing more is said
        run(session, buddy_request, world.alice, user_id=world.bob.id)
    with pytest.raises(PermissionDenied, match=UNBLOCK_FIRST):
        run(session, buddy_request, world.bob, user_id=world.alice.id)
    assert connection(session, world.alice, world.bob) is None
    assert notes(session, world.alice) == notes(session, world.bob) == []


def test_already_buddies(session: Session, world: World) -> None:
    for asker, other in ((world.alice, world.dave), (world.dave, world.alice)):
        with pytest.raises(Conflict, match=ALREADY_BUDDIES):
            run(session, buddy_request, asker, user_id=other.id)


def test_a_pending_request_either_way_is_refused_and_says_who_sent_it(
    session: Session, world: World
) -> None:
    run(session, buddy_request, world.alice, user_id=world.bob.id)
    with pytest.raises(PendingRequest, match=ALREADY_PENDING) as again:
        run(session, buddy_request, world.alice, user_id=world.bob.id)
    assert again.value.from_them is False
    with pytest.raises(PendingRequest, match=ALREADY_PENDING) as crossing:
        run(session, buddy_request, world.bob, user_id=world.alice.id)
    assert crossing.value.from_them is True  # bob's UI offers Accept
    assert len(notes(session, world.bob)) == 1 and notes(session, world.alice) == []


def test_requests_off_refuses_new_requests(session: Session, world: World) -> None:
    requests_off(session, world.bob)
    with pytest.raises(PermissionDenied, match=REQUESTS_OFF):
        run(session, buddy_request, world.alice, user_id=world.bob.id)
    assert connection(session, world.alice, world.bob) is None
    run(session, buddy_request, world.bob, user_id=world.alice.id)  # bob may still ask


def _declined(session: Session, world: World) -> None:
    run(session, buddy_request, world.carol, user_id=world.bob.id)
    run(session, buddy_decline, world.bob, user_id=world.carol.id)


def test_after_a_decline_the_same_requester_waits_seven_days(
    session: Session, world: World
) -> None:
    _declined(session, world)
    later = NOW + timedelta(days=6, hours=1)
    with pytest.raises(CoolingDown) as refused:
        run(session, buddy_request, world.carol, user_id=world.bob.id, now=later)
    assert refused.value.message == (
        "Your last request was declined. You can ask again in 23 hours"
    )
    assert refused.value.retry_at == NOW + timedelta(days=7)
    with pytest.raises(CoolingDown, match="in 7 days"):
        run(session, buddy_request, world.carol, user_id=world.bob.id, now=NOW)
    run(session, buddy_request, world.carol, user_id=world.bob.id, now=NOW + timedelta(days=7))
    row = connection(session, world.carol, world.bob)
    assert (row.status, row.requested_at, row.response_message) == (
        BuddyStatus.pending, NOW + timedelta(days=7), None)  # fmt: skip


def test_the_one_who_declined_may_ask_at_once_reusing_the_row(
    session: Session, world: World
) -> None:
    _declined(session, world)
    row_id = connection(session, world.carol, world.bob).id
    run(session, buddy_request, world.bob, user_id=world.carol.id)
    row = connection(session, world.carol, world.bob)
    assert (row.id, row.requester_id, row.addressee_id, row.status) == (
        row_id, world.bob.id, world.carol.id, BuddyStatus.pending)  # fmt: skip


def test_after_a_cancel_or_a_removal_a_request_may_follow_at_once(
    session: Session, world: World
) -> None:
    run(session, buddy_request, world.alice, user_id=world.bob.id)
    row_id = connection(session, world.alice, world.bob).id
    run(session, buddy_cancel, world.alice, user_id=world.bob.id)
    run(session, buddy_request, world.alice, user_id=world.bob.id)
    assert connection(session, world.alice, world.bob).id == row_id

    run(session, buddy_remove, world.dave, user_id=world.alice.id)
    run(session, buddy_request, world.dave, user_id=world.alice.id)
    row = connection(session, world.alice, world.dave)
    assert (row.requester_id, row.status) == (world.dave.id, BuddyStatus.pending)


def test_at_most_twenty_new_requests_a_day(session: Session, world: World) -> None:
    others = [create_user(session, username=f"s_other_{n}") for n in range(21)]
    for other in others[:20]:
        run(session, buddy_request, world.carol, user_id=other.id)
    with pytest.raises(RateLimited, match="Too many requests, try again in"):
        run(session, buddy_request, world.carol, user_id=others[20].id)
    assert connection(session, world.carol, others[20]) is None
    assert notes(session, others[20]) == []
    run(session, buddy_request, world.carol, user_id=others[20].id, now=NOW + timedelta(days=1))


def test_refused_requests_do_not_use_up_the_daily_limit(session: Session, world: World) -> None:
    requests_off(session, world.bob)
    for _ in range(25):
        with pytest.raises(PermissionDenied):
            run(session, buddy_request, world.carol, user_id=world.bob.id)
    run(session, buddy_request, world.carol, user_id=world.alice.id)


def test_a_pending_request_from_an_earlier_time_still_blocks_a_new_one(
    session: Session, world: World
) -> None:
    pending(session, world.bob, world.carol, at=NOW - timedelta(days=30))
    with pytest.raises(PendingRequest):
        run(session, buddy_request, world.carol, user_id=world.bob.id)
