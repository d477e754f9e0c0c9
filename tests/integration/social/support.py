"""Helpers for the buddy and block tests: people, their viewers and what an action did."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlmodel import Session, col, select

from citypulse.models import BuddyConnection, Notification, Profile, User
from citypulse.models.enums import BuddyStatus
from citypulse.services.social.buddies import pair_condition
from citypulse.services.social.events import BuddiesChanged
from tests.integration.interactions.support import act, viewer
from tests.integration.profiles.support import block, connect
from tests.integration.support import NOW
from tests.support.factories import create_user

T = TypeVar("T")

__all__ = ["NOW", "World", "block", "connect", "make_world", "viewer"]


@dataclass
class World:
    """alice, bob, carol (strangers to each other) and dave (alice's buddy)."""

    alice: User
    bob: User
    carol: User
    dave: User


def make_world(session: Session) -> World:
    world = World(
        alice=create_user(session, username="s_alice", full_name="Alice Martins"),
        bob=create_user(session, username="s_bob", full_name="Bob Silva"),
        carol=create_user(session, username="s_carol", full_name="Carol Reis"),
        dave=create_user(session, username="s_dave", full_name="Dave Costa"),
    )
    connect(session, world.alice, world.dave)
    return world


def run(
    session: Session, service: Callable[..., T], actor: User, /, **kwargs: object
) -> tuple[T, list]:
    """`service` as `actor` in one transaction at NOW (unless told): result and events."""
    kwargs.setdefault("now", NOW)
    return act(session, service, actor=viewer(actor), **kwargs)


def connection(session: Session, a: User, b: User) -> BuddyConnection | None:
    """The pair's row as stored (re-read, never the identity map)."""
    session.expire_all()
    return session.exec(select(BuddyConnection).where(pair_condition(a.id, b.id))).first()


def notes(session: Session, recipient: User) -> list[Notification]:
    """Every notification of `recipient`, oldest first."""
    query = select(Notification).where(Notification.recipient_id == recipient.id)
    return list(session.exec(query.order_by(col(Notification.id))).all())


def changed(events: list) -> list[set[int]]:
    """The user sets of the BuddiesChanged events an action published."""
    return [set(event.user_ids) for event in events if isinstance(event, BuddiesChanged)]


def requests_off(session: Session, user: User) -> None:
    profile = session.exec(select(Profile).where(Profile.user_id == user.id)).one()
    profile.buddy_requests_enabled = False
    session.add(profile)
    session.flush()


def pending(session: Session, requester: User, addressee: User, at: datetime = NOW) -> None:
    """A pending request made at `at`."""
    row = connect(session, requester, addressee, status=BuddyStatus.pending)
    row.requested_at = at
    session.add(row)
    session.flush()
