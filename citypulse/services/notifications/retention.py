"""Notification retention (PRODUCT.md §4.11): read ones go after 180 days, all after 365.

Ages count from the notification's creation. A periodic job calls it daily; deleting
old rows tells no tab (they are far down any open list).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from citypulse.models import Notification

READ_KEPT = timedelta(days=180)
ALL_KEPT = timedelta(days=365)


def notifications_retention(session: Session, now: datetime) -> int:
    """Delete read notifications older than 180 days and all older than 365; returns how many.

    Runs in the caller's transaction; served by `ix_notifications_created_at`.
    """
    expired = sa.delete(Notification).where(
        sa.or_(
            Notification.created_at < now - ALL_KEPT,
            sa.and_(Notification.is_read, Notification.created_at < now - READ_KEPT),
        )
    )
    return session.execute(expired).rowcount
