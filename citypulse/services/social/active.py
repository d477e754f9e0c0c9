"""The dashboard's "Active buddies" panel (§2.2 dashboard, §4.5.8).

"Active" means seen in the last 24 h: the newest activity of any of the buddy's sessions
(`auth_sessions.last_used_at`, written at sign-in and at most once a minute while a tab
is used) or `users.last_active_at` when something set it, whichever is later.

The panel shows up to `limit` buddies (active users only): the active ones first, with
the green dot, then the others, so the panel is not empty on a quiet day. Within each
group: latest recommendation the viewer may see first (buddies without one after), then
most recently seen, then id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from citypulse.models import AuthSession, Profile, Recommendation, User
from citypulse.models.enums import AccountStatus
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.recommendations.queries import upload_url
from citypulse.services.recommendations.visibility import recommendation_visible_to
from citypulse.services.social.graph import buddy_ids

ACTIVE_WINDOW = timedelta(hours=24)
PANEL_SIZE = 4
# The buddy row; never the `users` of the visibility rule's subqueries.
Buddy = aliased(User, name="buddy")


@dataclass(frozen=True)
class ActiveBuddy:
    """One avatar of the panel; `active` draws the green dot."""

    user_id: int
    username: str
    full_name: str
    avatar_url: str
    active: bool


def active_buddies(
    session: Session, *, viewer: Viewer | None, limit: int = PANEL_SIZE, now: datetime | None = None
) -> list[ActiveBuddy]:
    """Up to `limit` buddies of the viewer, active ones first (see the module docstring).

    A visitor has no buddies: the panel is empty.
    """
    if viewer is None:
        return []
    moment = now or datetime.now(UTC)
    mine = buddy_ids(viewer.user_id).subquery("mine")
    last_session = (
        select(func.max(AuthSession.last_used_at))
        .where(AuthSession.user_id == Buddy.id)
        .scalar_subquery()
    )
    # greatest() skips NULLs: either source alone counts.
    seen = func.greatest(Buddy.last_active_at, last_session)
    active = func.coalesce(seen >= moment - ACTIVE_WINDOW, False)
    # Ordered like ix_recommendations_author_id_created_at_id, so the newest visible one
    # is read from the buddy's end of that index (never a walk over everyone's newest).
    latest_recommendation = (
        select(Recommendation.created_at)
        .where(Recommendation.author_id == Buddy.id, recommendation_visible_to(viewer.user_id))
        .order_by(col(Recommendation.author_id).desc(), col(Recommendation.created_at).desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Buddy.id, Buddy.username, Buddy.full_name, Profile.avatar_key, active.label("active")
        )
        .join(mine, mine.c.user_id == Buddy.id)
        .join(Profile, Profile.user_id == Buddy.id)
        .where(
            Buddy.account_status == AccountStatus.active, col(Buddy.email_verified_at).is_not(None)
        )
        .order_by(
            active.desc(),
            latest_recommendation.desc().nulls_last(),
            seen.desc().nulls_last(),
            Buddy.id.desc(),
        )
        .limit(max(1, min(int(limit), 20)))
    ).all()
    return [
        ActiveBuddy(row.id, row.username, row.full_name, upload_url(row.avatar_key), row.active)
        for row in rows
    ]
