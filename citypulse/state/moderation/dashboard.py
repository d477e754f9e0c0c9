"""/moderator/dashboard: counters and the moderator's own recent actions (M only)."""

from __future__ import annotations

from datetime import UTC, datetime

import reflex as rx
from sqlmodel import Session

from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound
from citypulse.services.moderation.stats import (
    ActionSummary,
    DayActivity,
    ModerationStats,
    activity_by_day,
)
from citypulse.services.moderation.stats import moderation_dashboard as dashboard_numbers
from citypulse.state.channels import leave_moderators, moderators_seen
from citypulse.state.moderation.views import (
    DayActivityView,
    ModerationStatView,
    ModeratorActionView,
    action_views,
    activity_views,
    stat_views,
)
from citypulse.state.session import SessionState

Dashboard = tuple[ModerationStats, list[ActionSummary], list[DayActivity]]


def _dashboard_page(db: Session, *, viewer: Viewer | None, now: datetime) -> Dashboard | None:
    """The page's loader: None for anyone but moderators (the page shows its 404 content)."""
    if viewer is None:
        return None
    try:
        stats, actions = dashboard_numbers(db, actor=viewer, now=now)
    except NotFound:  # refused on the role, before anything was read: nothing to undo
        return None
    return stats, actions, activity_by_day(db, actor=viewer, now=now)


class ModeratorDashboardState(SessionState):
    """Moderator-only data: loaded only after the server confirms the role."""

    stats: list[ModerationStatView] = []
    recent_actions: list[ModeratorActionView] = []
    activity: list[DayActivityView] = []
    _seen: str = ""  # the moderators' channel epochs these counters reflect

    @rx.event
    async def load(self):
        """Refuse anyone but moderators and admins, whatever the page showed."""
        self.stats, self.recent_actions, self.activity = [], [], []
        outcome = await self._load(_dashboard_page, now=datetime.now(UTC))
        if not outcome.ok or outcome.value is None:
            await leave_moderators(self)
            return None  # the page stays the 404 content
        stats, actions, days = outcome.value
        self.stats, self.recent_actions = stat_views(stats), action_views(actions)
        self.activity = activity_views(days)
        self._seen = await moderators_seen(self)  # live: reports, actions, appeals re-count
        return None

    @rx.event
    async def reports_arrived(self):
        """A report, an audited action or an appeal reached the moderators' channel (§6.8):
        count again."""
        if self.stats and await moderators_seen(self, join=False) != self._seen:
            return ModeratorDashboardState.load
        return None

    @rx.event
    async def leave(self):
        """The page unmounted: stop receiving the moderators' channel."""
        await leave_moderators(self)
