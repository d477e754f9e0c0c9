"""Seed the social graph: buddies, pending requests, a block and alice's notifications.

- alice and dave are buddies (PRODUCT.md §7 seed); so are felix and hugo, gina and iris;
- felix has asked alice (her Requests tab), alice has asked gina (her Sent tab);
- carol blocks hugo (no block touches alice, bob, carol-with-the-journey-users or dave:
  the acceptance journeys create their own);
- iris does not accept buddy requests;
- alice has three unread notifications: felix's request, dave's acceptance, a welcome.

Runs with the rest of the demo world, once, into a database without recommendations.
Notifications go through `notify()` (the one way to create them), without emails.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from citypulse.models import Block, BuddyConnection, Profile, User
from citypulse.models.enums import BuddyStatus, NotificationType
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.notifications.create import notify
from citypulse.services.social.buddies import notify_buddy

BUDDIES = [
    ("alice", "dave", "Fellow hiker! Let's swap trail tips."),
    ("felix", "hugo", "Bakery tour of Lisbon next spring?"),
    ("gina", "iris", "Saw your Prague viewpoints, amazing!"),
]
PENDING = [
    ("felix", "alice", "Loved your Toronto coffee list. Travel buddies?"),
    ("alice", "gina", "Your Barcelona architecture walk looks great!"),
]


def seed_social(session: Session, users: dict[str, User]) -> None:
    """The buddy pairs, pending requests, block, opt-out and notifications above."""
    now = datetime.now(UTC)
    for hours, (requester, addressee, message) in enumerate(BUDDIES, start=1):
        asked = now - timedelta(days=10, hours=hours)
        session.add(
            BuddyConnection(
                requester_id=users[requester].id,
                addressee_id=users[addressee].id,
                status=BuddyStatus.accepted,
                request_message=message,
                requested_at=asked,
                responded_at=asked + timedelta(hours=5),
            )
        )
    for hours, (requester, addressee, message) in enumerate(PENDING, start=1):
        session.add(
            BuddyConnection(
                requester_id=users[requester].id,
                addressee_id=users[addressee].id,
                request_message=message,
                requested_at=now - timedelta(hours=hours),
            )
        )
    session.add(Block(blocker_id=users["carol"].id, blocked_id=users["hugo"].id))
    iris = session.exec(select(Profile).where(Profile.user_id == users["iris"].id)).one()
    iris.buddy_requests_enabled = False
    session.add(iris)
    session.flush()
    _notify_alice(session, users, now)


def _viewer(user: User) -> Viewer:
    return Viewer(user.id, user.username, user.full_name, user.role, user.account_status,
                  uuid.uuid4(), None, email_verified=True)  # fmt: skip


def _notify_alice(session: Session, users: dict[str, User], now: datetime) -> None:
    alice = users["alice"]
    notify(session, recipient_id=alice.id, type=NotificationType.system, actor=None,
           title="Welcome to CityPulse", message="Share your favourite places and find "
           "travel buddies.", action_url="/dashboard", now=now - timedelta(hours=1),
           email=False)  # fmt: skip
    notify_buddy(session, NotificationType.buddy_accepted, actor=_viewer(users["dave"]),
                 recipient_id=alice.id, now=now - timedelta(minutes=30), email=False)  # fmt: skip
    notify_buddy(session, NotificationType.buddy_request, actor=_viewer(users["felix"]),
                 recipient_id=alice.id, note=PENDING[0][2], now=now, email=False)  # fmt: skip
