"""The /buddies tabs: buddies, requests (received), sent and blocked (§2 /buddies, §6.4).

Every tab has a count and newest-first keyset pages (`services.cursors`): buddies by
when they became buddies, requests and sent by when they were asked, blocked by when
they were blocked. Buddies and requests of users whose profile is a 404 to everyone
(not active) are left out of rows and counts alike; blocked users are always listed, so
a block can always be lifted. A block either way leaves no connection or request
behind (`blocks.block_user`), so those never show here. The find tab is
`social.finder` (its own loader).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlmodel import Session

from citypulse.models import Block, BuddyConnection, Profile, User
from citypulse.models.enums import AccountStatus, BuddyStatus
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.cursors import keyset_before, keyset_page, keyset_position
from citypulse.services.errors import ValidationFailed
from citypulse.services.policies import require_active_actor
from citypulse.services.recommendations.queries import upload_url

PAGE_SIZE = 20
BuddyTab = Literal["buddies", "requests", "sent", "blocked"]
TABS: tuple[str, ...] = get_args(BuddyTab)
UNKNOWN_TAB = "Unknown tab"


@dataclass(frozen=True)
class BuddyCounts:
    """The number on each tab."""

    buddies: int
    requests: int
    sent: int
    blocked: int


@dataclass(frozen=True)
class BuddyRow:
    """One person on a tab.

    `at`: buddies since (buddies), asked at (requests, sent) or blocked at (blocked).
    `message`: the request's message on requests and sent, else "".
    """

    user_id: int
    username: str
    full_name: str
    avatar_url: str
    message: str
    at: datetime


@dataclass(frozen=True)
class BuddiesPage:
    """One page of a tab and every tab's count; pass `next_cursor` back for more."""

    tab: BuddyTab
    counts: BuddyCounts
    rows: tuple[BuddyRow, ...]
    next_cursor: str | None


@dataclass(frozen=True)
class _Tab:
    """How one tab reads: the other user's id, the date it sorts on, its row id."""

    source: type
    other_id: Any
    at: Any
    row_id: Any
    message: Any
    where: ColumnElement[bool]
    active_only: bool


def _tab(tab: str, me: int) -> _Tab:
    c = BuddyConnection
    if tab == "blocked":
        return _Tab(Block, Block.blocked_id, Block.created_at, Block.id, literal(""),
                    Block.blocker_id == me, active_only=False)  # fmt: skip
    if tab == "buddies":
        other = case((c.requester_id == me, c.addressee_id), else_=c.requester_id)
        mine = (c.requester_id == me) | (c.addressee_id == me)
        return _Tab(c, other, func.coalesce(c.responded_at, c.requested_at), c.id, literal(""),
                    and_(c.status == BuddyStatus.accepted, mine), active_only=True)  # fmt: skip
    if tab == "requests":
        where = and_(c.status == BuddyStatus.pending, c.addressee_id == me)
        return _Tab(c, c.requester_id, c.requested_at, c.id, c.request_message, where, True)
    where = and_(c.status == BuddyStatus.pending, c.requester_id == me)
    return _Tab(c, c.addressee_id, c.requested_at, c.id, c.request_message, where, True)


def _shown(spec: _Tab) -> tuple[ColumnElement[bool], ...]:
    """Conditions on the joined other `User`: active and verified where the tab asks."""
    if not spec.active_only:
        return ()
    return (User.account_status == AccountStatus.active, User.email_verified_at.is_not(None))


def _count(spec: _Tab) -> Any:
    return (
        select(func.count())
        .select_from(spec.source)
        .join(User, User.id == spec.other_id)
        .where(spec.where, *_shown(spec))
        .scalar_subquery()
    )


def buddy_counts(session: Session, *, viewer: Viewer | None) -> BuddyCounts:
    """Every tab's count for the viewer, in one statement.

    Raises:
        PermissionDenied: signed out, restricted or unverified.
    """
    actor = require_active_actor(session, viewer)
    row = session.execute(select(*(_count(_tab(tab, actor.user_id)) for tab in TABS))).one()
    return BuddyCounts(*row)


def buddies_page(
    session: Session, *, viewer: Viewer | None, tab: str, cursor: str | None = None
) -> BuddiesPage:
    """One page of `tab` ("buddies", "requests", "sent" or "blocked") and all counts.

    An invalid cursor restarts the list.

    Raises:
        PermissionDenied: signed out, restricted or unverified.
        ValidationFailed: an unknown tab (field "tab").
    """
    if tab not in TABS:
        raise ValidationFailed({"tab": UNKNOWN_TAB})
    counts = buddy_counts(session, viewer=viewer)
    assert viewer is not None  # buddy_counts refused visitors
    spec = _tab(tab, viewer.user_id)
    at = spec.at.label("at")
    query = (
        select(
            spec.row_id.label("row_id"),
            at,
            User.id,
            User.username,
            User.full_name,
            Profile.avatar_key,
            spec.message.label("message"),
        )
        .join(User, User.id == spec.other_id)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(spec.where, *_shown(spec))
        .where(keyset_before(spec.at, spec.row_id, keyset_position(cursor)))
        .order_by(spec.at.desc(), spec.row_id.desc())
        .limit(PAGE_SIZE + 1)
    )
    page = keyset_page(
        session.execute(query).all(),
        PAGE_SIZE,
        item=lambda row: BuddyRow(
            user_id=row.id,
            username=row.username,
            full_name=row.full_name,
            avatar_url=upload_url(row.avatar_key),
            message=row.message or "",
            at=row.at,
        ),
        position=lambda row: (row.at, row.row_id),
    )
    return BuddiesPage(tab, counts, tuple(page.items), page.next_cursor)  # type: ignore[arg-type]
