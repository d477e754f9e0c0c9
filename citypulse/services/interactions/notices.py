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
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.interactions.core import Target
from citypulse.services.notifications.create import notify
from citypulse.services.prepared import Prepared

TITLE_LENGTH = 200

_NOTICE = Prepared(
    sa.text(
        "INSERT INTO interaction_notices (recommendation_id, user_id, kind, created_at) "
        "VALUES (:recommendation_id, :user_id, :kind, :now) "
        "ON CONFLICT DO NOTHING RETURNING id"
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
    yourself, never across a block, never to an account that may not receive it
    (`notify`, which writes it with one prepared statement). Returns the new
    notification's id (None: nothing was created).
    """
    if target.liked_noticed if kind == NoticeKind.like else target.rated_noticed:
        return None
    recorded = _NOTICE.run(session, recommendation_id=target.id, user_id=actor.user_id,
                           kind=kind.value, now=now).first()  # fmt: skip
    if recorded is None or target.author_id == actor.user_id:
        return None
    verb = "liked" if kind == NoticeKind.like else "rated"
    detail = f" {rating}/5" if rating is not None else ""
    return notify(
        session,
        recipient_id=target.author_id,
        type=(
            NotificationType.recommendation_like
            if kind == NoticeKind.like
            else NotificationType.recommendation_rating
        ),
        actor=actor,
        title=_fit(f"{actor.full_name} {verb} your recommendation", target.title),
        message=f"{actor.full_name} (@{actor.username}) {verb} “{target.title}”{detail}.",
        target_type="recommendation",
        target_id=target.id,
        action_url=f"/recommendations/{target.id}",
        now=now,
    )


def _fit(prefix: str, title: str) -> str:
    """`prefix “title”` within the notification title limit (the title is shortened)."""
    text = f"{prefix} “{title}”"
    if len(text) <= TITLE_LENGTH:
        return text
    room = TITLE_LENGTH - len(prefix) - 4  # space, two quotes, ellipsis
    return f"{prefix} “{title[:room].rstrip()}…”"
