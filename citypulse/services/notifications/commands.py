"""The recipient's actions on their notifications (PRODUCT.md §4.11, §6.1).

Mark one read, mark all read, delete one, delete all read. Only the recipient: someone
else's notification id (or one whose actor is blocked since) is `NotFound`, the same as
an id that does not exist, so nothing reveals that it exists. Any signed-in account may
act, restricted ones too (they keep /notifications, §4.13.8). Every change publishes
`NotificationsChanged` after commit, so each of the recipient's tabs mirrors it.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import bindparam
from sqlmodel import Session

from citypulse.models import Notification
from citypulse.realtime import publish_after_commit
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound
from citypulse.services.notifications.events import NotificationsChanged
from citypulse.services.notifications.queries import visible_to
from citypulse.services.prepared import Prepared

NOT_FOUND = "Notification not found"

_VIEWER = bindparam("viewer_id", type_=sa.Integer)
_ONE = Notification.id == bindparam("notification_id", type_=sa.Integer)
_READ_NOW = {"is_read": sa.true(), "read_at": bindparam("now", type_=sa.DateTime(timezone=True))}

_MARK_READ = Prepared(
    sa.update(Notification)
    .where(_ONE, visible_to(_VIEWER), ~Notification.is_read)
    .values(_READ_NOW)
    .returning(Notification.action_url)
)
_ACTION_URL = Prepared(sa.select(Notification.action_url).where(_ONE, visible_to(_VIEWER)))
_MARK_ALL_READ = Prepared(
    sa.update(Notification).where(visible_to(_VIEWER), ~Notification.is_read).values(_READ_NOW)
)
_DELETE = Prepared(
    sa.delete(Notification).where(_ONE, visible_to(_VIEWER)).returning(Notification.id)
)
_DELETE_READ = Prepared(sa.delete(Notification).where(visible_to(_VIEWER), Notification.is_read))


def mark_read(
    session: Session, *, actor: Viewer, notification_id: int, now: datetime
) -> str | None:
    """Mark the actor's notification read and return its link (what the click opens).

    Already read: nothing changes, the link is still returned.

    Raises:
        NotFound: Not the actor's notification (or no such notification).
    """
    changed = _MARK_READ.run(
        session, viewer_id=actor.user_id, notification_id=notification_id, now=now
    ).first()
    if changed is not None:
        _changed(session, actor)
        return changed.action_url
    found = _ACTION_URL.run(session, viewer_id=actor.user_id, notification_id=notification_id)
    row = found.first()
    if row is None:
        raise NotFound(NOT_FOUND)
    return row.action_url


def mark_all_read(session: Session, *, actor: Viewer, now: datetime) -> int:
    """Mark every unread notification of the actor read; returns how many were unread."""
    marked = _MARK_ALL_READ.run(session, viewer_id=actor.user_id, now=now).rowcount
    if marked:
        _changed(session, actor)
    return marked


def delete_notification(session: Session, *, actor: Viewer, notification_id: int) -> None:
    """Delete one of the actor's notifications (read or not).

    Raises:
        NotFound: Not the actor's notification (or no such notification).
    """
    deleted = _DELETE.run(session, viewer_id=actor.user_id, notification_id=notification_id)
    if deleted.first() is None:
        raise NotFound(NOT_FOUND)
    _changed(session, actor)


def delete_all_read(session: Session, *, actor: Viewer) -> int:
    """Delete every read notification of the actor; returns how many were deleted."""
    deleted = _DELETE_READ.run(session, viewer_id=actor.user_id).rowcount
    if deleted:
        _changed(session, actor)
    return deleted


def _changed(session: Session, actor: Viewer) -> None:
    publish_after_commit(session, NotificationsChanged(actor.user_id))
