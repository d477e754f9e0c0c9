"""The header bell: live unread badge, the latest ten, and their actions (§2 Layout, §6.1).

Every page's header mounts a watcher keyed on the user's channel (`UserChannel`
`notification_epoch`: created, `notification_sync`: read or deleted elsewhere) and on
the connection coming back: each change re-mounts it, and its `sync` re-reads the badge
and the dropdown in one transaction. A notification newer than any this tab has shown
also comes up as a toast, once per tab. No polling.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import reflex as rx
from sqlmodel import Session

from citypulse.params import parse_id
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.notifications import commands, queries
from citypulse.state.notifications.views import NotificationView, notification_views
from citypulse.state.session import SessionState

DROPDOWN_SIZE = 10
MAX_TOASTS = 3  # a burst (e.g. after reconnecting) shows the newest three


def _bell(db: Session, *, viewer: Viewer | None) -> queries.Bell | None:
    """The unread count and the latest ten, read together (None for visitors)."""
    return None if viewer is None else queries.latest(db, viewer=viewer, limit=DROPDOWN_SIZE)


def alerts_for(views: list[NotificationView], newest_seen: int) -> list[rx.event.EventSpec]:
    """Toasts for the unread notifications newer than `newest_seen` (newest first), and
    the browser's own alert of them (assets/browser-notifications.js: a sound and, in a
    background tab, a system notification, each only if this browser switched it on)."""
    fresh = [view for view in views if view.id > newest_seen and view.unread][:MAX_TOASTS]
    if not fresh:
        return []
    alerts = [
        {"id": view.id, "title": view.title, "message": view.message, "link": view.link}
        for view in fresh
    ]
    script = f"window.citypulseAlerts && window.citypulseAlerts.notify({json.dumps(alerts)})"
    return [
        *(rx.toast.info(view.title, description=view.message) for view in fresh),
        rx.call_script(script),
    ]


async def open_notification(state: SessionState, notification_id: object):
    """Mark `notification_id` read and open its link (read from the database, recipient
    only: someone else's id is refused as not found)."""
    wanted = parse_id(notification_id)
    if wanted is None:
        return None
    outcome = await state._call(commands.mark_read, notification_id=wanted, now=datetime.now(UTC))
    if not outcome.ok:
        return outcome.event
    link = outcome.value or ""
    return [NotificationBellState.sync, *([rx.redirect(link)] if link else [])]


class NotificationBellState(SessionState):
    """The viewer's unread count and latest notifications, shown in the header."""

    unread: int = 0
    latest: list[NotificationView] = []
    bell_loaded: bool = False
    _newest_seen: int = 0  # the newest notification id this tab has shown (toasts once)

    @rx.event
    async def sync(self):
        """Re-read the badge and the dropdown (page open, live change, reconnect).

        Not the viewer's activity (the page asks on its own), so the session is not
        touched: a notification neither extends an idle session nor costs each recipient's
        tab a write (a fan-out to 1,000 tabs made up to 1,000 session UPDATEs).
        """
        if not self.signed_in:
            return None
        outcome = await self._load(_bell, touch=False)
        if not outcome.ok or outcome.value is None:
            return None  # signed out meanwhile: the session watcher handles it
        unread, views = outcome.value.unread, notification_views(outcome.value.latest)
        toasts = alerts_for(views, self._newest_seen) if self.bell_loaded else []
        if self.unread != unread:
            self.unread = unread
        if self.latest != views:
            self.latest = views
        self.bell_loaded = True
        self._newest_seen = max([self._newest_seen, *(view.id for view in views)])
        return toasts or None

    @rx.event
    async def open_item(self, notification_id: int):
        """Mark one notification read and open its link (the link this server showed)."""
        return await open_notification(self, notification_id)

    @rx.event
    async def mark_read(self, notification_id: int):
        """Mark one notification read without opening it (every tab mirrors it)."""
        wanted = parse_id(notification_id)
        if wanted is None:
            return None
        outcome = await self._call(
            commands.mark_read, notification_id=wanted, now=datetime.now(UTC)
        )
        return outcome.event if not outcome.ok else NotificationBellState.sync

    @rx.event
    async def mark_all_read(self):
        """Mark every notification read (every tab mirrors it)."""
        outcome = await self._call(commands.mark_all_read, now=datetime.now(UTC))
        return outcome.event if not outcome.ok else NotificationBellState.sync

    @rx.event
    async def delete(self, notification_id: int):
        """Delete one notification (every tab mirrors it)."""
        wanted = parse_id(notification_id)
        if wanted is None:
            return None
        outcome = await self._call(commands.delete_notification, notification_id=wanted)
        return outcome.event if not outcome.ok else NotificationBellState.sync
