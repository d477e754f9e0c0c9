"""Actor checks every domain shares: signed in, active, verified, not restricted.

Status and role are never trusted stale (§1.5). The viewer that the event path reads at
the start of the action's transaction already is the current state, so checks on it
cost nothing; any other `Viewer` (kept from an earlier transaction, built by a job or a
test) is re-read here with one small statement before it is trusted. Blocks are a
relation between two users, applied in SQL by the visibility rule and `social.graph`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlmodel import Session

from citypulse.models import User
from citypulse.models.enums import AccountStatus, Role
from citypulse.services.accounts.viewer import Viewer, established_here
from citypulse.services.errors import PermissionDenied
from citypulse.services.prepared import Prepared

SIGN_IN = "Sign in to continue"
RESTRICTED = "Your account is restricted"
UNVERIFIED = "Verify your email address first"


@dataclass(frozen=True)
class Standing:
    """What the policies need to know about an account, as stored right now."""

    status: str
    email_verified: bool
    role: str

    @property
    def is_active(self) -> bool:
        """Active status and a verified email (PRODUCT.md conventions: "active user")."""
        return self.status == AccountStatus.active and self.email_verified

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.moderator, Role.admin)


_STANDING = Prepared(
    select(
        User.account_status,
        User.email_verified_at.is_not(None).label("email_verified"),
        User.role,
    ).where(User.id == bindparam("user_id"))
)


def standing_of(session: Session, user_id: int) -> Standing | None:
    """The account's current standing (None when the account does not exist)."""
    row = _STANDING.run(session, user_id=user_id).first()
    return None if row is None else Standing(row.account_status, row.email_verified, row.role)


def current_standing(session: Session, viewer: Viewer) -> Standing | None:
    """The viewer's standing now: free for the viewer of this transaction, else re-read."""
    if established_here(session, viewer):
        return Standing(viewer.status, viewer.email_verified, viewer.role)
    return standing_of(session, viewer.user_id)


def require_active_actor(
    session: Session,
    actor: Viewer | None,
    *,
    restricted: str = RESTRICTED,
    unverified: str = UNVERIFIED,
) -> Viewer:
    """The actor, when they may act: signed in, active (not suspended/banned) and verified.

    Raises:
        PermissionDenied: signed out (`SIGN_IN`), not active (`restricted`) or not
            verified (`unverified`); callers may word the last two their own way.
    """
    if actor is None:
        raise PermissionDenied(SIGN_IN)
    if actor.status != AccountStatus.active:
        raise PermissionDenied(restricted)  # already refused by what the viewer says
    standing = current_standing(session, actor)
    if standing is None or standing.status != AccountStatus.active:
        raise PermissionDenied(restricted)
    if not standing.email_verified:
        raise PermissionDenied(unverified)
    return actor


def is_moderator_now(session: Session, viewer: Viewer | None) -> bool:
    """An active moderator or admin right now (a demoted moderator loses access at once)."""
    if viewer is None:
        return False
    standing = current_standing(session, viewer)
    return (
        standing is not None and standing.is_moderator and standing.status == AccountStatus.active
    )


def is_active_user(session: Session, user_id: int) -> bool:
    """True when the account exists, is active and verified (content owners, raters)."""
    standing = standing_of(session, user_id)
    return standing is not None and standing.is_active


def is_active_account(user: User) -> bool:
    """`is_active_user` for an account row the caller already loaded."""
    return user.account_status == AccountStatus.active and user.email_verified_at is not None
