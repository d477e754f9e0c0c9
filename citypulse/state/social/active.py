"""The dashboard's "Active buddies" panel (§2.2 dashboard, §4.5.8): up to 4 buddies."""

from __future__ import annotations

import reflex as rx

from citypulse.services.social.active import PANEL_SIZE, active_buddies
from citypulse.state.session import SessionState
from citypulse.state.social.views import ActiveBuddyView, active_buddy_views


class ActiveBuddiesState(SessionState):
    """The panel's avatars, read with the viewer's own buddies only."""

    active_buddies: list[ActiveBuddyView] = []
    buddies_loaded: bool = False

    @rx.event
    async def load(self):
        """on_load of /dashboard (one small loader transaction)."""
        outcome = await self._load(active_buddies, limit=PANEL_SIZE)
        if not outcome.ok:
            return outcome.event
        self.active_buddies = active_buddy_views(outcome.value or [])
        self.buddies_loaded = True
        return None
