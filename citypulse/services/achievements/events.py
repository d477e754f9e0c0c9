"""Domain events of the achievement services (PRODUCT.md §4.7.3, §6.5).

Published with `citypulse.realtime.publish_after_commit`, after the commit only, by
`evaluate` (and the backfill) whenever badges were awarded. `state/push.py` maps it:

- to the earner's `UserChannel` (key `user-<id>`): the celebration pop-up, shown once
  across all the earner's tabs (the pop-up is keyed by the achievement ids, so tabs can
  agree on "already shown"), and a refetch of /achievements and the profile;
- to a shared key for "Recently earned" (/achievements) and the leaderboard, if wanted.

The achievement_unlocked notifications themselves arrive as `NotificationCreated`.
No Reflex import here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AchievementUnlocked:
    """`user_id` earned these badges (catalogue ids, in award order: tier badges last)."""

    user_id: int
    achievement_ids: tuple[int, ...]
