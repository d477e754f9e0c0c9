"""Helpers for the notification tests: stored rows at chosen times, preference switches."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from citypulse.models import EmailPreferences, Notification, User
from citypulse.models.enums import NotificationType


def stored(
    session: Session,
    recipient: User,
    *,
    at: datetime,
    type_: NotificationType = NotificationType.buddy_request,
    actor: User | None = None,
    read: bool = False,
    title: str = "Something happened",
    message: str = "Something happened to you.",
    action_url: str | None = "/buddies?tab=requests",
) -> Notification:
    """A notification row as notify() would have stored it at `at` (read at `at` if `read`)."""
    row = Notification(
        recipient_id=recipient.id,
        type=type_,
        title=title,
        message=message,
        actor_id=actor.id if actor is not None else None,
        action_url=action_url,
        is_read=read,
        read_at=at if read else None,
        created_at=at,
    )
    session.add(row)
    session.flush()
    return row


def rows_of(session: Session, recipient: User) -> list[Notification]:
    """The recipient's notifications as stored, oldest first (a fresh read)."""
    session.expire_all()
    query = select(Notification).where(Notification.recipient_id == recipient.id)
    return list(session.exec(query.order_by(col(Notification.id))).all())


def set_preference(session: Session, user: User, category: str, on: bool) -> None:
    session.execute(
        sa.update(EmailPreferences)
        .where(EmailPreferences.user_id == user.id)
        .values({category: on})
    )
