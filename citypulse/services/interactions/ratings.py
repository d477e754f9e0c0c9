"""Ratings and reviews (PRODUCT.md §4.4.3): upsert, delete, and the ratings list.

Writers lock the recommendation row first, so the count and the average recomputed from
the rows in the same transaction are exact even when people rate at the same moment.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session

from citypulse.models import Profile, Rating, User
from citypulse.models.enums import AccountStatus, ModerationStatus
from citypulse.models.interactions import NoticeKind
from citypulse.realtime import publish_after_commit
from citypulse.services import rate_limits
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.achievements.evaluate import evaluate_users
from citypulse.services.achievements.metrics import RATED_AUTHOR, RATED_RATER
from citypulse.services.cursors import keyset_before, keyset_page, keyset_position
from citypulse.services.display_text import free_text_problem
from citypulse.services.errors import NotFound, PermissionDenied, ValidationFailed
from citypulse.services.interactions.core import (
    COUNTERS,
    INTERACTIONS_PER_USER,
    PAGE_SIZE,
    RECOMMENDATION_NOT_FOUND,
    Counters,
    InteractionState,
    Own,
    Target,
    counters_changed,
    interaction_target,
    own_state_changed,
)
from citypulse.services.interactions.events import RecommendationRatingsChanged
from citypulse.services.interactions.notices import notify_first
from citypulse.services.moderation.removal_banner import RemovalBanner, own_removal_banner
from citypulse.services.policies import require_active_actor
from citypulse.services.prepared import PerViewer, Prepared
from citypulse.services.recommendations.visibility import recommendation_visible
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
    require_active_actor(session, actor)
    value, text = _valid_rating(rating), _valid_review(review)
    rate_limits.hit(session, INTERACTIONS_PER_USER, str(actor.user_id), now)
    # The row lock serialises the writers of this recommendation's count and average.
    target = interaction_target(session, actor, recommendation_id, lock=True)
    if target.author_id == actor.user_id:
        raise PermissionDenied(OWN_RATING)
    _UPSERT.run(session, recommendation_id=target.id, user_id=actor.user_id, rating=value,
                review=text, now=now)  # fmt: skip
    counters = _recount(session, target.id)
    _evaluate(session, target, actor, now)
    notify_first(session, kind=NoticeKind.rating, actor=actor, target=target, now=now, rating=value)
    own = replace(target.own, my_rating=value, my_review=text)
    return _changed(session, target, actor, own, counters)


def rating_delete(
    session: Session, *, actor: Viewer, recommendation_id: int, now: datetime
) -> InteractionState:
    """Delete the actor's own rating of a recommendation (nobody can delete another's).

    Raises:
        PermissionDenied: not an active user.
        NotFound: the recommendation is hidden, removed or missing, or not rated by the actor.
        RateLimited: more than 60 likes, saves, shares and ratings in a minute.
    """
    require_active_actor(session, actor)
    rate_limits.hit(session, INTERACTIONS_PER_USER, str(actor.user_id), now)
    target = interaction_target(session, actor, recommendation_id, lock=True)
    deleted = _DELETE.run(session, recommendation_id=target.id, user_id=actor.user_id).first()
    if deleted is None:
        raise NotFound(NOT_RATED)
    counters = _recount(session, target.id)
    _evaluate(session, target, actor, now)
    own = replace(target.own, my_rating=None, my_review=None)
    return _changed(session, target, actor, own, counters)


def ratings_list(
    session: Session, *, viewer_id: int | None, recommendation_id: int, cursor: str | None = None
) -> RatingsPage:
    """Ratings of a recommendation the viewer may see, newest first, 20 per page.

    Raters blocked either way with the viewer, and raters who are not active (restricted
    content is hidden, §4.13.8), are left out; removed review text is never sent.

    Raises:
        NotFound: the recommendation is hidden from this viewer.
    """
    if recommendation_visible(session, viewer_id, recommendation_id) is None:
        raise NotFound(RECOMMENDATION_NOT_FOUND)
    return ratings_page(
        session, viewer_id=viewer_id, recommendation_id=recommendation_id, cursor=cursor
    )


def own_review_removal(
    session: Session, *, viewer: Viewer | None, recommendation_id: int, now: datetime
) -> RemovalBanner | None:
    """The removal banner of the viewer's own review of this recommendation while a
    moderator keeps it removed (§4.13.3, §4.13.9): the reason and the appeal. None for
    anyone else's review: only its author ever sees it here."""
    if viewer is None:
        return None
    rating_id = session.execute(
        sa.select(Rating.id).where(
            Rating.recommendation_id == recommendation_id,
            Rating.user_id == viewer.user_id,
            Rating.review_status == ModerationStatus.removed,
        )
    ).scalar()
    if rating_id is None:
        return None
    return own_removal_banner(
        session, viewer=viewer, content_type="review", content_id=rating_id, now=now
    )


def _ratings_query(viewer: sa.BindParameter[int] | None) -> sa.Select:
    rater = aliased(User)
    return (
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
            Rating.recommendation_id == sa.bindparam("recommendation_id"),
            rater.account_status == AccountStatus.active,
            ~blocked_between(viewer, Rating.user_id),
            keyset_before(
                Rating.created_at, Rating.id, (sa.bindparam("before_at"), sa.bindparam("before_id"))
            ),
        )
        .order_by(Rating.created_at.desc(), Rating.id.desc())
        .limit(PAGE_SIZE + 1)
    )


_RATINGS = PerViewer(_ratings_query)


def ratings_page(
    session: Session, *, viewer_id: int | None, recommendation_id: int, cursor: str | None
) -> RatingsPage:
    """`ratings_list` for a recommendation already known visible to this viewer.

    For loaders that checked visibility in the same transaction (the detail page).
    """
    before_at, before_id = keyset_position(cursor)
    rows = _RATINGS.run(
        session, viewer_id, recommendation_id=recommendation_id,
        before_at=before_at, before_id=before_id,
    ).all()  # fmt: skip
    page = keyset_page(rows, PAGE_SIZE, item=lambda row: _item(row, viewer_id))
    return RatingsPage(page.items, page.next_cursor)


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
    if problem := free_text_problem("Review", text):
        raise ValidationFailed({"review": problem})
    return text or None


_UPSERT = Prepared(
    sa.text(
        "INSERT INTO ratings (recommendation_id, user_id, rating, review, created_at, updated_at) "
        "VALUES (:recommendation_id, :user_id, :rating, :review, :now, :now) "
        "ON CONFLICT (recommendation_id, user_id) DO UPDATE "
        "SET rating = excluded.rating, review = excluded.review, updated_at = excluded.updated_at"
    )
)  # review_status is left alone: a review hidden by a moderator stays hidden
_DELETE = Prepared(
    sa.text(
        "DELETE FROM ratings WHERE recommendation_id = :recommendation_id "
        "AND user_id = :user_id RETURNING id"
    )
)
# Counters are not edits: updated_at is kept.
_RECOUNT = Prepared(
    sa.text(
        "UPDATE recommendations SET ratings_count = tally.n, rating_avg = tally.average "
        "FROM (SELECT count(*) AS n, coalesce(round(avg(rating), 2), 0) AS average "
        "      FROM ratings WHERE recommendation_id = :recommendation_id) AS tally "
        "WHERE id = :recommendation_id RETURNING " + ", ".join(COUNTERS)
    )
)


def _recount(session: Session, recommendation_id: int) -> Counters:
    """Recompute ratings_count and rating_avg from the rows (caller holds the row lock)."""
    return Counters.of(_RECOUNT.run(session, recommendation_id=recommendation_id).one())


def _evaluate(session: Session, target: Target, actor: Viewer, now: datetime) -> None:
    """Achievements: ratings received by the author, reviews written by the rater."""
    affected = {target.author_id: RATED_AUTHOR, actor.user_id: RATED_RATER}
    evaluate_users(session, affected=affected, now=now)


def _changed(
    session: Session, target: Target, actor: Viewer, own: Own, counters: Counters
) -> InteractionState:
    publish_after_commit(session, RecommendationRatingsChanged(target.id))
    counters_changed(session, target.id, counters)
    is_author = target.author_id == actor.user_id
    state = InteractionState.of(target.id, own, counters, is_author=is_author)
    own_state_changed(session, state, actor.user_id)
    return state
