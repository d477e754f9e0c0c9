"""Ratings and reviews (PRODUCT.md §4.4.3): upsert, delete, and the ratings list.

Writers lock the recommendation row first, so the count and the average recomputed from
the rows in the same transaction are exact even when people rate at the same moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import aliased
from sqlmodel import Session

from citypulse.models import Profile, Rating, Recommendation, User
from citypulse.models.enums import AccountStatus, ModerationStatus
from citypulse.models.interactions import NoticeKind
from citypulse.realtime import publish_after_commit
from citypulse.services import rate_limits
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.cursors import decode_cursor, encode_cursor
from citypulse.services.errors import NotFound, PermissionDenied, ValidationFailed
from citypulse.services.interactions.core import (
    INTERACTIONS_PER_USER,
    PAGE_SIZE,
    RECOMMENDATION_NOT_FOUND,
    InteractionState,
    counters_changed,
    interaction_target,
    lock_recommendation,
    notify_first,
    own_state_changed,
    require_active_actor,
    state_for,
)
from citypulse.services.interactions.events import RecommendationRatingsChanged
from citypulse.services.recommendations.visibility import visible_recommendation
from citypulse.services.social.graph import blocked_between

REVIEW_LENGTH = 1000
RATING_RANGE = "Rating must be between 1 and 5"
REVIEW_TOO_LONG = f"Review must be at most {REVIEW_LENGTH} characters"
OWN_RATING = "You cannot rate your own recommendation"
NOT_RATED = "You have not rated this recommendation"


@dataclass(frozen=True)
class RatingItem:
    """One rating in the list; `review` is None when absent or removed by a moderator."""

    rating_id: int
    user_id: int
    username: str
    full_name: str
    avatar_key: str | None
    rating: int
    review: str | None
    review_removed: bool
    created_at: datetime
    updated_at: datetime
    is_own: bool


@dataclass(frozen=True)
class RatingsPage:
    """A newest-first page of ratings; pass `next_cursor` back for the next page."""

    items: list[RatingItem]
    next_cursor: str | None


def rating_upsert(
    session: Session,
    *,
    actor: Viewer,
    recommendation_id: int,
    rating: int,
    review: str | None,
    now: datetime,
) -> InteractionState:
    """Rate 1–5 with an optional review; re-rating replaces the actor's earlier rating.

    Only the actor's first rating ever notifies the author. A review hidden by a
    moderator stays hidden when the rating is changed (the decision is not undone here).

    Raises:
        ValidationFailed: rating not an integer 1–5 (`rating`), review over 1000 (`review`).
        PermissionDenied: not an active user, or the actor's own recommendation.
        NotFound: the recommendation is hidden, removed or missing.
        RateLimited: more than 60 likes, saves, shares and ratings in a minute.
    """
    user = require_active_actor(session, actor)
    value, text = _valid_rating(rating), _valid_review(review)
    rate_limits.hit(session, INTERACTIONS_PER_USER, str(user.id), now)
    recommendation = interaction_target(session, user.id, recommendation_id)
    if recommendation.author_id == user.id:
        raise PermissionDenied(OWN_RATING)
    lock_recommendation(session, recommendation.id)
    insert = pg_insert(Rating).values(
        recommendation_id=recommendation.id,
        user_id=user.id,
        rating=value,
        review=text,
        created_at=now,
        updated_at=now,
    )
    session.execute(
        insert.on_conflict_do_update(
            index_elements=[Rating.recommendation_id, Rating.user_id],
            set_={"rating": value, "review": text, "updated_at": now},
        )
    )
    _recount(session, recommendation.id)
    notify_first(
        session,
        kind=NoticeKind.rating,
        actor=user,
        recommendation=recommendation,
        now=now,
        rating=value,
    )
    return _changed(session, recommendation, user.id)


def rating_delete(
    session: Session, *, actor: Viewer, recommendation_id: int, now: datetime
) -> InteractionState:
    """Delete the actor's own rating of a recommendation (nobody can delete another's).

    Raises:
        PermissionDenied: not an active user.
        NotFound: the recommendation is hidden, removed or missing, or not rated by the actor.
        RateLimited: more than 60 likes, saves, shares and ratings in a minute.
    """
    user = require_active_actor(session, actor)
    rate_limits.hit(session, INTERACTIONS_PER_USER, str(user.id), now)
    recommendation = interaction_target(session, user.id, recommendation_id)
    lock_recommendation(session, recommendation.id)
    deleted = session.execute(
        sa.delete(Rating)
        .where(Rating.recommendation_id == recommendation.id, Rating.user_id == user.id)
        .returning(Rating.id)
    ).first()
    if deleted is None:
        raise NotFound(NOT_RATED)
    _recount(session, recommendation.id)
    return _changed(session, recommendation, user.id)


def ratings_list(
    session: Session, *, viewer_id: int | None, recommendation_id: int, cursor: str | None = None
) -> RatingsPage:
    """Ratings of a recommendation the viewer may see, newest first, 20 per page.

    Raters blocked either way with the viewer, and raters who are not active (restricted
    content is hidden, §4.13.8), are left out; removed review text is never sent.

    Raises:
        NotFound: the recommendation is hidden from this viewer.
    """
    if visible_recommendation(session, recommendation_id, viewer_id) is None:
        raise NotFound(RECOMMENDATION_NOT_FOUND)
    rater = aliased(User)
    query = (
        sa.select(
            Rating.id,
            Rating.user_id,
            Rating.rating,
            Rating.review,
            Rating.review_status,
            Rating.created_at,
            Rating.updated_at,
            rater.username,
            rater.full_name,
            Profile.avatar_key,
        )
        .join(rater, rater.id == Rating.user_id)
        .outerjoin(Profile, Profile.user_id == Rating.user_id)
        .where(
            Rating.recommendation_id == recommendation_id,
            rater.account_status == AccountStatus.active,
            ~blocked_between(viewer_id, Rating.user_id),
        )
        .order_by(Rating.created_at.desc(), Rating.id.desc())
        .limit(PAGE_SIZE + 1)
    )
    position = decode_cursor(cursor)
    if position is not None:
        query = query.where(sa.tuple_(Rating.created_at, Rating.id) < sa.tuple_(*position))
    rows = session.execute(query).all()
    items = [_item(row, viewer_id) for row in rows[:PAGE_SIZE]]
    last = rows[PAGE_SIZE - 1] if len(rows) > PAGE_SIZE else None
    return RatingsPage(items, encode_cursor(last.created_at, last.id) if last else None)


def _item(row: sa.Row, viewer_id: int | None) -> RatingItem:
    """A read model from plain columns (never a possibly stale identity-map row)."""
    removed = row.review_status == ModerationStatus.removed
    return RatingItem(
        rating_id=row.id,
        user_id=row.user_id,
        username=row.username,
        full_name=row.full_name,
        avatar_key=row.avatar_key,
        rating=row.rating,
        review=None if removed else row.review,
        review_removed=removed and row.review is not None,
        created_at=row.created_at,
        updated_at=row.updated_at,
        is_own=row.user_id == viewer_id,
    )


def _valid_rating(rating: object) -> int:
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationFailed({"rating": RATING_RANGE})
    return rating


def _valid_review(review: str | None) -> str | None:
    text = (review or "").strip()
    if len(text) > REVIEW_LENGTH:
        raise ValidationFailed({"review": REVIEW_TOO_LONG})
    return text or None


def _recount(session: Session, recommendation_id: int) -> None:
    """Recompute ratings_count and rating_avg from the rows (caller holds the row lock)."""
    count, average = session.execute(
        sa.select(
            sa.func.count(Rating.id),
            sa.func.coalesce(sa.func.round(sa.func.avg(Rating.rating), 2), 0),
        ).where(Rating.recommendation_id == recommendation_id)
    ).one()
    session.execute(
        sa.update(Recommendation)
        .where(Recommendation.id == recommendation_id)
        .values(ratings_count=count, rating_avg=average, updated_at=Recommendation.updated_at)
    )


def _changed(session: Session, recommendation: Recommendation, user_id: int) -> InteractionState:
    publish_after_commit(session, RecommendationRatingsChanged(recommendation.id))
    counters_changed(session, recommendation.id)
    state = state_for(session, recommendation, user_id)
    own_state_changed(session, state, user_id)
    return state
