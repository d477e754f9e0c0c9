"""Shared core of the interaction services (PRODUCT.md §4.4, §4.11, §5.2).

The actions live in `likes_saves`, `ratings` and `views_shares` (the first-like and
first-rating notification in `notices`); this module holds what they share: the target
(one prepared statement: the visibility rule, the counters and the actor's own state),
counter updates that return the new counters, and the events. Every statement is built
once (`services.prepared`); every function runs inside the caller's transaction and
never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from citypulse.models import Like, Rating, Recommendation, Save
from citypulse.models.enums import ContentStatus
from citypulse.models.interactions import InteractionNotice, NoticeKind
from citypulse.realtime import publish_after_commit
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound
from citypulse.services.interactions.events import (
    RecommendationCountersChanged,
    ViewerInteractionChanged,
)
from citypulse.services.prepared import PerViewer, Prepared
from citypulse.services.rate_limits import Limit
from citypulse.services.recommendations.visibility import recommendation_visible_to

# PRODUCT.md §5.2: one shared budget for likes, saves, shares and ratings.
INTERACTIONS_PER_USER = Limit("interact", 60, timedelta(minutes=1))
REPORTS_PER_USER = Limit("report", 20, timedelta(days=1))
PAGE_SIZE = 20  # §4.14 "other lists"

RECOMMENDATION_NOT_FOUND = "Recommendation not found"
COUNTERS = (
    "likes_count",
    "saves_count",
    "shares_count",
    "ratings_count",
    "rating_avg",
    "views_count",
)


@dataclass(frozen=True)
class Counters:
    """A recommendation's public counters as stored."""

    likes: int
    saves: int
    shares: int
    ratings_count: int
    rating_avg: float  # 2 dp as stored; the UI shows 1 dp
    views: int

    @classmethod
    def of(cls, row: Any) -> Counters:
        """From a row holding the `COUNTERS` columns."""
        m = row._mapping
        return cls(
            m["likes_count"],
            m["saves_count"],
            m["shares_count"],
            m["ratings_count"],
            float(m["rating_avg"]),
            m["views_count"],
        )


@dataclass(frozen=True)
class Own:
    """One viewer's own interactions with a recommendation."""

    liked: bool = False
    saved: bool = False
    my_rating: int | None = None
    my_review: str | None = None


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

    @classmethod
    def of(
        cls, recommendation_id: int, own: Own, counters: Counters, *, is_author: bool
    ) -> InteractionState:
        return cls(
            recommendation_id, own.liked, own.saved, own.my_rating, own.my_review,
            counters.likes, counters.saves, counters.shares, counters.ratings_count,
            counters.rating_avg, counters.views, is_author,
        )  # fmt: skip


@dataclass(frozen=True)
class Target:
    """A recommendation the actor may see, with its counters and the actor's own state."""

    id: int
    author_id: int
    title: str
    status: str
    own: Own
    counters: Counters
    liked_noticed: bool  # the author was already told of this actor's first like
    rated_noticed: bool

    @property
    def is_active(self) -> bool:
        return self.status == ContentStatus.active


def _counter_columns() -> list[Any]:
    return [getattr(Recommendation, name) for name in COUNTERS]


def own_columns(viewer: Any) -> list[Any]:
    """The viewer's like, save and rating (constants for visitors)."""
    if viewer is None:
        return [sa.false().label("liked"), sa.false().label("saved"),
                sa.null().label("my_rating"), sa.null().label("my_review")]  # fmt: skip

    def mine(model: Any) -> Any:
        return sa.exists().where(model.recommendation_id == Recommendation.id,
                                 model.user_id == viewer)  # fmt: skip

    return [mine(Like).label("liked"), mine(Save).label("saved"),
            Rating.rating.label("my_rating"), Rating.review.label("my_review")]  # fmt: skip


def _noticed(viewer: Any, kind: NoticeKind) -> Any:
    if viewer is None:
        return sa.false()
    return sa.exists().where(
        InteractionNotice.recommendation_id == Recommendation.id,
        InteractionNotice.user_id == viewer,
        InteractionNotice.kind == kind.value,
    )


def with_own_rating(query: sa.Select, viewer: Any) -> sa.Select:
    """Join the viewer's own rating row (at most one) onto a query of `Recommendation`."""
    if viewer is None:
        return query
    return query.outerjoin(
        Rating, sa.and_(Rating.recommendation_id == Recommendation.id, Rating.user_id == viewer)
    )


def _target_query(viewer: Any, *, lock: bool) -> sa.Select:
    query = sa.select(
        Recommendation.id, Recommendation.author_id, Recommendation.title, Recommendation.status,
        *own_columns(viewer), *_counter_columns(),
        _noticed(viewer, NoticeKind.like).label("liked_noticed"),
        _noticed(viewer, NoticeKind.rating).label("rated_noticed"),
    ).where(Recommendation.id == sa.bindparam("recommendation_id"),
            recommendation_visible_to(viewer))  # fmt: skip
    query = with_own_rating(query, viewer)
    return query.with_for_update(of=Recommendation) if lock else query


_TARGET = PerViewer(lambda viewer: _target_query(viewer, lock=False))
_LOCKED_TARGET = Prepared(_target_query(sa.bindparam("viewer_id"), lock=True))


def own_of(row: Any) -> Own:
    return Own(bool(row.liked), bool(row.saved), row.my_rating, row.my_review)


def visible_target(
    session: Session, viewer_id: int | None, recommendation_id: int, *, lock: bool = False
) -> Target | None:
    """The recommendation with counters and own state when this viewer may see it.

    `lock` (signed-in viewers only) takes the row lock that serialises writers of the
    recommendation's derived counters (the ratings average) until commit.
    """
    if lock:
        result = _LOCKED_TARGET.run(
            session, viewer_id=viewer_id, recommendation_id=recommendation_id
        )
    else:
        result = _TARGET.run(session, viewer_id, recommendation_id=recommendation_id)
    row = result.first()
    if row is None:
        return None
    return Target(
        row.id, row.author_id, row.title, row.status, own_of(row), Counters.of(row),
        bool(row.liked_noticed), bool(row.rated_noticed),
    )  # fmt: skip


def interaction_target(
    session: Session, actor: Viewer, recommendation_id: int, *, lock: bool = False
) -> Target:
    """The recommendation when `actor` may interact with it: visible AND active.

    The one visibility rule already hides blocked authors (either way), inactive authors
    and other people's non-public items; the author's own removed one is visible to them
    but is not a target.

    Raises:
        NotFound: hidden, removed, deleted or missing (all look the same: 404).
    """
    target = visible_target(session, actor.user_id, recommendation_id, lock=lock)
    if target is None or not target.is_active:
        raise NotFound(RECOMMENDATION_NOT_FOUND)
    return target


_RETURNING_COUNTERS = "RETURNING " + ", ".join(COUNTERS)
# Counters are not edits: a plain UPDATE keeps updated_at (no ORM onupdate fires).
_BUMP = {
    name: Prepared(
        sa.text(
            f"UPDATE recommendations SET {name} = greatest({name} + :delta, 0) "
            f"WHERE id = :recommendation_id {_RETURNING_COUNTERS}"
        )
    )
    for name in ("likes_count", "saves_count", "shares_count", "views_count")
}


def bump_counter(session: Session, recommendation_id: int, column: str, delta: int) -> Counters:
    """Add `delta` to one counter atomically, never below 0; returns all counters after it.

    Call it only when a row was really inserted or deleted in this transaction: the
    counter moves in the same transaction as its row (the UPDATE also serialises it).
    """
    row = _BUMP[column].run(session, delta=delta, recommendation_id=recommendation_id).one()
    return Counters.of(row)


_COUNTERS = Prepared(
    sa.select(*_counter_columns()).where(Recommendation.id == sa.bindparam("recommendation_id"))
)


def read_counters(session: Session, recommendation_id: int) -> Counters:
    """The counters as stored now (after another transaction changed them)."""
    return Counters.of(_COUNTERS.run(session, recommendation_id=recommendation_id).one())


def counters_changed(
    session: Session, recommendation_id: int, counters: Counters
) -> RecommendationCountersChanged:
    """Queue the live update of the public counters for the page's viewers (after commit)."""
    event = RecommendationCountersChanged(
        recommendation_id=recommendation_id,
        likes=counters.likes,
        saves=counters.saves,
        shares=counters.shares,
        ratings_count=counters.ratings_count,
        rating_avg=counters.rating_avg,
        views=counters.views,
    )
    publish_after_commit(session, event)
    return event


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
            my_review=state.my_review,
        ),
    )


def viewer_interaction_state(
    session: Session, *, viewer_id: int | None, recommendation_id: int
) -> InteractionState:
    """The detail page's interaction state for any viewer (visitors get liked=False, ...).

    Raises:
        NotFound: the recommendation is hidden from this viewer.
    """
    target = visible_target(session, viewer_id, recommendation_id)
    if target is None:
        raise NotFound(RECOMMENDATION_NOT_FOUND)
    return InteractionState.of(
        target.id, target.own, target.counters, is_author=viewer_id == target.author_id
    )
