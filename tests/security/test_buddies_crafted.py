"""Crafted buddy events (issue 10 acceptance): carol cannot accept, decline or cancel a
request between alice and bob, and nobody can send a request across a block.

Each call goes straight over the WebSocket, with the ids an attacker would pick, to the
/buddies handlers and to the profile's buttons (which act on the profile's own user).
The reply must carry the refusal and the rows must stay exactly as they were.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import pytest
from sqlalchemy import or_, select
from sqlmodel import Session

from citypulse.api.cookies import ACCESS_COOKIE
from citypulse.auth.sessions import session_start
from citypulse.models import Block, BuddyConnection, Notification
from citypulse.models.enums import BuddyStatus
from citypulse.services.social.buddies import (
    NO_REQUEST_FROM_THEM,
    NO_REQUEST_TO_THEM,
    USER_NOT_FOUND,
    pair_condition,
)
from citypulse.services.unit_of_work import run_transaction
from citypulse.state.profiles.profile import ProfileState
from citypulse.state.social.buddies import BuddiesState
from citypulse.state.social.profile_buddy import ProfileBuddyState
from tests.security.support.wire import CraftedTab, on
from tests.support.factories import create_user

LIST, BUTTONS = BuddiesState.get_full_name(), ProfileBuddyState.get_full_name()
PROFILE_LOAD = f"{ProfileState.get_full_name()}.load"
PROFILE = "/profile/[profile_username]"
REQUEST_MESSAGE = "Alice to Bob: the ferry leaves at nine."


def _people(*names: str) -> dict[str, tuple[int, str, str]]:
    """Fresh members: name → (id, username, session cookie header)."""
    tag, now = secrets.token_hex(3), datetime.now(UTC)

    def build(db: Session) -> dict[str, tuple[int, str, str]]:
        found = {}
        for name in names:
            user = create_user(db, username=f"{name}_{tag}")
            issued = session_start(db, user_id=user.id, remember_me=True,
                                   user_agent="security-tier", ip="127.0.0.1", now=now)  # fmt: skip
            found[name] = (user.id, user.username, f"{ACCESS_COOKIE}={issued.access_token}")
        return found

    return run_transaction(build)


def _pair_rows(a: int, b: int) -> list[tuple]:
    def read(db: Session) -> list[tuple]:
        c = BuddyConnection
        columns = (c.requester_id, c.addressee_id, c.status, c.request_message, c.responded_at)
        rows = db.execute(select(*columns).where(pair_condition(a, b))).all()
        return [tuple(row) for row in rows]

    return run_transaction(read)


def _notifications_for(user_id: int) -> int:
    def count(db: Session) -> int:
        statement = select(Notification.id).where(Notification.recipient_id == user_id)
        return len(db.execute(statement).all())

    return run_transaction(count)


def _profile(tab: CraftedTab, username: str, handler: str, payload: dict | None = None) -> str:
    """Open `username`'s profile in the crafted tab, then press one of its buttons."""
    page = on(PROFILE, profile_username=username)
    tab.call(PROFILE_LOAD, {}, page)
    tab.call(f"{BUTTONS}.load_buddy", {}, page)
    return tab.call(f"{BUTTONS}.{handler}", payload or {}, page)


@pytest.fixture
def tabs(backend_url: str):
    opened: list[CraftedTab] = []

    def open_tab(cookie: str) -> CraftedTab:
        opened.append(CraftedTab(backend_url, cookie))
        return opened[-1]

    yield open_tab
    for tab in opened:
        tab.close()


def test_carol_cannot_answer_or_cancel_alices_request_to_bob(tabs) -> None:
    people = _people("alice", "bob", "carol")
    (alice_id, _, alice_cookie), (bob_id, bob_name, _) = people["alice"], people["bob"]
    carol_id, _, carol_cookie = people["carol"]
    alice = tabs(alice_cookie)
    sent = alice.call(
        f"{LIST}.send_request",
        {"form": {"user_id": str(bob_id), "message": REQUEST_MESSAGE}},
        on("/buddies", tab="find"),
    )
    assert "Buddy request sent" in sent
    before = _pair_rows(alice_id, bob_id)
    assert [row[2] for row in before] == [BuddyStatus.pending]
    alice_notices = _notifications_for(alice_id)

    carol = tabs(carol_cookie)
    requests, sent_tab = on("/buddies", tab="requests"), on("/buddies", tab="sent")
    replies = [
        carol.call(f"{LIST}.accept", {"user_id": str(alice_id)}, requests),
        carol.call(f"{LIST}.decline", {"form": {"user_id": alice_id, "message": "no"}}, requests),
        carol.call(f"{LIST}.cancel", {"user_id": bob_id}, sent_tab),
    ]
    assert NO_REQUEST_FROM_THEM in replies[0] and NO_REQUEST_FROM_THEM in replies[1]
    assert NO_REQUEST_TO_THEM in replies[2]
    # The profile's buttons act on the profile's user: alice's profile, bob's profile.
    assert NO_REQUEST_FROM_THEM in _profile(carol, people["alice"][1], "accept_request")
    assert NO_REQUEST_FROM_THEM in _profile(
        carol, people["alice"][1], "decline_request", {"form": {"message": "no"}}
    )
    assert NO_REQUEST_TO_THEM in _profile(carol, bob_name, "cancel_request")
    # Alice's message never reaches carol, whatever she opened.
    assert REQUEST_MESSAGE not in carol.everything()

    assert _pair_rows(alice_id, bob_id) == before
    assert _pair_rows(carol_id, alice_id) == [] and _pair_rows(carol_id, bob_id) == []
    assert _notifications_for(alice_id) == alice_notices  # no buddy_accepted / declined

    # The same call from bob, the addressee, is the one that works (the checks can fail).
    bob = tabs(people["bob"][2])
    accepted = bob.call(f"{LIST}.accept", {"user_id": str(alice_id)}, requests)
    assert "are now buddies" in accepted
    assert [row[2] for row in _pair_rows(alice_id, bob_id)] == [BuddyStatus.accepted]
    assert _notifications_for(alice_id) == alice_notices + 1


def test_no_request_across_a_block(tabs) -> None:
    people = _people("alice", "dave")
    (alice_id, alice_name, alice_cookie), (dave_id, dave_name, dave_cookie) = (
        people["alice"],
        people["dave"],
    )
    alice = tabs(alice_cookie)
    blocked = _profile(alice, dave_name, "block")
    assert "Blocked." in blocked
    dave_notices = _notifications_for(dave_id)

    dave = tabs(dave_cookie)
    find = on("/buddies", tab="find")
    reply = dave.call(
        f"{LIST}.send_request", {"form": {"user_id": alice_id, "message": "hi"}}, find
    )
    assert USER_NOT_FOUND in reply
    # Her profile is a 404 for him: the buttons have no user to act on.
    _profile(dave, alice_name, "add_buddy", {"form": {"message": "hi"}})
    # The blocker cannot ask either (she must unblock first).
    back = alice.call(f"{LIST}.send_request", {"form": {"user_id": dave_id}}, find)
    assert "Unblock this user before sending a buddy request" in back

    assert _pair_rows(alice_id, dave_id) == []
    assert _notifications_for(alice_id) == 0 and _notifications_for(dave_id) == dave_notices

    def blocks(db: Session) -> list[tuple[int, int]]:
        statement = select(Block.blocker_id, Block.blocked_id).where(
            or_(Block.blocker_id == alice_id, Block.blocker_id == dave_id)
        )
        return [tuple(row) for row in db.execute(statement).all()]

    assert run_transaction(blocks) == [(alice_id, dave_id)]
