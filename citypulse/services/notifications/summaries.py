"""The daily summary of first likes and first ratings (PRODUCT.md §4.12 "recommendations").

Likes and ratings send no mail of their own (`types.EMAIL_CATEGORY`); a periodic job
calls `daily_summaries_send`, which mails each author ONE summary of the first-like and
first-rating notifications created since their previous summary, at most one per 24 h.
`email_preferences.recommendations_summarized_at` remembers where the last summary
stopped; it moves on even when no mail may go out (preference off, unverified or
deactivated address), so turning the preference on later never mails a backlog.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import bindparam, or_
from sqlmodel import Session

from citypulse.email.messages import preference_email
from citypulse.email.unsubscribe import unsubscribe_url
from citypulse.models import EmailPreferences, Notification, User
from citypulse.models.enums import NotificationType
from citypulse.services.mail import queue_email
from citypulse.services.notifications.queries import visible_to

CATEGORY = "recommendations"
INTERVAL = timedelta(hours=24)  # at most one summary per user per 24 h
# A first summary (or one after a long pause of the job) looks back this far at most.
LOOKBACK = timedelta(days=7)
LISTED = 20  # lines in one mail; the rest is counted
LIKE, RATING = NotificationType.recommendation_like, NotificationType.recommendation_rating
SUMMARIZED = (LIKE, RATING)

_NOW = bindparam("now", type_=sa.DateTime(timezone=True))
_FLOOR = bindparam("floor", type_=sa.DateTime(timezone=True))
_SUMMARIZED = Notification.type.in_([kind.value for kind in SUMMARIZED])
_DUE = (
    sa.select(
        EmailPreferences.user_id,
        EmailPreferences.recommendations,
        EmailPreferences.recommendations_summarized_at,
    )
    .where(
        or_(
            EmailPreferences.recommendations_summarized_at.is_(None),
            EmailPreferences.recommendations_summarized_at <= bindparam("due_before"),
        ),
        EmailPreferences.user_id.in_(
            sa.select(Notification.recipient_id).where(
                _SUMMARIZED, Notification.created_at > _FLOOR, Notification.created_at <= _NOW
            )
        ),
        # ...and one of them is newer than the user's last summary.
        sa.exists().where(
            Notification.recipient_id == EmailPreferences.user_id,
            _SUMMARIZED,
            Notification.created_at
            > sa.func.coalesce(EmailPreferences.recommendations_summarized_at, _FLOOR),
            Notification.created_at <= _NOW,
        ),
    )
    .order_by(EmailPreferences.user_id)
    # Two job workers never summarise the same user twice: each takes rows the other left.
    .with_for_update(skip_locked=True)
)


def daily_summaries_send(session: Session, now: datetime) -> int:
    """Queue every due daily summary; returns how many mails were queued.

    A user is due when first-like or first-rating notifications were created for them
    since their last summary, and that summary is at least 24 h old. Runs in the caller's
    transaction (the job's); the outbox delivers after its commit. Call it often (e.g.
    hourly): a summary goes out at the first run at least 24 h after the previous one, so
    a once-a-day schedule that runs a little earlier one day skips that day.
    """
    floor = now - LOOKBACK
    due = session.execute(_DUE, {"now": now, "floor": floor, "due_before": now - INTERVAL}).all()
    queued = 0
    for user_id, wanted, summarized_at in due:
        since = max(summarized_at, floor) if summarized_at is not None else floor
        if wanted:
            queued += _summarize(session, user_id, since, now)
    if due:
        session.execute(
            sa.update(EmailPreferences)
            .where(EmailPreferences.user_id.in_([row.user_id for row in due]))
            .values(recommendations_summarized_at=now)
        )
    return queued


def _summarize(session: Session, user_id: int, since: datetime, now: datetime) -> int:
    """Queue `user_id`'s summary of what happened in (since, now]; 1 if a mail was queued."""
    window = (
        visible_to(user_id),
        _SUMMARIZED,
        Notification.created_at > since,
        Notification.created_at <= now,
    )
    counts = dict(
        session.execute(
            sa.select(Notification.type, sa.func.count()).where(*window).group_by(Notification.type)
        ).all()
    )
    likes, ratings = counts.get(LIKE, 0), counts.get(RATING, 0)
    user = session.get(User, user_id)
    if not likes + ratings or user is None:
        return 0
    listed = session.execute(
        sa.select(Notification.message)
        .where(*window)
        .order_by(Notification.created_at, Notification.id)
        .limit(LISTED)
    ).scalars()
    lines = [f"Since your last summary, travellers gave your recommendations "
             f"{_phrase(likes, ratings)}:", *listed]  # fmt: skip
    if likes + ratings > LISTED:
        lines.append(f"…and {likes + ratings - LISTED} more.")
    mail = preference_email(
        user.email,
        user.full_name,
        CATEGORY,
        f"Your recommendations got {_phrase(likes, ratings)}",
        lines,
        "/notifications",
        unsubscribe_url(user_id, CATEGORY),
    )
    return 1 if queue_email(session, user, mail) else 0


def _phrase(likes: int, ratings: int) -> str:
    """ "2 likes and 1 rating", "1 like", "3 ratings"."""
    parts = [
        f"{number} {unit}{'' if number == 1 else 's'}"
        for number, unit in ((likes, "new like"), (ratings, "new rating"))
        if number
    ]
    return " and ".join(parts)
