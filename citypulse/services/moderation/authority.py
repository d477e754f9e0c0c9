"""Who may moderate, and whom (PRODUCT.md §1.5, §4.13.10): the one check every
moderation service runs before it changes anything.

- Only an active moderator or admin, as stored right now, may use moderation; to anyone
  else the moderator surface does not exist (`NotFound`, the 404 of §2 "M").
- Moderators act on `user` accounts and their content; admins also on moderators.
- Nobody acts on an admin or on themselves (their own account, content, reports they
  filed, reports about their own content, appeals of their own actions).
- A nonexistent user is "User not found".
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from citypulse.models import User
from citypulse.models.enums import AccountStatus, Role
from citypulse.params import parse_id
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound, PermissionDenied
from citypulse.services.policies import current_standing

USER_NOT_FOUND = "User not found"
NOT_ON_SELF = "You cannot moderate your own account or content"
NOT_ON_ADMIN = "Admins cannot be moderated"
NOT_ON_MODERATOR = "Only an admin can act on a moderator"
OWN_REPORT = "You cannot handle a report you filed"
ADMIN_ONLY = "Only an admin can do this"


@dataclass(frozen=True)
class Moderator:
    """The acting moderator or admin, confirmed in this transaction."""

    viewer: Viewer
    is_admin: bool

    @property
    def user_id(self) -> int:
        return self.viewer.user_id


@dataclass(frozen=True)
class ModeratedUser:
    """The account an action targets, as stored when it was checked (row locked if asked)."""

    user_id: int
    username: str
    role: str
    status: str


def require_moderator(session: Session, actor: Viewer | None) -> Moderator:
    """The actor as an active moderator or admin right now (a demotion counts at once).

    Raises:
        NotFound: signed out, not a moderator or admin, or not active (moderator pages
            and their actions do not exist for them).
    """
    if actor is None:
        raise NotFound()
    standing = current_standing(session, actor)
    if (
        standing is None
        or not standing.is_moderator
        or standing.status != AccountStatus.active
        or not standing.email_verified
    ):
        raise NotFound()
    return Moderator(actor, standing.role == Role.admin)


def require_admin(session: Session, actor: Viewer | None) -> Moderator:
    """The actor as an active admin right now.

    Raises:
        NotFound: not a moderator or admin at all.
        PermissionDenied: a moderator but not an admin (`ADMIN_ONLY`).
    """
    moderator = require_moderator(session, actor)
    if not moderator.is_admin:
        raise PermissionDenied(ADMIN_ONLY)
    return moderator


def refusal_for(moderator: Moderator, target_id: int, target_role: str) -> str | None:
    """Why `moderator` may not act on an account of `target_role` (None: they may).

    Pure: lists and panels use it to offer only the actions the services accept.
    """
    if target_id == moderator.user_id:
        return NOT_ON_SELF
    if target_role == Role.admin:
        return NOT_ON_ADMIN
    if target_role == Role.moderator and not moderator.is_admin:
        return NOT_ON_MODERATOR
    return None


def require_may_act_on(
    session: Session, moderator: Moderator, target_user_id: int | None, *, lock: bool = False
) -> ModeratedUser:
    """The target account, when `moderator` may act on it or on its content.

    Args:
        lock: Take the user row `FOR UPDATE` (sanctions that change the account's status).

    Raises:
        NotFound: no such user ("User not found").
        PermissionDenied: themselves, an admin, or a moderator when not an admin.
    """
    if not isinstance(target_user_id, int) or parse_id(target_user_id) is None:
        raise NotFound(USER_NOT_FOUND)
    query = select(User.id, User.username, User.role, User.account_status).where(
        User.id == target_user_id
    )
    row = session.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound(USER_NOT_FOUND)
    if refusal := refusal_for(moderator, row.id, row.role):
        raise PermissionDenied(refusal)
    return ModeratedUser(row.id, row.username, row.role, row.account_status)


def require_may_handle_report(
    session: Session, moderator: Moderator, *, reporter_id: int | None, owner_id: int
) -> ModeratedUser:
    """A report the moderator may handle: not filed by them, about someone they may act on.

    Raises:
        PermissionDenied: their own report or own content, an admin's or (for a
            moderator) another moderator's content.
        NotFound: the content's owner no longer exists.
    """
    if reporter_id is not None and reporter_id == moderator.user_id:
        raise PermissionDenied(OWN_REPORT)
    return require_may_act_on(session, moderator, owner_id)
