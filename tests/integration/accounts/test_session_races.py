"""Concurrent refreshes from sibling tabs, and which access tokens each channel accepts."""

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.auth.sessions import (
    ROTATION_GRACE,
    SessionInvalid,
    SessionJustRotated,
    active_session,
    session_rotate,
    session_start,
)
from citypulse.auth.tokens import ACCESS_TOKEN_LIFETIME
from citypulse.services.accounts.viewer import viewer_from_access_token
from tests.integration.support import NOW, run_action
from tests.support.factories import create_user


def start(session: Session, remember_me: bool = False):
    user = create_user(session, username="tabby")
    issued = session_start(
        session, user_id=user.id, remember_me=remember_me, user_agent=None, ip=None, now=NOW
    )
    return user, issued


def test_sibling_tab_presenting_the_same_token_just_after_rotation_is_not_theft(
    session: Session,
) -> None:
    _, issued = start(session, remember_me=True)
    run_action(session, session_rotate, refresh_token=issued.refresh_token, now=NOW)
    with pytest.raises(SessionJustRotated):
        run_action(
            session, session_rotate, refresh_token=issued.refresh_token,
            now=NOW + timedelta(seconds=5),
        )  # fmt: skip
    assert active_session(session, issued.family_id, NOW + timedelta(seconds=5)) is not None


def test_presenting_it_after_the_grace_period_is_reuse(session: Session) -> None:
    _, issued = start(session, remember_me=True)
    run_action(session, session_rotate, refresh_token=issued.refresh_token, now=NOW)
    later = NOW + ROTATION_GRACE + timedelta(seconds=1)
    with pytest.raises(SessionInvalid):
        run_action(session, session_rotate, refresh_token=issued.refresh_token, now=later)
    assert active_session(session, issued.family_id, later) is None


def test_http_needs_a_fresh_access_token_but_the_live_connection_follows_the_session(
    session: Session,
) -> None:
    user, issued = start(session, remember_me=True)
    after_expiry = NOW + ACCESS_TOKEN_LIFETIME + timedelta(minutes=1)
    assert viewer_from_access_token(session, issued.access_token, NOW).user_id == user.id
    assert viewer_from_access_token(session, issued.access_token, after_expiry) is None
    live = viewer_from_access_token(
        session, issued.access_token, after_expiry, live_connection=True
    )
    assert live is not None and live.user_id == user.id
    assert live.idle_deadline is None  # remember me: no idle sign-out


def test_idle_deadline_is_fifteen_minutes_after_last_activity(session: Session) -> None:
    _, issued = start(session, remember_me=False)
    viewer = viewer_from_access_token(session, issued.access_token, NOW, touch=False)
    assert viewer.idle_deadline == NOW + timedelta(minutes=15)
    idle = NOW + timedelta(minutes=15)
    assert (
        viewer_from_access_token(session, issued.access_token, idle, live_connection=True) is None
    )
