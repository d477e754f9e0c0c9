"""Who may see a recommendation (PRODUCT.md §4.3.4–§4.3.5): the one shared rule.

Every query that lists, counts or shows recommendations to a viewer filters with
`recommendation_visible_to(viewer_id)`; nothing re-implements it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlmodel import Session
from sqlmodel import select as select_rows

from citypulse.models import Recommendation, User
from citypulse.models.enums import AccountStatus, ContentStatus, Visibility
from citypulse.services.social.graph import blocked_between, buddies_with


def _author_active() -> ColumnElement[bool]:
    return exists(
        select(User.id).where(
            User.id == Recommendation.author_id,
            User.account_status == AccountStatus.active,
            User.email_verified_at.is_not(None),
        )
    )


def recommendation_visible_to(viewer_id: int | None) -> ColumnElement[bool]:
    """SQL condition on `Recommendation`: visible and active for this viewer.

    The author sees their own active and removed ones (removed with a banner); others
    see active ones whose author is active, with no block either way, by visibility.
    Deleted recommendations are visible to nobody.
    """
    if viewer_id is None:
        return and_(
            Recommendation.status == ContentStatus.active,
            Recommendation.visibility == Visibility.public,
            _author_active(),
        )
    own = and_(
        Recommendation.author_id == viewer_id,
        Recommendation.status.in_([ContentStatus.active, ContentStatus.removed]),
    )
    others = and_(
        Recommendation.author_id != viewer_id,
        Recommendation.status == ContentStatus.active,
        _author_active(),
        ~blocked_between(viewer_id, Recommendation.author_id),
        or_(
            Recommendation.visibility == Visibility.public,
            and_(
                Recommendation.visibility == Visibility.friends_only,
                buddies_with(viewer_id, Recommendation.author_id),
            ),
        ),
    )
    return or_(own, others)


def visible_recommendation(
    session: Session, recommendation_id: int, viewer_id: int | None
) -> Recommendation | None:
    """The recommendation when this viewer may see it, else None (shown as 404)."""
    return session.exec(
        select_rows(Recommendation).where(
            Recommendation.id == recommendation_id, recommendation_visible_to(viewer_id)
        )
    ).first()
