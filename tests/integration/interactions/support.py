"""Helpers for the interaction tests: viewers, actions with their events, counter checks."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select

from citypulse.models import Block, Like, Notification, Rating, Recommendation, Save, User, View
from citypulse.realtime import PENDING_EVENTS
from citypulse.services.accounts.viewer import Viewer
from tests.integration.support import count, run_action

T = TypeVar("T")


def viewer(user: User) -> Viewer:
    """The Viewer the state layer would build for `user` (role and status as stored)."""
    return Viewer(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        status=user.account_status,
        family_id=None,
        suspended_until=None,
    )


def act(session: Session, service: Callable[..., T], /, **kwargs: object) -> tuple[T, list]:
    """Run one action as one transaction; return its result and the events it queued."""
    session.info.pop(PENDING_EVENTS, None)
    result = run_action(session, service, **kwargs)
    return result, session.info.pop(PENDING_EVENTS, [])


def events_of(events: list, kind: type) -> list:
    return [event for event in events if isinstance(event, kind)]


def block(session: Session, blocker: User, blocked: User) -> None:
    session.add(Block(blocker_id=blocker.id, blocked_id=blocked.id))
    session.flush()


def notifications(session: Session, recipient: User, type_: str) -> list[Notification]:
    query = (
        select(Notification)
        .where(Notification.recipient_id == recipient.id, Notification.type == type_)
        .order_by(col(Notification.id))
    )
    return list(session.exec(query).all())


def stored_counters(session: Session, recommendation_id: int) -> dict[str, object]:
    """The counters as stored (a Core read, never the identity map)."""
    row = session.execute(
        sa.select(
            Recommendation.likes_count,
            Recommendation.saves_count,
            Recommendation.shares_count,
            Recommendation.ratings_count,
            Recommendation.rating_avg,
            Recommendation.views_count,
        ).where(Recommendation.id == recommendation_id)
    ).one()
    return dict(row._mapping)


def assert_counters_match_rows(session: Session, recommendation_id: int) -> dict[str, object]:
    """Recount every row-backed counter and compare it with the stored one (never < 0)."""
    stored = stored_counters(session, recommendation_id)
    ratings = session.execute(
        sa.select(sa.func.count(Rating.id), sa.func.avg(Rating.rating)).where(
            Rating.recommendation_id == recommendation_id
        )
    ).one()
    average = Decimal(ratings[1] or 0).quantize(Decimal("0.01"))
    expected = {
        "likes_count": count(session, Like, Like.recommendation_id == recommendation_id),
        "saves_count": count(session, Save, Save.recommendation_id == recommendation_id),
        "ratings_count": ratings[0],
        "rating_avg": average,
        "views_count": count(session, View, View.recommendation_id == recommendation_id),
    }
    assert {name: stored[name] for name in expected} == expected
    assert all(value >= 0 for value in stored.values()), stored
    return stored
