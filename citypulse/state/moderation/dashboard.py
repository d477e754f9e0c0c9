"""/moderator/dashboard: counters and the moderator's own recent actions (M only)."""

from __future__ import annotations

from datetime import UTC, datetime

import reflex as rx
from sqlmodel import Session

from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound
from citypulse.services.moderation.stats import ActionSummary, ModerationStats
from citypulse.services.moderation.stats import moderation_dashboard as dashboard_numbers
from citypulse.state.channels import ModeratorChannel, join_moderators, leave_moderators
from citypulse.state.moderation.views import (
    ModerationStatView,
    ModeratorActionView,
    action_views,
    stat_views,
)
from citypulse.state.session import SessionState

Dashboard = tuple[ModerationStats, list[ActionSummary]]


def _dashboard_page(db: Session, *, viewer: Viewer | None, now: datetime) -> Dashboard | None:
    """The page's loader: None for anyone but moderators (the page shows its 404 content)."""
    if viewer is None:
        return None
    try:
        return dashboard_numbers(db, actor=viewer, now=now)
    except NotFound:  # refused on the role, before anything was read: nothing to undo
        return None


class ModeratorDashboardState(SessionState):
    """Moderator-only data: loaded only after the server confirms the role."""

    stats: list[ModerationStatView] = []
    recent_actions: list[ModeratorActionView] = []
    _reports_seen: int = 0  # the moderators' channel epoch these counters reflect

    @rx.event
    async def load(self):
        """Refuse anyone but moderators and admins, whatever the page showed."""
        self.stats, self.recent_actions = [], []
        outcome = await self._load(_dashboard_page, now=datetime.now(UTC))
        if not outcome.ok or outcome.value is None:
            await leave_moderators(self)
            return None  # the page stays the 404 content
        stats, actions = outcome.value
        self.stats, self.recent_actions = stat_views(stats), action_views(actions)
        self._reports_seen = await join_moderators(self)  # live: new reports re-count
        return None

    @rx.event
    async def reports_arrived(self):
        """A new report was pushed to the moderators' channel: count again."""
        channel = await self.get_state(ModeratorChannel)
        if self.stats and channel.reports_epoch != self._reports_seen:
            return ModeratorDashboardState.load
        return None

    @rx.event
    async def leave(self):
        """The page unmounted: stop receiving the moderators' channel."""
        await leave_moderators(self)
