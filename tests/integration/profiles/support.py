"""Shared helpers for the profile service tests: people, viewers and relationships."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlmodel import Session, select

from citypulse.models import Block, BuddyConnection, Profile, User
from citypulse.models.enums import BuddyStatus, Role
from citypulse.services.accounts.viewer import Viewer
from tests.support.factories import create_user


def viewer_of(user: User) -> Viewer:
    """The Viewer the state layer would build for `user`."""
    return Viewer(
        user.id, user.username, user.full_name, user.role, user.account_status, uuid.uuid4(), None
    )


def profile_of(session: Session, user: User) -> Profile:
    return session.exec(select(Profile).where(Profile.user_id == user.id)).one()


def connect(
    session: Session, requester: User, addressee: User, status: str = BuddyStatus.accepted
) -> BuddyConnection:
    """A buddy connection row (accepted unless told otherwise)."""
    row = BuddyConnection(
        requester_id=requester.id,
        addressee_id=addressee.id,
        status=status,
        responded_at=None if status == BuddyStatus.pending else datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return row


def block(session: Session, blocker: User, blocked: User) -> None:
    session.add(Block(blocker_id=blocker.id, blocked_id=blocked.id))
    session.flush()


def all_text(value: object) -> str:
    """Every value of a read model (nested dataclasses included) as one string."""
    return repr(asdict(value))  # type: ignore[arg-type]


@dataclass
class People:
    alice: User
    bob: User
    carol: User
    dave: User
    mod: User


def make_people(session: Session) -> People:
    """alice (with phone), bob, carol, dave (alice's buddy) and a moderator."""
    alice = create_user(session, username="alice", full_name="Alice Traveller")
    alice.phone = "+351912345678"
    alice.bio = "Coffee and trams."
    alice.hometown = "Porto"
    alice.current_location = "Lisbon"
    session.add(alice)
    people = People(
        alice=alice,
        bob=create_user(session, username="bob", full_name="Bob Stranger"),
        carol=create_user(session, username="carol", full_name="Carol Other"),
        dave=create_user(session, username="dave", full_name="Dave Buddy"),
        mod=create_user(session, username="mod_one", full_name="Mo Derator", role=Role.moderator),
    )
    connect(session, alice, people.dave)
    profile = profile_of(session, alice)
    profile.instagram_url = "https://instagram.com/alice"
    session.add(profile)
    session.flush()
    return people
