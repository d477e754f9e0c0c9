"""The author hears of a user's FIRST like and FIRST rating of a recommendation, once ever.

PRODUCT.md §4.4, §4.11: unliking deletes the `likes` row, so the memory is an
`interaction_notices` row that survives unlike/unrate. Runs in the action's transaction.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from citypulse.models.enums import NotificationType
from citypulse.models.interactions import NoticeKind
from citypulse.realtime import publish_after_commit
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.interactions.core import Target
from citypulse.services.interactions.events import NotificationCreated
from citypulse.services.prepared import Prepared

TITLE_LENGTH = 200

_NOTICE = Prepared(
    sa.text(
        "INSERT INTO interaction_notices (recommendation_id, user_id, kind, created_at) "
        "VALUES (:recommendation_id, :user_id, :kind, :now) "
        "ON CONFLICT DO NOTHING RETURNING id"
    )
)
_NOTIFY = Prepared(
    sa.text(
        "INSERT INTO notifications (recipient_id, type, title, message, actor_id, "
        "target_type, target_id, action_url, is_read, read_at, created_at) "
        "VALUES (:recipient_id, :type, :title, :message, :actor_id, 'recommendation', "
        ":target_id, :action_url, false, NULL, :now) RETURNING id"
    )
)


def notify_first(
    session: Session,
    *,
    kind: NoticeKind,
    actor: Viewer,
    target: Target,
    now: datetime,
    rating: int | None = None,
) -> int | None:
    """Notify the author of `actor`'s FIRST like or rating of `target`, once ever.

    The memory is an `interaction_notices` row that survives unlike/unrate. Never to
    yourself and never across a block (§4.11): `target` passed the visibility rule for
    `actor` in this transaction, which already excludes a block either way. Returns the
    new notification's id.
    """
    if target.liked_noticed if kind == NoticeKind.like else target.rated_noticed:
        return None
    recorded = _NOTICE.run(session, recommendation_id=target.id, user_id=actor.user_id,
                           kind=kind.value, now=now).first()  # fmt: skip
    if recorded is None or target.author_id == actor.user_id:
        return None
    verb = "liked" if kind == NoticeKind.like else "rated"
    detail = f" {rating}/5" if rating is not None else ""
    notification_id = _NOTIFY.run(
        session,
        recipient_id=target.author_id,
        type=(
            NotificationType.recommendation_like
            if kind == NoticeKind.like
            else NotificationType.recommendation_rating
        ).value,
        title=_fit(f"{actor.full_name} {verb} your recommendation", target.title),
        message=f"{actor.full_name} (@{actor.username}) {verb} “{target.title}”{detail}.",
        actor_id=actor.user_id,
        target_id=target.id,
        action_url=f"/recommendations/{target.id}",
        now=now,
    ).scalar_one()
    publish_after_commit(session, NotificationCreated(target.author_id, notification_id))
    return notification_id


def _fit(prefix: str, title: str) -> str:
    """`prefix “title”` within the notification title limit (the title is shortened)."""
    text = f"{prefix} “{title}”"
    if len(text) <= TITLE_LENGTH:
        return text
    room = TITLE_LENGTH - len(prefix) - 4  # space, two quotes, ellipsis
    return f"{prefix} “{title[:room].rstrip()}…”"
