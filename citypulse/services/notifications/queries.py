"""What the recipient sees: unread count, the bell's latest ten, /notifications pages (§4.11).

Only the recipient ever sees a notification (every statement filters on the viewer's
id). Notifications from an actor blocked since, either way, are hidden too (§4.11 "never
between users with a block"). Statements are prepared: the badge is read on every page.

Rows are typed and frozen; the state layer maps them to its views (H6's
`state/notifications/views.py`). `actor_*` are None for system and moderation notices
(and after the actor's account was purged).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import BindParameter, Select, bindparam, or_
from sqlmodel import Session

from citypulse.models import Notification, Profile, User
from citypulse.models.enums import NotificationType
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.cursors import KeysetPage, keyset_before, keyset_page, keyset_position
from citypulse.services.errors import NotFound, PermissionDenied
from citypulse.services.notifications.types import TYPE_GROUP, TypeGroup, types_in
from citypulse.services.policies import SIGN_IN
from citypulse.services.prepared import Prepared
from citypulse.services.social.graph import blocked_between

PAGE_SIZE = 20  # /notifications (§4.11)
PAGE_SIZE_MAX = 50
LATEST_SIZE = 10  # the bell's dropdown
# The /notifications filters, in the order the page shows them.
FILTERS = ("all", "unread", "social", "recommendations", "trips", "achievements", "moderation")


@dataclass(frozen=True)
class NotificationRow:
    """One notification as its recipient sees it."""

    id: int
    type: str  # a NotificationType value
    group: str  # its TypeGroup value: social, recommendations, trips, achievements, ...
    title: str
    message: str
    actor_username: str | None
    actor_full_name: str | None
    actor_avatar_key: str | None  # Profile.avatar_key; the state layer makes the URL
    action_url: str | None  # site-relative; None: nothing to open
    is_read: bool
    created_at: datetime


@dataclass(frozen=True)
class NotificationsPage:
    """One page of /notifications (newest first) and the badge's count."""

    items: list[NotificationRow]
    next_cursor: str | None  # None on the last page
    unread: int


@dataclass(frozen=True)
class Bell:
    """The header bell: the unread count and the latest notifications for its dropdown."""

    unread: int
    latest: list[NotificationRow]


def visible_to(viewer: BindParameter[int] | int) -> sa.ColumnElement[bool]:
    """SQL: the notification is `viewer`'s and its actor is not blocked either way."""
    return sa.and_(
        Notification.recipient_id == viewer,
        or_(Notification.actor_id.is_(None), ~blocked_between(viewer, Notification.actor_id)),
    )


def _unread_count() -> Select:
    viewer = bindparam("viewer_id", type_=sa.Integer)
    return sa.select(sa.func.count()).where(visible_to(viewer), ~Notification.is_read)


def _list(filter_name: str) -> Select:
    """Newest first after the `before_at`/`before_id` position, `row_limit` + 1 rows."""
    viewer = bindparam("viewer_id", type_=sa.Integer)
    actor = sa.orm.aliased(User)
    statement = (
        sa.select(
            Notification.id,
            Notification.type,
            Notification.title,
            Notification.message,
            Notification.action_url,
            Notification.is_read,
            Notification.created_at,
            actor.username,
            actor.full_name,
            Profile.avatar_key,
        )
        .outerjoin(actor, actor.id == Notification.actor_id)
        .outerjoin(Profile, Profile.user_id == Notification.actor_id)
        .where(
            visible_to(viewer),
            keyset_before(
                Notification.created_at,
                Notification.id,
                (bindparam("before_at"), bindparam("before_id")),
            ),
        )
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(bindparam("row_limit", type_=sa.Integer))
    )
    if filter_name == "unread":
        return statement.where(~Notification.is_read)
    if filter_name != "all":
        kinds = [kind.value for kind in types_in(TypeGroup(filter_name))]
        return statement.where(Notification.type.in_(kinds))
    return statement


_UNREAD = Prepared(_unread_count())
_LISTS = {name: Prepared(_list(name)) for name in FILTERS}


def _signed_in(viewer: Viewer | None) -> int:
    """Any signed-in user (restricted ones too, §4.13.8) sees their own notifications."""
    if viewer is None:
        raise PermissionDenied(SIGN_IN)
    return viewer.user_id


def unread_count(session: Session, *, viewer: Viewer | None) -> int:
    """How many of the viewer's notifications are unread (the badge)."""
    return _UNREAD.run(session, viewer_id=_signed_in(viewer)).scalar_one()


def notifications_page(
    session: Session,
    *,
    viewer: Viewer | None,
    filter: str = "all",
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> NotificationsPage:
    """One page of the viewer's notifications, newest first, and the unread count.

    Args:
        filter: One of FILTERS (all, unread or a type group).
        cursor: The previous page's `next_cursor` (None or an invalid one: the first page).
        limit: Rows per page, 1 to 50.

    Raises:
        PermissionDenied: Signed out.
        NotFound: An unknown filter (an odd query value is the 404 page).
    """
    user_id = _signed_in(viewer)
    if filter not in FILTERS:
        raise NotFound("Not found")
    size = max(1, min(limit, PAGE_SIZE_MAX))
    page = _rows(session, filter, user_id, cursor, size)
    unread = _UNREAD.run(session, viewer_id=user_id).scalar_one()
    return NotificationsPage(page.items, page.next_cursor, unread)


def latest(session: Session, *, viewer: Viewer | None, limit: int = LATEST_SIZE) -> Bell:
    """The bell: the unread count and the newest `limit` notifications (read or not)."""
    user_id = _signed_in(viewer)
    page = _rows(session, "all", user_id, None, max(1, min(limit, PAGE_SIZE_MAX)))
    return Bell(_UNREAD.run(session, viewer_id=user_id).scalar_one(), page.items)


def _rows(
    session: Session, filter_name: str, user_id: int, cursor: str | None, size: int
) -> KeysetPage[NotificationRow]:
    before_at, before_id = keyset_position(cursor)
    rows = _LISTS[filter_name].run(
        session, viewer_id=user_id, before_at=before_at, before_id=before_id, row_limit=size + 1
    ).all()  # fmt: skip
    return keyset_page(rows, size, item=_row)


def _row(row: sa.Row) -> NotificationRow:
    kind = NotificationType(row.type)
    return NotificationRow(
        id=row.id,
        type=kind.value,
        group=TYPE_GROUP[kind].value,
        title=row.title,
        message=row.message,
        actor_username=row.username,
        actor_full_name=row.full_name,
        actor_avatar_key=row.avatar_key,
        action_url=row.action_url,
        is_read=row.is_read,
        created_at=row.created_at,
    )
