"""Role change (§4.13.13): admin only, user ↔ moderator, audited, immediate."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from citypulse.models import User
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.moderation.authority import ADMIN_ONLY, NOT_ON_ADMIN, NOT_ON_SELF
from citypulse.services.moderation.events import AccountStandingChanged
from citypulse.services.moderation.roles import role_change
from citypulse.services.policies import is_moderator_now
from tests.integration.moderation.support import NOW, act, audit_rows, make_cast, viewer
from tests.support.factories import create_user

REASON = "Trusted community member for a year"


def change(session: Session, actor: User | None, target_id: int, role: str, reason=REASON):
    return act(session, role_change, actor=viewer(actor) if actor else None, user_id=target_id,
               role=role, reason=reason, now=NOW)  # fmt: skip


def role_of(session: Session, user: User) -> str:
    session.expire_all()
    return session.get(User, user.id).role


def test_admin_promotes_and_demotes_at_once(session: Session) -> None:
    cast = make_cast(session)
    bob = viewer(cast.bob)  # kept from before: the role is re-read, not trusted
    _, events = change(session, cast.admin, cast.bob.id, "moderator")
    assert role_of(session, cast.bob) == "moderator"
    assert AccountStandingChanged(cast.bob.id) in events
    assert is_moderator_now(session, bob)
    [entry] = audit_rows(session)
    assert (entry.action_type, entry.actor_id, entry.details) == (
        "role_change", cast.admin.id, {"from": "user", "to": "moderator"})  # fmt: skip
    change(session, cast.admin, cast.bob.id, "user", "Stepped back from moderating")
    assert role_of(session, cast.bob) == "user" and not is_moderator_now(session, bob)
    with pytest.raises(Conflict):
        change(session, cast.admin, cast.bob.id, "user")


@pytest.mark.parametrize(
    ("actor", "target", "role", "error", "message"),
    [
        (None, "bob", "moderator", NotFound, None),
        ("bob", "alice", "moderator", NotFound, None),
        ("mod", "bob", "moderator", PermissionDenied, ADMIN_ONLY),
        ("mod", "mod", "user", PermissionDenied, ADMIN_ONLY),
        ("admin", "admin", "user", PermissionDenied, NOT_ON_SELF),
        ("admin", "bob", "admin", ValidationFailed, None),
    ],
)
def test_refusals_change_nothing_and_leave_no_audit_entry(
    session: Session, actor, target, role, error, message
) -> None:
    cast = make_cast(session)
    before = {u.id: u.role for u in (cast.alice, cast.bob, cast.mod, cast.admin)}
    with pytest.raises(error, match=message):
        change(session, getattr(cast, actor) if actor else None, getattr(cast, target).id, role)
    session.expire_all()
    assert {i: session.get(User, i).role for i in before} == before
    assert audit_rows(session) == []


def test_another_admin_and_unknown_users(session: Session) -> None:
    cast = make_cast(session)
    other = create_user(session, username="m_admin2", role="admin")
    with pytest.raises(PermissionDenied, match=NOT_ON_ADMIN):
        change(session, cast.admin, other.id, "user")
    with pytest.raises(NotFound, match="User not found"):
        change(session, cast.admin, 10**9, "moderator")
    with pytest.raises(ValidationFailed):
        change(session, cast.admin, cast.bob.id, "moderator", reason="")
    assert audit_rows(session) == []
