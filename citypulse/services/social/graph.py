"""Buddies and blocks between users, as SQL conditions and simple checks (§4.5).

Every visibility rule of the product is built from these two relations, so they live
in one place. The SQL conditions take a user id, or a bind parameter when they are part
of a prepared statement (`services.prepared`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, union_all
from sqlmodel import Session

from citypulse.models import Block, BuddyConnection
from citypulse.models.enums import BuddyStatus


def buddies_with(user_id: Any, other_id_column: Any) -> ColumnElement[bool]:
    """SQL: the user in `other_id_column` is an accepted buddy of `user_id`."""
    return exists(
        select(BuddyConnection.id).where(
            BuddyConnection.status == BuddyStatus.accepted,
            or_(
                and_(
                    BuddyConnection.requester_id == user_id,
                    BuddyConnection.addressee_id == other_id_column,
                ),
                and_(
                    BuddyConnection.addressee_id == user_id,
                    BuddyConnection.requester_id == other_id_column,
                ),
            ),
        )
    )


def buddy_ids(user_id: Any):
    """SELECT of the ids of `user_id`'s accepted buddies (column `user_id`), either way."""
    bc = BuddyConnection
    accepted = bc.status == BuddyStatus.accepted
    return union_all(
        select(bc.addressee_id.label("user_id")).where(bc.requester_id == user_id, accepted),
        select(bc.requester_id.label("user_id")).where(bc.addressee_id == user_id, accepted),
    )


def blocked_between(user_id: Any, other_id_column: Any) -> ColumnElement[bool]:
    """SQL: a block exists in either direction between `user_id` and the other user.

    `user_id` None (a visitor) blocks nobody.
    """
    if user_id is None:
        return false()
    return exists(
        select(Block.id).where(
            or_(
                and_(Block.blocker_id == user_id, Block.blocked_id == other_id_column),
                and_(Block.blocked_id == user_id, Block.blocker_id == other_id_column),
            )
        )
    )


def blocked_ids(user_id: Any):
    """SELECT of the ids of users `user_id` blocked or was blocked by (column `user_id`):
    `blocked_between` as a list, for a filter over many rows (hashed once)."""
    return union_all(
        select(Block.blocked_id.label("user_id")).where(Block.blocker_id == user_id),
        select(Block.blocker_id.label("user_id")).where(Block.blocked_id == user_id),
    )


def are_buddies(session: Session, a: int, b: int) -> bool:
    """True when `a` and `b` have an accepted buddy connection."""
    return bool(session.execute(select(buddies_with(a, b))).scalar())


def blocked_either_way(session: Session, a: int | None, b: int) -> bool:
    """True when either user blocked the other."""
    return a is not None and bool(session.execute(select(blocked_between(a, b))).scalar())
