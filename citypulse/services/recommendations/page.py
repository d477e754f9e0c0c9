"""The recommendation detail page's loader: everything the page opens with, one transaction.

`SessionState._load` runs it in the same transaction as (or right after) the viewer
lookup, so opening /recommendations/<id> costs one loader transaction: the detail, the
visit (which may count a view), the viewer's own interaction state with the public
counters, and the first page of ratings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from citypulse.services.accounts.viewer import Viewer
from citypulse.services.interactions.core import InteractionState, viewer_interaction_state
from citypulse.services.interactions.ratings import RatingItem, ratings_list
from citypulse.services.interactions.views_shares import view_record
from citypulse.services.recommendations.queries import RecommendationDetail, recommendation_detail


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
    view_record(
        session,
        viewer_id=viewer_id,
        anon_key=visit.anon_key,
        ip=visit.ip,
        is_bot=visit.is_bot,
        recommendation_id=recommendation_id,
        now=now,
    )
    detail = recommendation_detail(
        session, viewer_id=viewer_id, recommendation_id=recommendation_id
    )
    own = viewer_interaction_state(
        session, viewer_id=viewer_id, recommendation_id=recommendation_id
    )
    ratings = ratings_list(session, viewer_id=viewer_id, recommendation_id=recommendation_id)
    return RecommendationPage(detail, own, ratings.items, ratings.next_cursor)
