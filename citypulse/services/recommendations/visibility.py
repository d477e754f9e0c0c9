"""Who may see a recommendation (PRODUCT.md §4.3.4–§4.3.5): the one shared rule.

Every query that lists, counts or shows recommendations to a viewer filters with
`recommendation_visible_to(viewer_id)`; nothing re-implements it. Hot paths use
`recommendation_visible()`: the same rule as one prepared, indexed statement (primary
key, then index probes of the author, blocks and buddies).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, or_, select
from sqlmodel import Session

from citypulse.models import Recommendation, User
from citypulse.models.enums import AccountStatus, ContentStatus, Visibility
from citypulse.services.prepared import PerViewer
from citypulse.services.social.graph import (
    blocked_between,
    blocked_ids,
    buddies_with,
    buddy_ids,
)


def _author_active(rec: Any) -> ColumnElement[bool]:
    return exists(
        select(User.id).where(
            User.id == rec.author_id,
            User.account_status == AccountStatus.active,
            User.email_verified_at.is_not(None),
        )
    )


def recommendation_visible_to(
    viewer_id: Any, rec: Any = Recommendation, *, many_rows: bool = False
) -> ColumnElement[bool]:
    """SQL condition on `Recommendation` (or `rec`, an alias of it): visible and active
    for this viewer.

    The author sees their own active and removed ones (removed with a banner); others
    see active ones whose author is active, with no block either way, by visibility.
    Deleted recommendations are visible to nobody. `viewer_id` is a user id, a bind
    parameter (prepared statements) or None for visitors. `many_rows`: the viewer's
    blocks and buddies are read once and hashed (`graph.blocked_ids`, `graph.buddy_ids`)
    instead of index probes per row, for a statement that checks hundreds of rows
    (search's window).
    """
    if viewer_id is None:
        return and_(
            rec.status == ContentStatus.active,
            rec.visibility == Visibility.public,
            _author_active(rec),
        )
    own = and_(
        rec.author_id == viewer_id,
        or_(rec.status == ContentStatus.active, rec.status == ContentStatus.removed),
    )
    if many_rows:
        not_blocked = rec.author_id.not_in(blocked_ids(viewer_id))
        buddies = rec.author_id.in_(buddy_ids(viewer_id))
    else:
        not_blocked = ~blocked_between(viewer_id, rec.author_id)
        buddies = buddies_with(viewer_id, rec.author_id)
    others = and_(
        rec.author_id != viewer_id,
        rec.status == ContentStatus.active,
        _author_active(rec),
        not_blocked,
        or_(
            rec.visibility == Visibility.public,
            and_(rec.visibility == Visibility.friends_only, buddies),
        ),
    )
    return or_(own, others)


@dataclass(frozen=True)
class VisibleRecommendation:
    """The little a policy needs to know about a recommendation the viewer may see."""

    id: int
    author_id: int
    title: str
    status: str  # "removed" only for the author's own

    @property
    def is_active(self) -> bool:
        return self.status == ContentStatus.active


_VISIBLE = PerViewer(
    lambda viewer: select(
        Recommendation.id, Recommendation.author_id, Recommendation.title, Recommendation.status
    ).where(Recommendation.id == bindparam("recommendation_id"), recommendation_visible_to(viewer))
)


def recommendation_visible(
    session: Session, viewer_id: int | None, recommendation_id: int
) -> VisibleRecommendation | None:
    """The recommendation when this viewer (None: a visitor) may see it, else None (404)."""
    row = _VISIBLE.run(session, viewer_id, recommendation_id=recommendation_id).first()
    return None if row is None else VisibleRecommendation(*row)
