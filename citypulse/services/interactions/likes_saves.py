"""Likes and saves (PRODUCT.md §4.4.1–§4.4.2) and the owner's liked and saved lists.

Toggles are race-safe: the row is deleted or inserted with `ON CONFLICT DO NOTHING`, and
the counter moves only when a row really changed, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import aliased
from sqlmodel import Session

from citypulse.models import Like, Recommendation, Save, User
from citypulse.models.interactions import NoticeKind
from citypulse.services import rate_limits
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.cursors import decode_cursor, encode_cursor
from citypulse.services.errors import PermissionDenied
from citypulse.services.interactions.core import (
    INTERACTIONS_PER_USER,
    PAGE_SIZE,
    InteractionState,
    bump_counter,
    counters_changed,
    interaction_target,
    notify_first,
    own_state_changed,
    require_active_actor,
    state_for,
)
from citypulse.services.recommendations.visibility import recommendation_visible_to

OWN_LIKE = "You cannot like your own recommendation"


@dataclass(frozen=True)
class InteractionListItem:
    """One recommendation of the owner's liked or saved list."""

    recommendation_id: int
    title: str
    author_username: str
    author_full_name: str
    status: str  # the author's own removed ones stay listed for them (with a banner)
    likes: int
    saves: int
    ratings_count: int
    rating_avg: float
    interacted_at: datetime  # when it was liked / saved


@dataclass(frozen=True)
class InteractionPage:
    """A page of a newest-first list; pass `next_cursor` back for the next page."""

    items: list[InteractionListItem]
    next_cursor: str | None


def like_toggle(
    session: Session, *, actor: Viewer, recommendation_id: int, now: datetime
) -> InteractionState:
    """Like or unlike a recommendation; a user's first like ever notifies the author once.

    Raises:
        PermissionDenied: not an active user, or the actor's own recommendation.
        NotFound: the recommendation is hidden, removed or missing.
        RateLimited: more than 60 likes, saves, shares and ratings in a minute.
    """
    user = require_active_actor(session, actor)
    rate_limits.hit(session, INTERACTIONS_PER_USER, str(user.id), now)
    recommendation = interaction_target(session, user.id, recommendation_id)
    if recommendation.author_id == user.id:
        raise PermissionDenied(OWN_LIKE)
    if _toggle(session, Like, recommendation.id, user.id, "likes_count", now):
        notify_first(
            session, kind=NoticeKind.like, actor=user, recommendation=recommendation, now=now
        )
    return _changed(session, recommendation, user.id)


def save_toggle(
    session: Session, *, actor: Viewer, recommendation_id: int, now: datetime
) -> InteractionState:
    """Save or unsave a recommendation (your own may be saved). Nobody is notified.

    Raises:
        PermissionDenied: not an active user.
        NotFound: the recommendation is hidden, removed or missing.
        RateLimited: more than 60 likes, saves, shares and ratings in a minute.
    """
    user = require_active_actor(session, actor)
    rate_limits.hit(session, INTERACTIONS_PER_USER, str(user.id), now)
    recommendation = interaction_target(session, user.id, recommendation_id)
    _toggle(session, Save, recommendation.id, user.id, "saves_count", now)
    return _changed(session, recommendation, user.id)


def saved_recommendations(
    session: Session, *, actor: Viewer, cursor: str | None = None
) -> InteractionPage:
    """The actor's own saved list (private), newest save first, visible items only."""
    user = require_active_actor(session, actor)
    return _owner_list(session, Save, user.id, cursor)


def liked_recommendations(
    session: Session, *, actor: Viewer, cursor: str | None = None
) -> InteractionPage:
    """The actor's own liked list, newest like first, visible items only."""
    user = require_active_actor(session, actor)
    return _owner_list(session, Like, user.id, cursor)


def _toggle(
    session: Session, model: type[Like] | type[Save], rid: int, uid: int, column: str, now: datetime
) -> bool:
    """Delete the user's row if present, else insert it. True when a row was inserted."""
    removed = session.execute(
        sa.delete(model)
        .where(model.recommendation_id == rid, model.user_id == uid)
        .returning(model.id)
    ).first()
    if removed is not None:
        bump_counter(session, rid, column, -1)
        return False
    added = session.execute(
        pg_insert(model)
        .values(recommendation_id=rid, user_id=uid, created_at=now)
        .on_conflict_do_nothing()
        .returning(model.id)
    ).first()
    if added is None:  # a concurrent toggle (another tab) inserted it first
        return False
    bump_counter(session, rid, column, +1)
    return True


def _changed(session: Session, recommendation: Recommendation, user_id: int) -> InteractionState:
    counters_changed(session, recommendation.id)
    state = state_for(session, recommendation, user_id)
    own_state_changed(session, state, user_id)
    return state


def _owner_list(
    session: Session, model: type[Like] | type[Save], user_id: int, cursor: str | None
) -> InteractionPage:
    # Aliased: the visibility rule's own subquery on `users` must not correlate with it.
    author = aliased(User)
    query = (
        sa.select(
            model.id,
            model.created_at,
            Recommendation.id.label("recommendation_id"),
            Recommendation.title,
            Recommendation.status,
            Recommendation.likes_count,
            Recommendation.saves_count,
            Recommendation.ratings_count,
            Recommendation.rating_avg,
            author.username,
            author.full_name,
        )
        .join(Recommendation, Recommendation.id == model.recommendation_id)
        .join(author, author.id == Recommendation.author_id)
        .where(model.user_id == user_id, recommendation_visible_to(user_id))
        .order_by(model.created_at.desc(), model.id.desc())
        .limit(PAGE_SIZE + 1)
    )
    position = decode_cursor(cursor)
    if position is not None:
        query = query.where(sa.tuple_(model.created_at, model.id) < sa.tuple_(*position))
    rows = session.execute(query).all()
    items = [
        InteractionListItem(
            recommendation_id=row.recommendation_id,
            title=row.title,
            author_username=row.username,
            author_full_name=row.full_name,
            status=row.status,
            likes=row.likes_count,
            saves=row.saves_count,
            ratings_count=row.ratings_count,
            rating_avg=float(row.rating_avg),
            interacted_at=row.created_at,
        )
        for row in rows[:PAGE_SIZE]
    ]
    last = rows[PAGE_SIZE - 1] if len(rows) > PAGE_SIZE else None
    return InteractionPage(items, encode_cursor(last.created_at, last.id) if last else None)
