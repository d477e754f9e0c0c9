"""Role change (PRODUCT.md §4.13.13): admin only, user ↔ moderator, with a reason.

Audited, and immediate: role is read from the database on every request and event
(§1.5), and `AccountStandingChanged` makes the user's open tabs re-check their session
at once, so a promoted user sees Moderator tools without signing in again (§7.32) and
a demoted one loses the moderator pages.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col

from citypulse.models import User
from citypulse.models.enums import ActionType, Role, TargetType
from citypulse.realtime import publish_after_commit
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import Conflict, ValidationFailed
from citypulse.services.moderation import audit
from citypulse.services.moderation.authority import require_admin, require_may_act_on
from citypulse.services.moderation.events import AccountStandingChanged
from citypulse.services.moderation.restrictions import checked_text

ASSIGNABLE = (Role.user, Role.moderator)  # admins are made by an operator command only
ROLE_INVALID = "Choose user or moderator"
UNCHANGED = "The user already has this role"


def role_change(
    session: Session, *, actor: Viewer | None, user_id: int, role: str, reason: str, now: datetime
) -> None:
    """Make a user a moderator or a moderator a user.

    Raises:
        NotFound: not a moderator or admin; "User not found".
        PermissionDenied: a moderator ("Only an admin can do this"); the target is the
            admin themselves or another admin.
        ValidationFailed: a role other than user/moderator; reason not 10–1000.
        Conflict: the user already has that role.
    """
    admin = require_admin(session, actor)
    target = require_may_act_on(session, admin, user_id, lock=True)
    if role not in ASSIGNABLE:
        raise ValidationFailed({"role": ROLE_INVALID})
    text = checked_text(reason)
    if target.role == role:
        raise Conflict(UNCHANGED)
    session.execute(
        update(User).where(col(User.id) == target.user_id).values(role=role, updated_at=now)
    )
    audit.record(
        session, actor=admin.viewer, action_type=ActionType.role_change,
        target_type=TargetType.user, target_id=target.user_id, target_user_id=target.user_id,
        reason=text, details={"from": target.role, "to": role}, now=now,
    )  # fmt: skip
    publish_after_commit(session, AccountStandingChanged(target.user_id))
