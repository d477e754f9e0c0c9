"""Notification rows → the typed view models of the bell and the /notifications page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from citypulse.services.notifications.queries import NotificationRow
from citypulse.services.notifications.types import TypeGroup
from citypulse.state.accounts.views import format_moment
from citypulse.state.moments import moment_iso

GROUP_ICONS = {
    TypeGroup.social: "users",
    TypeGroup.recommendations: "heart",
    TypeGroup.trips: "map",
    TypeGroup.achievements: "trophy",
    TypeGroup.moderation: "shield",
    TypeGroup.system: "info",
}
# The page's filter buttons (the queries' FILTERS, in the order §2.2 lists them).
FILTER_LABELS = {
    "all": "All",
    "unread": "Unread",
    "social": "Social",
    "recommendations": "Recommendations",
    "trips": "Trips",
    "achievements": "Achievements",
    "moderation": "Moderation",
}


@dataclass(frozen=True)
class NotificationView:
    """One notification as the dropdown and the page show it."""

    id: int = 0
    title: str = ""
    message: str = ""
    unread: bool = False
    icon: str = "info"
    when: str = ""  # the server's UTC text, until the browser words `when_iso`
    when_iso: str = ""
    link: str = ""  # site-relative; "" when there is nothing to open


def notification_view(row: NotificationRow) -> NotificationView:
    """A notification as its recipient sees it."""
    return NotificationView(
        id=row.id,
        title=row.title,
        message=row.message,
        unread=not row.is_read,
        icon=GROUP_ICONS[TypeGroup(row.group)],
        when=format_moment(row.created_at),
        when_iso=moment_iso(row.created_at),
        link=row.action_url or "",
    )


def notification_views(rows: Iterable[NotificationRow]) -> list[NotificationView]:
    return [notification_view(row) for row in rows]
