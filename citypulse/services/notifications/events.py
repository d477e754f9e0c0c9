"""Domain events of the notification services (PRODUCT.md §6.1).

Published with `citypulse.realtime.publish_after_commit` (after the commit only).
`state/push.py` maps both to the recipient's `UserChannel` (key `user-<id>`):

- `NotificationCreated` → `UserChannel.notification_epoch` + 1: a NEW notification
  exists; tabs refetch the badge and the dropdown / open list and show a toast.
- `NotificationsChanged` → `UserChannel.notification_sync` + 1: notifications were read
  or deleted in some tab; the other tabs refetch the badge and the list, no toast.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NotificationCreated:
    """A durable notification was created for `recipient_id` (badge, dropdown, toast)."""

    recipient_id: int
    notification_id: int


@dataclass(frozen=True)
class NotificationsChanged:
    """`recipient_id`'s notifications were marked read or deleted (mirror in every tab)."""

    recipient_id: int
