"""Domain events of the buddy and block services (PRODUCT.md §6.4).

Published with `citypulse.realtime.publish_after_commit` by every buddy and block
command, after the commit only. `state/push.py` maps it to `UserChannel.buddies_epoch`
+ 1 for each user (key `user-<id>`): their /buddies tabs, counts and profile buttons
refetch. No Reflex import here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BuddiesChanged:
    """The buddies, requests or blocks between these users changed (both sides)."""

    user_ids: tuple[int, ...]
