"""Shared keys that are not a page's own: the moderators' channel.

A moderator page links `ModeratorChannel` to key `moderators` once the server has
confirmed the role (`join_moderators`); the push adapter bumps `reports_epoch` when a
report enters the queue, `actions_epoch` when an action is audited and `appeals_epoch`
when an appeal is filed or decided, so the page re-reads without polling (a watcher
keyed on the epochs, components/moderation_queue.moderation_live_watcher). Leaving the
page or closing the tab unlinks it like every shared key (state/live_links.py).
"""

import reflex as rx
from reflex.state import BaseState

from citypulse.state import live_links

MODERATORS_KEY = "moderators"  # shared-state keys may not contain "_"


class ModeratorChannel(rx.SharedState):
    """Seen by every moderator's tab: nothing here may name a reporter or a report."""

    reports_epoch: int = 0  # bumped when a new report entered the moderation queue
    actions_epoch: int = 0  # bumped when a moderation action was audited (stats change)
    appeals_epoch: int = 0  # bumped when an appeal was filed or decided (§6.8)


async def join_moderators(state: BaseState) -> int:
    """Link this tab to the moderators' channel; returns the epoch it has seen.

    Call only after the server confirmed the viewer's moderator role.
    """
    channel = await state.get_state(ModeratorChannel)
    channel = await channel._link_to(MODERATORS_KEY)
    return channel.reports_epoch


def channel_epochs(channel: ModeratorChannel) -> str:
    """Every epoch of the channel as one value: moderator pages re-read when it moves."""
    return f"{channel.reports_epoch}:{channel.actions_epoch}:{channel.appeals_epoch}"


async def moderators_seen(state: BaseState, *, join: bool = True) -> str:
    """The channel's epochs (`channel_epochs`) as this tab sees them; links the tab first
    when asked (only after the server confirmed the viewer's moderator role)."""
    if join:
        await join_moderators(state)
    return channel_epochs(await state.get_state(ModeratorChannel))


async def leave_moderators(state: BaseState) -> None:
    """Unlink this tab from the moderators' channel (no-op when not linked)."""
    await live_links.unlink(state, ModeratorChannel)
