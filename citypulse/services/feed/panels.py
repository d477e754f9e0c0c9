"""The dashboard's side panels and banners (PRODUCT.md §2.2 /dashboard).

- Your stats: the viewer's active recommendations, cities visited, buddies, likes
  received and views (the last two summed over their active recommendations).
- Banners: profile completion (§4.2.5, the same rule as the profile's banner) and
  "pick interests" while the viewer has none.
- Chips: the system categories, in name order.
`dashboard_open` is the page's one loader: these plus the open tab's first page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from citypulse.models import Category, Recommendation, UserInterest
from citypulse.models.enums import ContentStatus
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.feed.pages import FeedPage, feed_page
from citypulse.services.profiles.queries import profile_completion, profile_stats


@dataclass(frozen=True)
class CategoryChip:
    id: int
    name: str


@dataclass(frozen=True)
class DashboardPanels:
    """What the dashboard shows beside the feed, for the signed-in viewer only."""

    recommendations: int
    cities: int
    buddies: int
    likes_received: int
    views: int
    completion_percent: int
    show_completion: bool
    has_interests: bool
    chips: tuple[CategoryChip, ...]


def dashboard_panels(session: Session, *, viewer: Viewer | None) -> DashboardPanels | None:
    """Stats, banners and chips of the viewer's dashboard (None for a visitor).

    Raises:
        NotFound: the account no longer exists.
    """
    if viewer is None:
        return None
    uid = viewer.user_id
    stats = profile_stats(session, uid, uid)
    likes, views = session.execute(
        select(
            func.coalesce(func.sum(Recommendation.likes_count), 0),
            func.coalesce(func.sum(Recommendation.views_count), 0),
        ).where(Recommendation.author_id == uid, Recommendation.status == ContentStatus.active)
    ).one()
    completion = profile_completion(session, actor=viewer)
    has_interests = session.execute(
        select(UserInterest.id).where(UserInterest.user_id == uid).limit(1)
    ).first()
    chips = session.execute(
        select(Category.id, Category.name)
        .where(col(Category.is_system))
        .order_by(col(Category.name), col(Category.id))
    ).all()
    return DashboardPanels(
        recommendations=stats.recommendations,
        cities=stats.cities,
        buddies=stats.buddies,
        likes_received=int(likes),
        views=int(views),
        completion_percent=int(completion.percent),
        show_completion=completion.percent < 100,
        has_interests=has_interests is not None,
        chips=tuple(CategoryChip(*row) for row in chips),
    )


@dataclass(frozen=True)
class DashboardOpening:
    """What /dashboard's one loader transaction reads: the panels and the first page."""

    panels: DashboardPanels | None
    first_page: FeedPage


def dashboard_open(
    session: Session, *, viewer: Viewer | None, tab: str, window_days: int, now: datetime
) -> DashboardOpening:
    """Panels, chips and the open tab's first page (a new feed session) in one transaction.

    Raises:
        ValidationFailed: an unknown tab or trending window.
        NotFound: the account no longer exists.
    """
    first = feed_page(session, viewer=viewer, tab=tab, window_days=window_days, now=now)
    return DashboardOpening(dashboard_panels(session, viewer=viewer), first)
