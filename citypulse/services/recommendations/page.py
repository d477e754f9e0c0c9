"""The recommendation detail page's loader: everything the page opens with, one transaction.

`SessionState._load` runs it in the same transaction as (or right after) the viewer
lookup, so opening /recommendations/<id> costs one loader transaction: one prepared
statement for the detail row with the counters and the viewer's own like, save and
rating; the visit (which may count a view); the photos; the first page of ratings.
A removed recommendation is seen by its author and, read apart from the visibility rule
(which keeps it out of every list), by moderators; both get the removal banner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from citypulse.models import Recommendation
from citypulse.models.enums import ContentStatus
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound
from citypulse.services.interactions.core import (
    Counters,
    InteractionState,
    own_columns,
    own_of,
    with_own_rating,
)
from citypulse.services.interactions.ratings import RatingItem, own_review_removal, ratings_page
from citypulse.services.interactions.views_shares import visit_counted
from citypulse.services.moderation.removal_banner import RemovalBanner, removal_banner
from citypulse.services.policies import current_standing, is_moderator_now
from citypulse.services.prepared import PerViewer
from citypulse.services.recommendations.queries import (
    NOT_FOUND_MESSAGE,
    RecommendationDetail,
    detail_from_row,
    detail_query,
)
from citypulse.services.recommendations.visibility import VisibleRecommendation


@dataclass(frozen=True)
class Visit:
    """What the view counter needs to know about one opening of the page (§4.4.4).

    `anon_key` is the visitor's stable per-browser id (only hashed), `ip` the client
    address (only hashed) and `is_bot` the caller's user-agent verdict.
    """

    anon_key: str | None
    ip: str | None
    is_bot: bool


@dataclass(frozen=True)
class RecommendationPage:
    """The detail page as this viewer opens it."""

    detail: RecommendationDetail
    own: InteractionState  # the viewer's like/save/rating and the public counters
    ratings: list[RatingItem]  # the first page, newest first
    ratings_cursor: str | None  # pass to `ratings_list` for the next page
    removal: RemovalBanner | None = None  # removed by a moderator (author and moderators)
    review_removal: RemovalBanner | None = None  # the viewer's own review, removed


def _page_query(viewer: Any, seen: Any = None) -> Any:
    query = detail_query(viewer, seen).add_columns(*own_columns(viewer))
    return with_own_rating(query, viewer)


_PAGE = PerViewer(_page_query)
_REMOVED_FOR_MODERATORS = PerViewer(
    lambda viewer: _page_query(viewer, Recommendation.status == ContentStatus.removed)
)


def recommendation_page(
    session: Session,
    *,
    viewer: Viewer | None,
    recommendation_id: int,
    visit: Visit,
    now: datetime,
) -> RecommendationPage:
    """Open the detail page for anyone who may see it; records the visit (may count a view).

    Runs in the caller's transaction (visitors: `viewer` None).

    Raises:
        NotFound: missing, deleted, or hidden from this viewer (shown as 404).
    """
    viewer_id = viewer.user_id if viewer else None
    row = _PAGE.run(session, viewer_id, recommendation_id=recommendation_id).first()
    if row is None and viewer_id is not None and is_moderator_now(session, viewer):
        row = _REMOVED_FOR_MODERATORS.run(
            session, viewer_id, recommendation_id=recommendation_id
        ).first()
    if row is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    counters = Counters.of(row)
    counted = visit_counted(
        session,
        viewer_id=viewer_id,
        standing=current_standing(session, viewer) if viewer else None,
        recommendation=VisibleRecommendation(row.id, row.author_id, row.title, row.status),
        anon_key=visit.anon_key,
        ip=visit.ip,
        is_bot=visit.is_bot,
        now=now,
    )
    counters = counted or counters
    detail = detail_from_row(session, row, viewer_id, views_count=counters.views)
    own = InteractionState.of(row.id, own_of(row), counters, is_author=detail.is_author)
    ratings = ratings_page(session, viewer_id=viewer_id, recommendation_id=row.id, cursor=None)
    removal = None
    if row.status == ContentStatus.removed:
        removal = removal_banner(
            session, viewer=viewer, content_type="recommendation", content_id=row.id,
            owner_id=row.author_id, fallback_reason=row.removed_reason or "", now=now,
        )  # fmt: skip
    review_removal = None
    if own.my_rating is not None:  # only a rating of the viewer's own can carry it
        review_removal = own_review_removal(
            session, viewer=viewer, recommendation_id=row.id, now=now
        )
    return RecommendationPage(
        detail, own, ratings.items, ratings.next_cursor, removal, review_removal
    )
