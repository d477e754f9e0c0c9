"""Live achievements (§6.5): "Recently earned" for everyone on /achievements.

The earner's own tabs hear an unlock on their `UserChannel` (`achievements_epoch`);
every tab showing /achievements links `RecentChannel` to one shared key, bumped by the
push adapter (state/push.py) on every unlock, and re-reads the list on a change. Only
an epoch travels: who may be listed is decided by the loader for each viewer.
"""

import reflex as rx
from reflex.state import BaseState

from citypulse.state import live_links

RECENT_KEY = "achievements-recent"  # shared-state keys may not contain "_"


class RecentChannel(rx.SharedState):
    """Seen by every tab on /achievements: nothing here may name anyone."""

    recent_epoch: int = 0  # bumped when anyone unlocked a badge


async def join_recent(state: BaseState) -> int:
    """Link this tab to the recently-earned channel; returns the epoch it has seen."""
    channel = await state.get_state(RecentChannel)
    channel = await channel._link_to(RECENT_KEY)
    return channel.recent_epoch


async def leave_recent(state: BaseState) -> None:
    """Unlink this tab from the recently-earned channel (no-op when not linked)."""
    await live_links.unlink(state, RecentChannel)
