"""`/achievements` (A): the viewer's badges, totals and rank, and "Recently earned" (§2.2).

Live (§6.5): the page re-reads itself when the viewer's channel reports an unlock
(`UserChannel.achievements_epoch`, from any of their tabs), and re-reads "Recently
earned" when anyone unlocks a badge (`RecentChannel`, linked while the page is open).
"""

from __future__ import annotations

import reflex as rx

from citypulse.services.achievements.pages import (
    AchievementsPage,
    achievements_page,
    recently_earned,
)
from citypulse.state.achievements.live import RecentChannel, join_recent, leave_recent
from citypulse.state.achievements.views import (
    RecentView,
    TierView,
    recent_views,
    tier_views,
)
from citypulse.state.session import SessionState, UserChannel


class AchievementsState(SessionState):
    """What /achievements shows: only the viewer's own numbers and public unlocks."""

    loaded: bool = False
    completed: int = 0
    total: int = 0
    percent: int = 0
    points: int = 0
    rank: int = 0  # Overall rank; 0: not ranked yet
    tiers: list[TierView] = []
    recent: list[RecentView] = []
    _epoch_seen: int = -1  # the `achievements_epoch` the badges shown reflect
    _recent_seen: int = -1  # the `recent_epoch` the "Recently earned" list reflects

    def _apply(self, page: AchievementsPage) -> None:
        self.completed, self.total, self.percent = page.completed, page.total, page.percent
        self.points, self.rank = page.points, page.rank or 0
        self.tiers = tier_views(page.tiers)
        self.recent = recent_views(page.recent)
        self.loaded = True

    async def _fetch(self):
        channel = await self.get_state(UserChannel)
        epoch = channel.achievements_epoch
        outcome = await self._load(achievements_page)
        if not outcome.ok or outcome.value is None:
            return outcome.event
        self._apply(outcome.value)
        self._epoch_seen = epoch
        self._recent_seen = await join_recent(self)
        return None

    @rx.event
    async def load(self):
        """on_load: the page in one transaction; then listen for new unlocks."""
        if not self.signed_in:
            return None
        return await self._fetch()

    @rx.event
    async def unlocked(self):
        """The viewer's channel moved: re-read badges, totals and rank (first mount: no-op)."""
        channel = await self.get_state(UserChannel)
        if not self.loaded or channel.achievements_epoch == self._epoch_seen:
            return None
        return await self._fetch()

    @rx.event
    async def recent_changed(self):
        """Someone unlocked a badge: re-read "Recently earned" (as this viewer may see it)."""
        channel = await self.get_state(RecentChannel)
        if not self.loaded or channel.recent_epoch == self._recent_seen:
            return None
        self._recent_seen = channel.recent_epoch
        outcome = await self._load(recently_earned)
        if outcome.ok and outcome.value is not None:
            self.recent = recent_views(outcome.value)
        return None

    @rx.event
    async def leave(self):
        """The page unmounted: stop receiving "Recently earned" updates."""
        await leave_recent(self)
