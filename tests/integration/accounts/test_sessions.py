"""Server-side sessions: start, rotation with reuse detection, expiry, idle timeout (§4.1.4, §5.3).

Rotation refusals raise, and the real unit of work then rolls back, so they run through
`run_action`: the revocation that reuse detection performs must survive that.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from citypulse.auth.sessions import (
    IDLE_TIMEOUT,
    IssuedSession,
    SessionInvalid,
    active_session,
    describe_device,
    list_sessions,
    revoke_family,
    revoke_user_sessions,
    session_rotate,
    session_start,
    session_touch,
)
from citypulse.auth.tokens import InvalidToken, issue_access_token, read_access_token, token_hash
from citypulse.models import AuthSession, User
from citypulse.models.enums import AccountStatus, RevokeReason, Role
from citypulse.services.accounts.viewer import established_here, viewer_from_access_token
from tests.integration.support import NOW, run_action, statements
from tests.support.factories import create_user

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def user(session: Session) -> User:
    return create_user(session, username="nora")


def start(
    session: Session,
    user: User,
    *,
    remember_me: bool = False,
    now=NOW,
    user_agent: str | None = CHROME_WINDOWS,
    ip: str | None = "203.0.113.77",
) -> IssuedSession:
    return session_start(
        session, user_id=user.id, remember_me=remember_me, user_agent=user_agent, ip=ip, now=now
    )


def rotate(session: Session, token: str, now=NOW) -> IssuedSession:
    return run_action(session, session_rotate, refresh_token=token, now=now)


def family_rows(session: Session, family_id: uuid.UUID) -> list[AuthSession]:
    session.expire_all()
    return list(
        session.exec(
            select(AuthSession)
            .where(AuthSession.family_id == family_id)
            .order_by(col(AuthSession.id))
        ).all()
    )


# --- start ---------------------------------------------------------------------------


def test_start_stores_only_the_hash_and_the_network(session: Session, user: User) -> None:
    issued = start(session, user)

    [row] = family_rows(session, issued.family_id)
    assert row.user_id == user.id
    assert row.token_hash == token_hash(issued.refresh_token)
    assert issued.refresh_token not in row.token_hash
    assert len(issued.refresh_token) >= 43  # 256 random bits
    assert row.ip_prefix == "203.0.113.0"
    assert row.user_agent == CHROME_WINDOWS
    assert row.last_used_at == NOW
    assert row.revoked_at is None
    claims = read_access_token(issued.access_token, NOW)
    assert (claims.user_id, claims.family_id) == (user.id, issued.family_id)


@pytest.mark.parametrize(
    ("remember_me", "lifetime"), [(False, timedelta(days=7)), (True, timedelta(days=30))]
)
def test_lifetime_is_7_days_or_30_with_remember_me(
    session: Session, user: User, remember_me: bool, lifetime: timedelta
) -> None:
    issued = start(session, user, remember_me=remember_me)

    assert issued.expires_at == NOW + lifetime
    assert issued.max_age_seconds == int(lifetime.total_seconds())
    [row] = family_rows(session, issued.family_id)
    assert (row.remember_me, row.expires_at) == (remember_me, NOW + lifetime)


def test_a_long_user_agent_is_cut_and_a_missing_one_stored_as_null(
    session: Session, user: User
) -> None:
    long_agent = start(session, user, user_agent="x" * 1000)
    no_agent = start(session, user, user_agent=None, ip=None)

    assert family_rows(session, long_agent.family_id)[0].user_agent == "x" * 255
    row = family_rows(session, no_agent.family_id)[0]
    assert (row.user_agent, row.ip_prefix) == (None, None)


def test_each_start_opens_its_own_family(session: Session, user: User) -> None:
    first, second = start(session, user), start(session, user)
    assert first.family_id != second.family_id
    assert first.refresh_token != second.refresh_token


# --- rotation and reuse detection ----------------------------------------------------


def test_rotation_replaces_the_token_within_the_family(session: Session, user: User) -> None:
    issued = start(session, user, remember_me=True)

    rotated = rotate(session, issued.refresh_token, NOW + timedelta(minutes=5))

    assert rotated.family_id == issued.family_id
    assert rotated.refresh_token != issued.refresh_token
    assert rotated.expires_at == issued.expires_at  # rotation never extends the family
    assert rotated.max_age_seconds == issued.max_age_seconds - 5 * 60
    old, new = family_rows(session, issued.family_id)
    assert (old.revoke_reason, old.replaced_by_id) == (RevokeReason.rotated, new.id)
    assert new.revoked_at is None
    assert new.token_hash == token_hash(rotated.refresh_token)
    assert active_session(session, issued.family_id, NOW + timedelta(minutes=5)).id == new.id


def test_rotation_is_not_activity_for_the_idle_timeout(session: Session, user: User) -> None:
    issued = start(session, user)
    rotated = rotate(session, issued.refresh_token, NOW + timedelta(minutes=10))

    assert active_session(session, issued.family_id, NOW + IDLE_TIMEOUT) is None
    with pytest.raises(SessionInvalid):
        rotate(session, rotated.refresh_token, NOW + IDLE_TIMEOUT)


def test_reusing_a_rotated_token_revokes_the_whole_family(session: Session, user: User) -> None:
    issued = start(session, user, remember_me=True)
    other = start(session, user, remember_me=True)
    first = rotate(session, issued.refresh_token, NOW + timedelta(minutes=1))
    second = rotate(session, first.refresh_token, NOW + timedelta(minutes=2))

    with pytest.raises(SessionInvalid):
        rotate(session, issued.refresh_token, NOW + timedelta(minutes=3))  # the stolen copy

    rows = family_rows(session, issued.family_id)
    assert all(row.revoked_at is not None for row in rows)
    assert rows[-1].revoke_reason == RevokeReason.reuse_detected
    assert rows[-1].revoked_at == NOW + timedelta(minutes=3)
    assert active_session(session, issued.family_id, NOW + timedelta(minutes=3)) is None
    with pytest.raises(SessionInvalid):  # the legitimate holder is signed out too
        rotate(session, second.refresh_token, NOW + timedelta(minutes=4))
    # Other families of the same user are untouched.
    assert active_session(session, other.family_id, NOW + timedelta(minutes=4)) is not None


def test_unknown_tokens_are_refused(session: Session, user: User) -> None:
    start(session, user)
    for token in ("", "nonsense", "A" * 43):
        with pytest.raises(SessionInvalid):
            rotate(session, token)


def test_a_token_revoked_by_logout_is_refused(session: Session, user: User) -> None:
    issued = start(session, user, remember_me=True)
    revoke_family(session, issued.family_id, RevokeReason.logout, NOW)

    with pytest.raises(SessionInvalid):
        rotate(session, issued.refresh_token, NOW + timedelta(minutes=1))

    [row] = family_rows(session, issued.family_id)
    assert row.revoke_reason == RevokeReason.logout  # not mistaken for reuse


# --- expiry and idle timeout ---------------------------------------------------------


def test_a_remember_me_session_expires_after_30_days_and_is_never_idle(
    session: Session, user: User
) -> None:
    issued = start(session, user, remember_me=True)

    assert active_session(session, issued.family_id, NOW + timedelta(days=29, hours=23))
    rotated = rotate(session, issued.refresh_token, NOW + timedelta(days=29, hours=23))
    assert active_session(session, issued.family_id, NOW + timedelta(days=30)) is None
    with pytest.raises(SessionInvalid):
        rotate(session, rotated.refresh_token, NOW + timedelta(days=30))
    assert family_rows(session, issued.family_id)[-1].revoked_at is not None


def test_a_plain_session_expires_after_7_days_even_when_active(
    session: Session, user: User
) -> None:
    issued = start(session, user)
    [row] = family_rows(session, issued.family_id)
    row.last_used_at = NOW + timedelta(days=7) - timedelta(minutes=1)  # busy until the end
    session.add(row)

    assert active_session(session, issued.family_id, NOW + timedelta(days=7, seconds=-1))
    assert active_session(session, issued.family_id, NOW + timedelta(days=7)) is None
    with pytest.raises(SessionInvalid):
        rotate(session, issued.refresh_token, NOW + timedelta(days=7))


def test_a_plain_session_ends_after_15_idle_minutes(session: Session, user: User) -> None:
    issued = start(session, user)

    assert active_session(session, issued.family_id, NOW + timedelta(minutes=14, seconds=59))
    assert active_session(session, issued.family_id, NOW + timedelta(minutes=15)) is None
    with pytest.raises(SessionInvalid):
        rotate(session, issued.refresh_token, NOW + timedelta(minutes=15))
    [row] = family_rows(session, issued.family_id)
    assert row.revoked_at == NOW + timedelta(minutes=15)


def test_activity_restarts_the_idle_timeout(session: Session, user: User) -> None:
    issued = start(session, user)

    row = active_session(session, issued.family_id, NOW + timedelta(minutes=14))
    session_touch(session, row, NOW + timedelta(minutes=14))

    assert active_session(session, issued.family_id, NOW + timedelta(minutes=28))
    assert active_session(session, issued.family_id, NOW + timedelta(minutes=29)) is None


def test_touches_are_throttled_to_one_per_minute(session: Session, user: User) -> None:
    issued = start(session, user)
    row = active_session(session, issued.family_id, NOW)

    session_touch(session, row, NOW + timedelta(seconds=59))
    assert row.last_used_at == NOW
    session_touch(session, row, NOW + timedelta(minutes=1))
    assert row.last_used_at == NOW + timedelta(minutes=1)


def test_remember_me_sessions_have_no_idle_limit(session: Session, user: User) -> None:
    issued = start(session, user, remember_me=True)

    later = NOW + timedelta(days=3)
    assert active_session(session, issued.family_id, later) is not None
    assert rotate(session, issued.refresh_token, later).family_id == issued.family_id


# --- revoking and listing ------------------------------------------------------------


def test_revoke_user_sessions_can_keep_one_family(session: Session, user: User) -> None:
    keep, drop_a, drop_b = (start(session, user) for _ in range(3))
    other_user = create_user(session, username="otto")
    untouched = start(session, other_user)

    revoked = revoke_user_sessions(
        session, user.id, RevokeReason.password_changed, NOW, keep_family=keep.family_id
    )

    assert set(revoked) == {drop_a.family_id, drop_b.family_id}
    assert active_session(session, keep.family_id, NOW) is not None
    assert active_session(session, untouched.family_id, NOW) is not None
    for issued in (drop_a, drop_b):
        [row] = family_rows(session, issued.family_id)
        assert (row.revoke_reason, row.revoked_at) == (RevokeReason.password_changed, NOW)


def test_revoke_user_sessions_without_keep_revokes_all(session: Session, user: User) -> None:
    families = [start(session, user).family_id for _ in range(2)]

    assert set(revoke_user_sessions(session, user.id, RevokeReason.logout_all, NOW)) == set(
        families
    )
    assert all(active_session(session, family, NOW) is None for family in families)
    assert revoke_user_sessions(session, user.id, RevokeReason.logout_all, NOW) == []


def test_list_sessions_shows_device_network_and_the_current_one(
    session: Session, user: User
) -> None:
    phone = start(session, user, remember_me=True, user_agent=SAFARI_IPHONE, ip="2001:db8:1:2::9")
    desk = start(session, user, now=NOW + timedelta(minutes=2))
    gone = start(session, user, now=NOW + timedelta(minutes=1))
    revoke_family(session, gone.family_id, RevokeReason.revoked_by_user, NOW)

    listed = list_sessions(session, user, desk.family_id, NOW + timedelta(minutes=3))

    assert [(s.family_id, s.is_current) for s in listed] == [
        (str(desk.family_id), True),  # most recently used first
        (str(phone.family_id), False),
    ]
    assert (listed[0].device, listed[0].network) == ("Chrome on Windows", "203.0.113.0")
    assert (listed[1].device, listed[1].network) == ("Safari on iOS", "2001:db8:1::")
    assert (listed[0].remember_me, listed[1].remember_me) == (False, True)
    assert listed[0].last_seen == NOW + timedelta(minutes=2)
    assert listed[1].signed_in is not None


def test_list_sessions_leaves_out_idle_and_expired_sessions(session: Session, user: User) -> None:
    idle = start(session, user)
    kept = start(session, user, remember_me=True)

    listed = list_sessions(session, user, None, NOW + timedelta(minutes=20))

    assert [s.family_id for s in listed] == [str(kept.family_id)]
    assert str(idle.family_id) not in {s.family_id for s in listed}
    assert list_sessions(session, user, None, NOW + timedelta(days=31)) == []


def test_a_rotated_family_is_listed_once(session: Session, user: User) -> None:
    issued = start(session, user, remember_me=True)
    rotate(session, issued.refresh_token, NOW + timedelta(minutes=1))
    listed = list_sessions(session, user, issued.family_id, NOW + timedelta(minutes=2))
    assert [s.family_id for s in listed] == [str(issued.family_id)]


# --- an access token is never a refresh token, and vice versa ------------------------


def test_an_access_token_is_never_accepted_as_a_refresh_token(session: Session, user: User) -> None:
    issued = start(session, user)
    with pytest.raises(SessionInvalid):
        rotate(session, issued.access_token, NOW + timedelta(minutes=1))
    assert active_session(session, issued.family_id, NOW + timedelta(minutes=1)) is not None


def test_a_refresh_token_is_never_accepted_as_an_access_token(session: Session, user: User) -> None:
    issued = start(session, user)
    with pytest.raises(InvalidToken):
        read_access_token(issued.refresh_token, NOW)
    with pytest.raises(InvalidToken):
        read_access_token(issued.refresh_token, NOW, allow_expired=True)


# --- device descriptions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("agent", "device"),
    [
        (CHROME_WINDOWS, "Chrome on Windows"),
        (SAFARI_IPHONE, "Safari on iOS"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0",
            "Firefox on macOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
            "Firefox on Linux",
        ),
        ("curl/8.5.0", "Unknown browser"),
        ("", "Unknown"),
        (None, "Unknown"),
    ],
)
def test_describe_device(agent: str | None, device: str) -> None:
    assert describe_device(agent) == device


# --- the viewer of every event: one statement, activity written at most once a minute --


def test_the_viewer_is_one_statement_and_activity_is_written_once_a_minute(
    session: Session, user: User
) -> None:
    issued = start(session, user)
    session.commit()

    with statements(session) as sent:
        viewer = viewer_from_access_token(session, issued.access_token, NOW + timedelta(seconds=30))
    assert len(sent) == 1 and sent[0].lstrip().startswith("SELECT")
    assert viewer.idle_deadline == NOW + IDLE_TIMEOUT  # not due: nothing written

    later = NOW + timedelta(minutes=5)
    with statements(session) as sent:
        viewer = viewer_from_access_token(session, issued.access_token, later)
    assert [s.split()[0] for s in sent] == ["SELECT", "UPDATE"]
    assert viewer.idle_deadline == later + IDLE_TIMEOUT
    session.expire_all()
    assert family_rows(session, issued.family_id)[0].last_used_at == later

    with statements(session) as sent:
        viewer_from_access_token(session, issued.access_token, later + timedelta(minutes=3),
                                 touch=False)  # fmt: skip
    assert len(sent) == 1  # the idle watcher never counts as activity
    # Activity restarted the 15 minutes: the session outlives the first deadline.
    survivor = viewer_from_access_token(session, issued.access_token, NOW + timedelta(minutes=16),
                                        live_connection=True)  # fmt: skip
    assert survivor is not None


def test_the_viewer_carries_role_status_and_verification_as_stored(
    session: Session, user: User
) -> None:
    issued = start(session, user, remember_me=True)
    viewer = viewer_from_access_token(session, issued.access_token, NOW)
    assert (viewer.user_id, viewer.username, viewer.family_id) == (
        user.id,
        "nora",
        issued.family_id,
    )
    assert viewer.email_verified and viewer.is_active and not viewer.is_restricted
    assert viewer.idle_deadline is None

    user.email_verified_at, user.role = None, Role.moderator
    user.account_status = AccountStatus.suspended
    session.flush()
    viewer = viewer_from_access_token(session, issued.access_token, NOW)
    assert not viewer.email_verified and viewer.is_restricted and not viewer.is_active
    assert viewer.is_moderator

    user.account_status = AccountStatus.deactivated
    session.flush()
    assert viewer_from_access_token(session, issued.access_token, NOW) is None


def test_no_viewer_for_revoked_expired_or_foreign_sessions(session: Session, user: User) -> None:
    issued = start(session, user)
    assert viewer_from_access_token(session, None, NOW) is None
    assert viewer_from_access_token(session, "not-a-token", NOW) is None
    other = create_user(session, username="otto")
    forged = issue_access_token(other.id, issued.family_id, NOW)  # someone else's family
    assert viewer_from_access_token(session, forged, NOW) is None
    revoke_family(session, issued.family_id, RevokeReason.logout, NOW)
    assert viewer_from_access_token(session, issued.access_token, NOW) is None
    lasting = start(session, user, remember_me=True)
    too_late = NOW + timedelta(days=30)
    assert viewer_from_access_token(session, lasting.access_token, too_late,
                                    live_connection=True) is None  # fmt: skip


def test_the_viewer_is_trusted_only_in_the_transaction_that_read_it(
    session: Session, user: User
) -> None:
    issued = start(session, user)
    viewer = viewer_from_access_token(session, issued.access_token, NOW)
    assert established_here(session, viewer)
    assert not established_here(session, replace(viewer))  # an equal copy is not it
    session.commit()
    assert not established_here(session, viewer)  # a later transaction re-reads it
