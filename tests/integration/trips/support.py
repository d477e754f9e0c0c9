"""Helpers for the trips tests: people, trips with members, and actions as a user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlmodel import Session

from citypulse.models import Trip, TripCompanion, User
from citypulse.models.enums import CompanionRole, CompanionStatus, Visibility
from citypulse.services.trips.events import TripChanged
from tests.integration.interactions.support import act
from tests.integration.profiles.support import block, connect, viewer_of
from tests.integration.support import NOW
from tests.support.factories import create_user

T = TypeVar("T")

__all__ = [
    "NOW",
    "People",
    "add_member",
    "block",
    "connect",
    "make_people",
    "make_trip",
    "run",
    "run_with_events",
    "trip_events",
]


@dataclass
class People:
    """alice; dave (alice's buddy); bob and carol (strangers); mod (a moderator)."""

    alice: User
    bob: User
    carol: User
    dave: User
    mod: User


def make_people(session: Session) -> People:
    people = People(
        alice=create_user(session, username="t_alice", full_name="Alice Martins"),
        bob=create_user(session, username="t_bob", full_name="Bob Silva"),
        carol=create_user(session, username="t_carol", full_name="Carol Reis"),
        dave=create_user(session, username="t_dave", full_name="Dave Costa"),
        mod=create_user(session, username="t_mod", full_name="Mo Derator", role="moderator"),
    )
    connect(session, people.alice, people.dave)
    return people


def make_trip(
    session: Session,
    owner: User,
    *,
    title: str = "Summer in Canada",
    visibility: str = Visibility.friends_only,
    collaborative: bool = False,
    start: date | None = None,
    end: date | None = None,
) -> Trip:
    """A trip row with the owner's companion row (owner, accepted), as create makes it."""
    trip = Trip(
        owner_id=owner.id,
        title=title,
        visibility=visibility,
        is_collaborative=collaborative,
        start_date=start,
        end_date=end,
    )
    session.add(trip)
    session.flush()
    add_member(session, trip, owner, CompanionRole.owner)
    return trip


def add_member(
    session: Session,
    trip: Trip,
    user: User,
    role: str = CompanionRole.participant,
    status: str = CompanionStatus.accepted,
) -> TripCompanion:
    row = TripCompanion(trip_id=trip.id, user_id=user.id, role=role, status=status)
    session.add(row)
    session.flush()
    return row


def run(session: Session, service: Callable[..., T], actor: User | None, /, **kwargs: object) -> T:
    """`service` as `actor` (None: a visitor) in one transaction at NOW; its result."""
    return run_with_events(session, service, actor, **kwargs)[0]


def run_with_events(
    session: Session, service: Callable[..., T], actor: User | None, /, **kwargs: object
) -> tuple[T, list]:
    """`service` as `actor` in one transaction at NOW; its result and published events."""
    kwargs.setdefault("now", NOW)
    return act(session, service, actor=viewer_of(actor) if actor else None, **kwargs)


def trip_events(events: list) -> list[tuple[int, tuple[str, ...]]]:
    """The (trip id, parts) of the TripChanged events an action published."""
    return [(e.trip_id, e.parts) for e in events if isinstance(e, TripChanged)]
