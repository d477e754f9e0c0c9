"""Likes and saves (PRODUCT.md §4.4.1–§4.4.2) and the owner's liked and saved lists.

Toggles are race-safe: the row is deleted or inserted with `ON CONFLICT DO NOTHING`, and
the counter moves only when a row really changed, in the same transaction. A toggle is
the target read (visibility, counters, own state), one row write and one counter UPDATE
that returns the new counters: all prepared statements.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session

from citypulse.models import (
    Category,
    City,
    Like,
    Photo,
    Recommendation,
    RecommendationCity,
    Save,
    User,
)
from citypulse.models.interactions import NoticeKind
from citypulse.services import rate_limits
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.achievements.likes import count_like
from citypulse.services.cursors import keyset_before, keyset_page, keyset_position
from citypulse.services.errors import PermissionDenied
from citypulse.services.interactions.core import (
    INTERACTIONS_PER_USER,
    PAGE_SIZE,
    Counters,
    InteractionState,
    Own,
    Target,
    bump_counter,
    counters_changed,
    interaction_target,
    own_state_changed,
    read_counters,
)
from citypulse.services.interactions.notices import notify_first
from citypulse.services.policies import require_active_actor
from citypulse.services.prepared import Prepared
from citypulse.services.recommendations.queries import CityRef, upload_url
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
    # What a card shows besides (issue 15 item 10: these tabs look like the others).
    category_name: str = ""
    city: CityRef | None = None
    thumb_url: str = ""  # the primary photo's thumbnail, '' without photos


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
    require_active_actor(session, actor)
    rate_limits.hit(session, INTERACTIONS_PER_USER, str(actor.user_id), now)
    target = interaction_target(session, actor, recommendation_id)
    if target.author_id == actor.user_id:
        raise PermissionDenied(OWN_LIKE)
    flip = _toggle(session, _LIKES, target, actor.user_id, target.own.liked, now)
    if flip.inserted:
        notify_first(session, kind=NoticeKind.like, actor=actor, target=target, now=now)
    return _changed(session, target, actor, replace(target.own, liked=flip.present), flip.counters)


def save_toggle(
    session: Session, *, actor: Viewer, recommendation_id: int, now: datetime
) -> InteractionState:
    """Save or unsave a recommendation (your own may be saved). Nobody is notified.

    Raises:
        PermissionDenied: not an active user.
        NotFound: the recommendation is hidden, removed or missing.
        RateLimited: more than 60 likes, saves, shares and ratings in a minute.
    """
    require_active_actor(session, actor)
    rate_limits.hit(session, INTERACTIONS_PER_USER, str(actor.user_id), now)
    target = interaction_target(session, actor, recommendation_id)
    flip = _toggle(session, _SAVES, target, actor.user_id, target.own.saved, now)
    return _changed(session, target, actor, replace(target.own, saved=flip.present), flip.counters)


def saved_recommendations(
    session: Session, *, actor: Viewer, cursor: str | None = None
) -> InteractionPage:
    """The actor's own saved list (private), newest save first, visible items only."""
    require_active_actor(session, actor)
    return _owner_list(session, Save, actor.user_id, cursor)


def liked_recommendations(
    session: Session, *, actor: Viewer, cursor: str | None = None
) -> InteractionPage:
    """The actor's own liked list, newest like first, visible items only."""
    require_active_actor(session, actor)
    return _owner_list(session, Like, actor.user_id, cursor)


@dataclass(frozen=True)
class _Toggle:
    """The prepared statements of one toggled relation (likes or saves)."""

    delete: Prepared
    insert: Prepared
    # Moves the counter by ±1 in one statement (likes: also the author's achievements).
    bump: Callable[[Session, int, int, datetime], Counters]


def _toggle_statements(table: str, counter: str) -> _Toggle:
    return _Toggle(
        delete=Prepared(sa.text(
            f"DELETE FROM {table} WHERE recommendation_id = :recommendation_id "
            "AND user_id = :user_id RETURNING id"
        )),
        insert=Prepared(sa.text(
            f"INSERT INTO {table} (recommendation_id, user_id, created_at) "
            "VALUES (:recommendation_id, :user_id, :now) ON CONFLICT DO NOTHING RETURNING id"
        )),
        bump=lambda session, rid, delta, _now: bump_counter(session, rid, counter, delta),
    )  # fmt: skip


_LIKES = replace(_toggle_statements("likes", "likes_count"), bump=count_like)
_SAVES = _toggle_statements("saves", "saves_count")


class _Flip(NamedTuple):
    present: bool  # the user's row exists now
    inserted: bool  # ... because this transaction inserted it
    counters: Counters  # after the change


def _toggle(
    session: Session, toggle: _Toggle, target: Target, uid: int, present: bool, now: datetime
) -> _Flip:
    """Flip the user's row and move its counter in the same transaction.

    `present` is what the target read saw; a concurrent toggle in another tab may have
    changed it since, which the statements' results reveal (the counter then only moves
    for a row this transaction really inserted or deleted).
    """
    rid = target.id
    if present and toggle.delete.run(session, recommendation_id=rid, user_id=uid).first():
        return _Flip(False, False, toggle.bump(session, rid, -1, now))
    added = toggle.insert.run(session, recommendation_id=rid, user_id=uid, now=now).first()
    if added is None:  # a concurrent toggle (another tab) inserted it first
        return _Flip(True, False, read_counters(session, rid))
    return _Flip(True, True, toggle.bump(session, rid, +1, now))


def _changed(
    session: Session, target: Target, actor: Viewer, own: Own, counters: Counters
) -> InteractionState:
    counters_changed(session, target.id, counters)
    is_author = target.author_id == actor.user_id
    state = InteractionState.of(target.id, own, counters, is_author=is_author)
    own_state_changed(session, state, actor.user_id)
    return state


def _owner_list_query(model: type[Like] | type[Save]) -> Prepared:
    viewer = sa.bindparam("viewer_id")
    # Aliased: the visibility rule's own subquery on `users` must not correlate with it.
    author = aliased(User)
    return Prepared(
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
            Category.name.label("category_name"),
            City.id.label("city_id"),
            City.name.label("city_name"),
            City.state_province,
            City.country,
            Photo.thumb_key,
        )
        .join(Recommendation, Recommendation.id == model.recommendation_id)
        .join(author, author.id == Recommendation.author_id)
        .join(Category, Category.id == Recommendation.category_id)
        .outerjoin(
            RecommendationCity,
            sa.and_(
                RecommendationCity.recommendation_id == Recommendation.id,
                RecommendationCity.is_primary,
            ),
        )
        .outerjoin(City, City.id == RecommendationCity.city_id)
        .outerjoin(Photo, sa.and_(Photo.recommendation_id == Recommendation.id, Photo.is_primary))
        .where(
            model.user_id == viewer,
            recommendation_visible_to(viewer),
            keyset_before(
                model.created_at, model.id, (sa.bindparam("before_at"), sa.bindparam("before_id"))
            ),
        )
        .order_by(model.created_at.desc(), model.id.desc())
        .limit(PAGE_SIZE + 1)
    )


_OWNER_LISTS = {Like: _owner_list_query(Like), Save: _owner_list_query(Save)}


def _owner_list(
    session: Session, model: type[Like] | type[Save], user_id: int, cursor: str | None
) -> InteractionPage:
    before_at, before_id = keyset_position(cursor)
    rows = (
        _OWNER_LISTS[model]
        .run(session, viewer_id=user_id, before_at=before_at, before_id=before_id)
        .all()
    )
    page = keyset_page(rows, PAGE_SIZE, item=_list_item)
    return InteractionPage(page.items, page.next_cursor)


def _list_item(row: sa.Row) -> InteractionListItem:
    return InteractionListItem(
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
        category_name=row.category_name,
        city=(
            CityRef(row.city_id, row.city_name, row.state_province, row.country)
            if row.city_id is not None
            else None
        ),
        thumb_url=upload_url(row.thumb_key),
    )
