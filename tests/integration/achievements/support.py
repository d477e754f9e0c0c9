"""Helpers for the achievement tests: viewers, the catalogue, awards and events as stored."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Session

from citypulse.models import (
    Achievement,
    BuddyConnection,
    City,
    Like,
    Rating,
    Recommendation,
    RecommendationCity,
    Trip,
    TripCity,
    TripCompanion,
    User,
)
from citypulse.models.enums import BuddyStatus, CompanionRole, CompanionStatus, TripStatus
from citypulse.realtime import PENDING_EVENTS
from citypulse.services.accounts.viewer import Viewer
from tests.integration.support import run_action
from tests.support.factories import create_city, create_recommendation

T = TypeVar("T")
TOTAL = 17  # badges in the §4.7 catalogue


def viewer(user: User) -> Viewer:
    """The Viewer the state layer would build for `user` (role and status as stored)."""
    return Viewer(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        status=user.account_status,
        family_id=uuid.uuid4(),
        suspended_until=None,
        email_verified=user.email_verified_at is not None,
    )


def act(session: Session, service: Callable[..., T], /, **kwargs: object) -> tuple[T, list]:
    """Run one action as one transaction; return its result and the events it queued."""
    session.info.pop(PENDING_EVENTS, None)
    result = run_action(session, service, **kwargs)
    return result, session.info.pop(PENDING_EVENTS, [])


def earned(session: Session, user: User) -> set[str]:
    """Codes of the badges `user` has completed, as stored."""
    return set(session.execute(sa.text(
        "SELECT a.code FROM user_achievements ua JOIN achievements a ON a.id = ua.achievement_id "
        "WHERE ua.user_id = :u AND ua.completed_at IS NOT NULL"
    ), {"u": user.id}).scalars())  # fmt: skip


def totals(session: Session, user: User) -> tuple[int, int, int] | None:
    """(points, completed, families) as maintained for the leaderboard."""
    row = session.execute(
        sa.text("SELECT points, completed, families FROM achievement_totals WHERE user_id = :u"),
        {"u": user.id},
    ).first()
    return None if row is None else tuple(row)


def badge_id(session: Session, code: str) -> int:
    return session.execute(sa.select(Achievement.id).where(Achievement.code == code)).scalar_one()


def recommendation_in(session: Session, author: User, city: City | None = None) -> Recommendation:
    """An active public recommendation of `author` in `city` (a new city by default)."""
    rec = create_recommendation(session, author=author)
    city = city or create_city(session)
    session.add(RecommendationCity(recommendation_id=rec.id, city_id=city.id, is_primary=True))
    session.flush()
    return rec


def likes_from(session: Session, rec: Recommendation, likers: list[User]) -> None:
    """Like rows as stored (no counters, no evaluation): arrange a state."""
    for user in likers:
        session.add(Like(recommendation_id=rec.id, user_id=user.id))
    session.flush()


def rating_row(session: Session, rec: Recommendation, rater: User, review: str | None) -> Rating:
    row = Rating(recommendation_id=rec.id, user_id=rater.id, rating=4, review=review)
    session.add(row)
    session.flush()
    return row


def buddies_row(session: Session, a: User, b: User, status: BuddyStatus) -> BuddyConnection:
    row = BuddyConnection(requester_id=a.id, addressee_id=b.id, status=status)
    session.add(row)
    session.flush()
    return row


def trip_completed_by(session: Session, owner: User, members: list[User]) -> Trip:
    """A completed trip to one new city, owned by `owner`, with accepted `members`."""
    trip = Trip(owner_id=owner.id, title="Atlantic coast", status=TripStatus.completed)
    session.add(trip)
    session.flush()
    session.add(TripCity(trip_id=trip.id, city_id=create_city(session).id, position=1))
    session.add(TripCompanion(trip_id=trip.id, user_id=owner.id, role=CompanionRole.owner,
                              status=CompanionStatus.accepted))  # fmt: skip
    for member in members:
        session.add(TripCompanion(trip_id=trip.id, user_id=member.id,
                                  status=CompanionStatus.accepted))  # fmt: skip
    session.flush()
    return trip
