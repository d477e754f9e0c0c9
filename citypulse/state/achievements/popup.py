"""The celebration pop-up (§4.7.3, §6.5): shown once across all the earner's tabs.

Every tab of the earner re-mounts a watcher when their channel reports an unlock
(`UserChannel.achievements_epoch`). Each tab then asks the server to claim the new
badges (`announce.claim_unlocks`, one UPDATE … WHERE seen_at IS NULL): the tab that
gets them shows the pop-up, the others get nothing and show nothing. The first mount in
a tab only remembers the epoch, so opening a page never celebrates old badges.
"""

from __future__ import annotations

from datetime import UTC, datetime

import reflex as rx

from citypulse.services.achievements.announce import claim_unlocks
from citypulse.state.achievements.views import UnlockView, unlock_views
from citypulse.state.session import SessionState, UserChannel


class AchievementPopupState(SessionState):
    """The badges this tab celebrates (only ever the viewer's own)."""

    unlocks: list[UnlockView] = []
    popup_open: bool = False
    handled: int = -1  # the unlock serial this tab has finished with (won or not)
    _epoch_seen: int = -1  # the `achievements_epoch` this tab has handled

    @rx.event
    async def check(self):
        """The channel moved (or the watcher mounted): claim new badges for this tab."""
        if not self.signed_in:
            return None
        channel = await self.get_state(UserChannel)
        epoch, seen = channel.achievements_epoch, self._epoch_seen
        self._epoch_seen = epoch
        if seen != -1 and epoch != seen:  # not the first mount, and a new unlock
            outcome = await self._call(claim_unlocks, now=datetime.now(UTC))
            if outcome.ok and outcome.value:  # else another tab won (or signed out meanwhile)
                self.unlocks = unlock_views(outcome.value)
                self.popup_open = True
        self.handled = epoch
        return None

    @rx.event
    def dismiss(self):
        """Close the pop-up."""
        self.popup_open = False
        self.unlocks = []
