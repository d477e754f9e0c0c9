"""The profile's achievements tab (§2.2, §4.7.4): badges as the viewer may see them.

The owner sees every badge with progress and dates; others see earned badges only, and
nothing when the profile shows them the limited card. Loaded when the tab mounts; the
owner's tab re-reads itself on their unlocks (§6.5).
"""

from __future__ import annotations

import reflex as rx

from citypulse.params import parse_text
from citypulse.services.achievements.pages import ProfileAchievements, profile_achievements
from citypulse.services.errors import NotFound
from citypulse.state.achievements.views import TierView, tier_views
from citypulse.state.session import SessionState

ROUTE_ARG = "profile_username"  # the route argument of /profile/[profile_username]


class ProfileAchievementsState(SessionState):
    """The achievements tab of the profile in the URL."""

    loaded: bool = False
    visible: bool = False
    is_owner: bool = False
    completed: int = 0
    total: int = 0
    points: int = 0
    tiers: list[TierView] = []

    def _apply(self, tab: ProfileAchievements) -> None:
        self.visible, self.is_owner = tab.visible, tab.is_owner
        self.completed, self.total, self.points = tab.completed, tab.total, tab.points
        self.tiers = tier_views(tab.tiers)
        self.loaded = True

    @rx.event
    async def load(self):
        """The tab mounted (or the owner's channel moved): read the badges shown."""
        name = parse_text(self.router.page.params.get(ROUTE_ARG, ""), max_length=64) or ""
        outcome = await self._load(profile_achievements, username=name)
        if isinstance(outcome.error, NotFound) or not name:
            self.visible, self.tiers, self.loaded = False, [], True
            return None  # the profile page itself shows its 404 content
        if not outcome.ok or outcome.value is None:
            return outcome.event
        self._apply(outcome.value)
        return None
