"""The shared actor checks (`services.policies`): never trusting a stale status or role."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import Session

from citypulse.auth.sessions import session_start
from citypulse.models import User
from citypulse.models.enums import AccountStatus, Role
from citypulse.services.accounts.viewer import Viewer, viewer_from_access_token
from citypulse.services.errors import PermissionDenied
from citypulse.services.policies import (
    RESTRICTED,
    SIGN_IN,
    UNVERIFIED,
    is_active_account,
    is_active_user,
    is_moderator_now,
    require_active_actor,
)
from tests.integration.support import NOW, statements
from tests.support.factories import create_user


def signed_in(session: Session, user: User) -> Viewer:
    """The viewer as the event path reads it, in the session's current transaction."""
    issued = session_start(
        session, user_id=user.id, remember_me=True, user_agent=None, ip=None, now=NOW
    )
    return viewer_from_access_token(session, issued.access_token, NOW)


def kept(user: User, **changes: object) -> Viewer:
    """A Viewer built outside this transaction (e.g. kept from an earlier event)."""
    viewer = Viewer(user.id, user.username, user.full_name, user.role, user.account_status,
                    None, None, email_verified=user.email_verified_at is not None)  # fmt: skip
    return replace(viewer, **changes)


def test_the_viewer_of_this_transaction_is_checked_without_a_query(session: Session) -> None:
    viewer = signed_in(session, create_user(session, username="po_ann"))
    with statements(session) as sent:
        assert require_active_actor(session, viewer) is viewer
    assert sent == []


def test_any_other_viewer_is_re_read(session: Session) -> None:
    user = create_user(session, username="po_ben")
    stale = kept(user)
    user.account_status = AccountStatus.banned
    session.flush()
    with statements(session) as sent, pytest.raises(PermissionDenied) as refused:
        require_active_actor(session, stale)
    assert refused.value.message == RESTRICTED and len(sent) == 1
    user.account_status, user.email_verified_at = AccountStatus.active, None
    session.flush()
    with pytest.raises(PermissionDenied) as refused:
        require_active_actor(session, stale)
    assert refused.value.message == UNVERIFIED


@pytest.mark.parametrize("status", [AccountStatus.suspended, AccountStatus.banned])
def test_restricted_signed_out_and_unverified_actors(session: Session, status) -> None:
    with pytest.raises(PermissionDenied) as refused:
        require_active_actor(session, None)
    assert refused.value.message == SIGN_IN
    user = create_user(session, username="po_cat", status=status)
    with pytest.raises(PermissionDenied) as refused:
        require_active_actor(session, signed_in(session, user))
    assert refused.value.message == RESTRICTED
    unverified = create_user(session, username="po_dan", verified=False)
    with pytest.raises(PermissionDenied) as refused:
        require_active_actor(session, signed_in(session, unverified), unverified="Verify first")
    assert refused.value.message == "Verify first"  # callers may word it their way
    missing = kept(unverified, user_id=987_654_321, email_verified=True)
    with pytest.raises(PermissionDenied):
        require_active_actor(session, missing)


def test_moderators_are_moderators_only_while_active_and_in_role(session: Session) -> None:
    mod = create_user(session, username="po_mod", role=Role.moderator)
    assert is_moderator_now(session, signed_in(session, mod))
    assert not is_moderator_now(session, None)
    demoted = kept(mod)
    mod.role = Role.user
    session.flush()
    assert not is_moderator_now(session, demoted)  # the role is re-read (§1.5)
    mod.role, mod.account_status = Role.admin, AccountStatus.suspended
    session.flush()
    assert not is_moderator_now(session, kept(mod))


def test_active_users_and_accounts(session: Session) -> None:
    active = create_user(session, username="po_eve")
    unverified = create_user(session, username="po_fay", verified=False)
    suspended = create_user(session, username="po_gus", status=AccountStatus.suspended)
    assert is_active_user(session, active.id) and is_active_account(active)
    for user in (unverified, suspended):
        assert not is_active_user(session, user.id) and not is_active_account(user)
    assert not is_active_user(session, 987_654_321)
