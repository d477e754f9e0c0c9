"""Shared core of the interaction services (PRODUCT.md §4.4, §4.11, §5.2).

The actions live in `likes_saves`, `ratings`, `views_shares` and `reports`; this module
holds what they share: the actor and target guards, the rate limits, counter updates,
the viewer's interaction state, the first-like / first-rating notification and keyset
cursors. Every function runs inside the caller's transaction and never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session

from citypulse.models import Like, Notification, Rating, Recommendation, Save, User
from citypulse.models.enums import AccountStatus, ContentStatus, NotificationType
from citypulse.models.interactions import InteractionNotice, NoticeKind
from citypulse.realtime import publish_after_commit
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound, PermissionDenied
from citypulse.services.interactions.events import (
    NotificationCreated,
    RecommendationCountersChanged,
    ViewerInteractionChanged,
)
from citypulse.services.rate_limits import Limit
from citypulse.services.recommendations.visibility import visible_recommendation
from citypulse.services.social.graph import blocked_either_way

# PRODUCT.md §5.2: one shared budget for likes, saves, shares and ratings.
INTERACTIONS_PER_USER = Limit("interact", 60, timedelta(minutes=1))
REPORTS_PER_USER = Limit("report", 20, timedelta(days=1))
PAGE_SIZE = 20  # §4.14 "other lists"

RESTRICTED = "Your account is restricted"
SIGN_IN = "Sign in to continue"
UNVERIFIED = "Verify your email address first"
RECOMMENDATION_NOT_FOUND = "Recommendation not found"
TITLE_LENGTH = 200


@dataclass(frozen=True)
class InteractionState:
    """What the detail page shows about interactions, for one viewer."""

    recommendation_id: int
    liked: bool
    saved: bool
    my_rating: int | None
    my_review: str | None
    likes: int
    saves: int
    shares: int
    ratings_count: int
    rating_avg: float  # 2 dp as stored; the UI shows 1 dp
    views: int
    is_author: bool


def require_active_actor(session: Session, actor: Viewer | None) -> User:
    """The actor's row, when they may interact: signed in, active and verified.

    Raises:
        PermissionDenied: signed out, suspended/banned/deactivated, or unverified.
    """
    if actor is None:
        raise PermissionDenied(SIGN_IN)
    if actor.status != AccountStatus.active:
        raise PermissionDenied(RESTRICTED)
    user = session.get(User, actor.user_id)  # status is re-read, never trusted stale
    if user is None or user.account_status != AccountStatus.active:
        raise PermissionDenied(RESTRICTED)
    if user.email_verified_at is None:
        raise PermissionDenied(UNVERIFIED)
    return user


def interaction_target(session: Session, user_id: int, recommendation_id: int) -> Recommendation:
    """The recommendation when `user_id` may interact with it: visible AND active.

    The one visibility rule already hides blocked authors (either way), inactive authors
    and other people's non-public items; the author's own removed one is visible to them
    but is not a target.

    Raises:
        NotFound: hidden, removed, deleted or missing (all look the same: 404).
    """
    recommendation = visible_recommendation(session, recommendation_id, user_id)
    if recommendation is None or recommendation.status != ContentStatus.active:
        raise NotFound(RECOMMENDATION_NOT_FOUND)
    return recommendation


def lock_recommendation(session: Session, recommendation_id: int) -> None:
    """Serialise writers of one recommendation's derived counters (ratings average)."""
    session.execute(
        sa.select(Recommendation.id).where(Recommendation.id == recommendation_id).with_for_update()
    )


def bump_counter(session: Session, recommendation_id: int, column: str, delta: int) -> None:
    """Add `delta` to one counter atomically, never below 0, without touching updated_at.

    Call it only when a row was really inserted or deleted in this transaction.
    """
    counter = getattr(Recommendation, column)
    session.execute(
        sa.update(Recommendation)
        .where(Recommendation.id == recommendation_id)
        # Counters are not edits: keep updated_at (its onupdate would otherwise fire).
        .values(
            {column: sa.func.greatest(counter + delta, 0), "updated_at": Recommendation.updated_at}
        )
    )


def counters_changed(session: Session, recommendation_id: int) -> RecommendationCountersChanged:
    """Read the committed-to-be counters and queue the live update for the page's viewers."""
    row = _counter_row(session, recommendation_id)
    event = RecommendationCountersChanged(
        recommendation_id=recommendation_id,
        likes=row.likes_count,
        saves=row.saves_count,
        shares=row.shares_count,
        ratings_count=row.ratings_count,
        rating_avg=float(row.rating_avg),
        views=row.views_count,
    )
    publish_after_commit(session, event)
    return event


def state_for(
    session: Session, recommendation: Recommendation, viewer_id: int | None
) -> InteractionState:
    """The viewer's interaction state with fresh counters (no visibility check)."""
    rid = recommendation.id
    row = _counter_row(session, rid)
    liked = saved = False
    mine = None
    if viewer_id is not None:
        mine_of = {"recommendation_id": rid, "user_id": viewer_id}
        liked = _exists(session, Like, mine_of)
        saved = _exists(session, Save, mine_of)
        mine = session.execute(sa.select(Rating.rating, Rating.review).filter_by(**mine_of)).first()
    return InteractionState(
        recommendation_id=rid,
        liked=liked,
        saved=saved,
        my_rating=mine.rating if mine else None,
        my_review=mine.review if mine else None,
        likes=row.likes_count,
        saves=row.saves_count,
        shares=row.shares_count,
        ratings_count=row.ratings_count,
        rating_avg=float(row.rating_avg),
        views=row.views_count,
        is_author=viewer_id == recommendation.author_id,
    )


def _counter_row(session: Session, recommendation_id: int) -> sa.Row:
    """The counters as stored now (a Core read: never a stale identity-map object)."""
    return session.execute(
        sa.select(
            Recommendation.likes_count,
            Recommendation.saves_count,
            Recommendation.shares_count,
            Recommendation.ratings_count,
            Recommendation.rating_avg,
            Recommendation.views_count,
        ).where(Recommendation.id == recommendation_id)
    ).one()


def _exists(session: Session, model: type, conditions: dict[str, int]) -> bool:
    query = sa.select(model.id).filter_by(**conditions).limit(1)
    return session.execute(query).first() is not None


def own_state_changed(session: Session, state: InteractionState, user_id: int) -> None:
    """Queue the actor's own like/save/rating state for their other tabs (§6.2)."""
    publish_after_commit(
        session,
        ViewerInteractionChanged(
            user_id=user_id,
            recommendation_id=state.recommendation_id,
            liked=state.liked,
            saved=state.saved,
            my_rating=state.my_rating,
        ),
    )


def viewer_interaction_state(
    session: Session, *, viewer_id: int | None, recommendation_id: int
) -> InteractionState:
    """The detail page's interaction state for any viewer (visitors get liked=False, ...).

    Raises:
        NotFound: the recommendation is hidden from this viewer.
    """
    recommendation = visible_recommendation(session, recommendation_id, viewer_id)
    if recommendation is None:
        raise NotFound(RECOMMENDATION_NOT_FOUND)
    return state_for(session, recommendation, viewer_id)


def notify_first(
    session: Session,
    *,
    kind: NoticeKind,
    actor: User,
    recommendation: Recommendation,
    now: datetime,
    rating: int | None = None,
) -> Notification | None:
    """Notify the author of `actor`'s FIRST like or rating of `recommendation`, once ever.

    The memory is an `interaction_notices` row that survives unlike/unrate. Never to
    yourself and never across a block (§4.11); those cases still record the memory.
    """
    recorded = session.execute(
        pg_insert(InteractionNotice)
        .values(recommendation_id=recommendation.id, user_id=actor.id, kind=kind, created_at=now)
        .on_conflict_do_nothing()
        .returning(InteractionNotice.id)
    ).first()
    author_id = recommendation.author_id
    if (
        recorded is None
        or author_id == actor.id
        or blocked_either_way(session, actor.id, author_id)
    ):
        return None
    verb = "liked" if kind == NoticeKind.like else "rated"
    quoted = _fit(f"{actor.full_name} {verb} your recommendation", recommendation.title)
    detail = f" {rating}/5" if rating is not None else ""
    notification = Notification(
        recipient_id=author_id,
        type=(
            NotificationType.recommendation_like
            if kind == NoticeKind.like
            else NotificationType.recommendation_rating
        ),
        title=quoted,
        message=f"{actor.full_name} (@{actor.username}) {verb} “{recommendation.title}”{detail}.",
        actor_id=actor.id,
        target_type="recommendation",
        target_id=recommendation.id,
        action_url=f"/recommendations/{recommendation.id}",
        is_read=False,
        read_at=None,
        created_at=now,
    )
    session.add(notification)
    session.flush()
    publish_after_commit(session, NotificationCreated(author_id, notification.id))
    return notification


def _fit(prefix: str, title: str) -> str:
    """`prefix “title”` within the notification title limit (the title is shortened)."""
    text = f"{prefix} “{title}”"
    if len(text) <= TITLE_LENGTH:
        return text
    room = TITLE_LENGTH - len(prefix) - 4  # space, two quotes, ellipsis
    return f"{prefix} “{title[:room].rstrip()}…”"
