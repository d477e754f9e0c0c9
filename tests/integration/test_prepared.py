"""`services.prepared`: Core statements compiled once, run with the session's transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, select
from sqlmodel import Session

from citypulse.models import User
from citypulse.models.enums import AccountStatus
from citypulse.services.prepared import PerViewer, Prepared
from tests.integration.support import statements
from tests.support.factories import create_user

BY_STATUS = Prepared(
    select(User.username)
    .where(
        User.account_status.in_([AccountStatus.active, AccountStatus.suspended]),
        User.username.startswith(bindparam("prefix")),
    )
    .order_by(User.username)
)


def test_constants_and_enum_lists_are_bound_once_values_per_call(session: Session) -> None:
    create_user(session, username="pr_a")
    create_user(session, username="pr_b", status=AccountStatus.suspended)
    create_user(session, username="pr_c", status=AccountStatus.banned)
    assert BY_STATUS.names == {"prefix"}
    assert BY_STATUS.run(session, prefix="pr_").scalars().all() == ["pr_a", "pr_b"]
    assert BY_STATUS.run(session, prefix="none_").scalars().all() == []


def test_pending_orm_changes_are_flushed_first(session: Session) -> None:
    user = User(username="pr_pending", email="pr_pending@example.com", full_name="Pat Pending")
    session.add(user)  # not flushed yet
    assert BY_STATUS.run(session, prefix="pr_pending").scalars().all() == ["pr_pending"]


def test_a_missing_value_is_refused_before_anything_is_sent(session: Session) -> None:
    with statements(session) as sent, pytest.raises(TypeError, match="prefix"):
        BY_STATUS.run(session)
    assert sent == []


def test_per_viewer_runs_the_variant_for_visitors_or_the_viewer(session: Session) -> None:
    user = create_user(session, username="pr_self")
    me = PerViewer(
        lambda viewer: select(
            User.username if viewer is None else (User.id == viewer).label("is_me")
        ).where(User.id == bindparam("user_id"))
    )
    assert me.run(session, None, user_id=user.id).scalar() == "pr_self"
    assert me.run(session, user.id, user_id=user.id).scalar() is True
    assert me.run(session, user.id + 1, user_id=user.id).scalar() is False
