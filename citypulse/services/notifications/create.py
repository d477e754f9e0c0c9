"""`notify()`: the one way a notification is created (PRODUCT.md §4.11, §4.12).

One prepared `INSERT … SELECT` checks the rules and writes the row in the caller's
transaction, so the like hot path pays a single statement for it:
never to yourself, never across a block either way (`graph.blocked_between`), never to
an account that may not receive it (an active, verified user; suspended and banned
accounts still receive moderation and system notices, deactivated ones nothing).
Moderation and system notices come from the platform: no actor, no block check.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import BindParameter, Executable, and_, bindparam, insert, or_, select
from sqlmodel import Session

from citypulse.email.messages import moderation_notice_email, preference_email
from citypulse.email.unsubscribe import unsubscribe_url
from citypulse.models import EmailPreferences, Notification, User
from citypulse.models.enums import AccountStatus, NotificationType
from citypulse.realtime import publish_after_commit
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.mail import queue_email
from citypulse.services.notifications.events import NotificationCreated
from citypulse.services.notifications.types import (
    EMAIL_CATEGORY,
    MODERATION_EMAIL,
    PLATFORM_GROUPS,
    TYPE_GROUP,
)
from citypulse.services.prepared import PerViewer
from citypulse.services.social.graph import blocked_between

TITLE_LENGTH = 200  # Notification.title
MESSAGE_LENGTH = 1000  # Notification.message


def _create(actor_id: BindParameter[int] | None) -> Executable:
    """INSERT the notification only when the recipient may receive it from `actor_id`."""
    may_receive = or_(
        and_(User.account_status == AccountStatus.active, User.email_verified_at.is_not(None)),
        and_(
            bindparam("restricted_ok", type_=sa.Boolean),
            User.account_status.in_([AccountStatus.suspended, AccountStatus.banned]),
        ),
    )
    rules = [User.id == bindparam("recipient_id", type_=sa.Integer), may_receive]
    if actor_id is not None:
        rules += [User.id != actor_id, ~blocked_between(actor_id, User.id)]
    values = select(
        User.id,
        bindparam("type", type_=sa.String),
        bindparam("title", type_=sa.String),
        bindparam("message", type_=sa.String),
        actor_id if actor_id is not None else sa.null(),
        bindparam("target_type", type_=sa.String),
        bindparam("target_id", type_=sa.Integer),
        bindparam("action_url", type_=sa.String),
        bindparam("now", type_=sa.DateTime(timezone=True)),
        sa.false(),  # explicit: from_select would bind the model's Python default as NULL
    ).where(*rules)
    columns = ["recipient_id", "type", "title", "message", "actor_id", "target_type",
               "target_id", "action_url", "created_at", "is_read"]  # fmt: skip
    return insert(Notification).from_select(columns, values).returning(Notification.id)


_CREATE = PerViewer(_create)


def notify(
    session: Session,
    *,
    recipient_id: int,
    type: NotificationType,
    actor: Viewer | None,
    title: str,
    message: str,
    target_type: str | None = None,
    target_id: int | None = None,
    action_url: str | None = None,
    now: datetime,
    email: bool = True,
) -> int | None:
    """Create a notification for `recipient_id` in the caller's transaction.

    Args:
        type: The §4.11 type; decides the filter group and the email (types.py).
        actor: Who caused it. Ignored for moderation and system notices
            (`types.PLATFORM_GROUPS`): they name no actor and no block holds them back.
        title, message: The text, naming the actor and the item (§4.11); clipped to the
            column lengths with an ellipsis.
        target_type, target_id: The item (both or neither).
        action_url: Site-relative link opened when the notification is clicked.
        email: False skips the email even when the type calls for one (a declined trip
            invite: "trips (acceptances only)").

    Returns:
        The new notification's id, or None when nothing was created: the recipient is the
        actor, a block exists either way, or the recipient may not receive it.

    Raises:
        ValueError: On a caller bug (a non-relative `action_url`, half a target).
    """
    if action_url is not None and (not action_url.startswith("/") or action_url.startswith("//")):
        raise ValueError(f"action_url must be a site-relative path, got {action_url!r}")
    if (target_type is None) != (target_id is None):
        raise ValueError("target_type and target_id go together")
    title, message = _clip(title, TITLE_LENGTH), _clip(message, MESSAGE_LENGTH)
    platform = TYPE_GROUP[type] in PLATFORM_GROUPS
    notification_id = _CREATE.run(
        session,
        actor.user_id if actor is not None and not platform else None,
        recipient_id=recipient_id,
        restricted_ok=platform,
        type=type.value,
        title=title,
        message=message,
        target_type=target_type,
        target_id=target_id,
        action_url=action_url,
        now=now,
    ).scalar()
    if notification_id is None:
        return None
    publish_after_commit(session, NotificationCreated(recipient_id, notification_id))
    category = EMAIL_CATEGORY[type]
    if email and category is not None:
        _queue_notification_email(session, recipient_id, category, title, message, action_url)
    return notification_id


def _queue_notification_email(
    session: Session,
    recipient_id: int,
    category: str,
    title: str,
    message: str,
    action_url: str | None,
) -> None:
    """Queue the type's email (moderation: always; otherwise if the preference is on).

    `queue_email` drops it for an unverified or deactivated address (§4.12 other rules).
    """
    user = session.get(User, recipient_id)
    assert user is not None and user.id is not None  # notify() just found it
    if category == MODERATION_EMAIL:
        queue_email(session, user, moderation_notice_email(
            user.email, user.full_name, title, message, action_url))  # fmt: skip
        return
    wanted = session.execute(
        select(getattr(EmailPreferences, category)).where(EmailPreferences.user_id == user.id)
    ).scalar()
    if wanted is False:  # no preferences row: the defaults, which are on for these
        return
    mail = preference_email(
        user.email, user.full_name, category, title, [message], action_url,
        unsubscribe_url(user.id, category),
    )  # fmt: skip
    queue_email(session, user, mail)


def _clip(text: str, limit: int) -> str:
    """`text` within `limit` characters, shortened with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
