"""The account sections of /settings: view, email preferences, theme, sessions (§2.2, §4.12)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from citypulse.auth.sessions import IssuedSession, active_session, session_start
from citypulse.email.messages import PREFERENCE_CATEGORIES
from citypulse.models import AuthSession, EmailPreferences, User
from citypulse.models.enums import AccountStatus, RevokeReason, Theme
from citypulse.realtime import PENDING_EVENTS, SessionsRevoked
from citypulse.services.accounts.settings import (
    account_settings_view,
    email_preferences_update,
    session_revoke,
    theme_update,
)
from citypulse.services.errors import NotFound, ValidationFailed
from tests.integration.accounts.support import actor, vanished
from tests.integration.support import NOW, count, run_action
from tests.support.factories import create_user

CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0.0.0 Safari/537.36"
DEFAULT_PREFERENCES = {
    "buddy_requests": True,
    "recommendations": True,
    "trips": True,
    "achievements": True,
    "weekly_digest": False,
    "marketing": False,
}


@pytest.fixture
def nora(session: Session) -> User:
    return create_user(session, username="nora", email="nora@example.com")


@pytest.fixture
def otto(session: Session) -> User:
    return create_user(session, username="otto", email="otto@example.com")


def start(session: Session, user: User, *, now=NOW - timedelta(minutes=1)) -> IssuedSession:
    return session_start(
        session,
        user_id=user.id,
        remember_me=False,
        user_agent=CHROME_WINDOWS,
        ip="203.0.113.9",
        now=now,
    )


def preferences(session: Session, user: User) -> dict[str, bool]:
    session.expire_all()
    row = session.exec(select(EmailPreferences).where(EmailPreferences.user_id == user.id)).one()
    return {name: getattr(row, name) for name in PREFERENCE_CATEGORIES}


def open_families(session: Session, user: User) -> set[uuid.UUID]:
    session.expire_all()
    return set(
        session.exec(
            select(AuthSession.family_id).where(
                AuthSession.user_id == user.id, col(AuthSession.revoked_at).is_(None)
            )
        ).all()
    )


# --- account_settings_view -----------------------------------------------------------


def test_the_view_shows_the_owners_account(session: Session, nora: User, otto: User) -> None:
    current = start(session, nora)
    other_browser = start(session, nora, now=NOW - timedelta(minutes=3))
    start(session, otto)

    view = account_settings_view(session, actor=actor(nora, current.family_id), now=NOW)

    assert view.email == "nora@example.com"
    assert view.has_password is True
    assert view.theme == Theme.system
    assert view.status == AccountStatus.active
    assert view.email_preferences == DEFAULT_PREFERENCES
    assert [(s.family_id, s.is_current) for s in view.sessions] == [
        (str(current.family_id), True),
        (str(other_browser.family_id), False),
    ]  # most recent first, and none of Otto's
    assert view.sessions[0].device == "Chrome on Windows"
    assert view.sessions[0].network == "203.0.113.0"


def test_the_view_of_a_google_only_account_has_no_password(session: Session) -> None:
    gia = create_user(session, username="gia", email="gia@example.com", password=None)

    view = account_settings_view(session, actor=actor(gia), now=NOW)

    assert view.has_password is False
    assert view.sessions == []


def test_the_view_leaves_out_expired_and_idle_sessions(session: Session, nora: User) -> None:
    start(session, nora, now=NOW - timedelta(days=8))  # past its 7 days
    start(session, nora, now=NOW - timedelta(minutes=16))  # idle for more than 15 min
    current = start(session, nora)

    view = account_settings_view(session, actor=actor(nora, current.family_id), now=NOW)

    assert [s.family_id for s in view.sessions] == [str(current.family_id)]


def test_a_missing_preferences_row_is_recreated_with_the_defaults(
    session: Session, nora: User
) -> None:
    session.delete(
        session.exec(select(EmailPreferences).where(EmailPreferences.user_id == nora.id)).one()
    )
    session.flush()

    view = account_settings_view(session, actor=actor(nora), now=NOW)

    assert view.email_preferences == DEFAULT_PREFERENCES
    assert count(session, EmailPreferences, EmailPreferences.user_id == nora.id) == 1


def test_the_view_of_an_unknown_user_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        account_settings_view(session, actor=vanished(), now=NOW)


# --- email_preferences_update --------------------------------------------------------


def test_preferences_are_switched(session: Session, nora: User, otto: User) -> None:
    run_action(
        session,
        email_preferences_update,
        actor=actor(nora),
        values={"trips": False, "marketing": True, "weekly_digest": 1},
    )

    assert preferences(session, nora) == {
        **DEFAULT_PREFERENCES,
        "trips": False,
        "marketing": True,
        "weekly_digest": True,
    }
    assert preferences(session, otto) == DEFAULT_PREFERENCES


def test_all_six_preferences_can_be_replaced_at_once(session: Session, nora: User) -> None:
    flipped = {name: not value for name, value in DEFAULT_PREFERENCES.items()}

    run_action(session, email_preferences_update, actor=actor(nora), values=flipped)

    assert preferences(session, nora) == flipped


@pytest.mark.parametrize("key", ["verification", "moderation", "password_hash", "user_id", ""])
def test_an_unknown_preference_is_refused_and_nothing_changes(
    session: Session, nora: User, key: str
) -> None:
    with pytest.raises(ValidationFailed) as error:
        run_action(
            session,
            email_preferences_update,
            actor=actor(nora),
            values={"trips": False, key: False},
        )

    assert error.value.field_errors == {"email_preferences": "Unknown email preference"}
    assert preferences(session, nora) == DEFAULT_PREFERENCES


def test_preferences_of_an_unknown_user_are_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        run_action(session, email_preferences_update, actor=vanished(), values={"trips": False})


# --- theme_update --------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["light", "dark", "system"])
def test_the_theme_is_stored(session: Session, nora: User, theme: str) -> None:
    run_action(session, theme_update, user_id=nora.id, theme=theme)

    session.expire_all()
    assert session.get(User, nora.id).theme == theme


@pytest.mark.parametrize("theme", ["purple", "Dark", "", " dark", "system;"])
def test_an_invalid_theme_is_refused(session: Session, nora: User, theme: str) -> None:
    run_action(session, theme_update, user_id=nora.id, theme="dark")

    with pytest.raises(ValidationFailed) as error:
        run_action(session, theme_update, user_id=nora.id, theme=theme)

    assert error.value.field_errors == {"theme": "Choose Light, Dark or System"}
    session.expire_all()
    assert session.get(User, nora.id).theme == Theme.dark


def test_the_theme_of_an_unknown_user_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        run_action(session, theme_update, user_id=987654, theme="dark")


# --- session_revoke ------------------------------------------------------------------


def test_the_owner_revokes_one_of_their_sessions(session: Session, nora: User) -> None:
    laptop = start(session, nora)
    phone = start(session, nora)

    run_action(session, session_revoke, actor=actor(nora), family_id=str(phone.family_id), now=NOW)

    assert open_families(session, nora) == {laptop.family_id}
    row = session.exec(select(AuthSession).where(AuthSession.family_id == phone.family_id)).one()
    assert (row.revoked_at, row.revoke_reason) == (NOW, RevokeReason.revoked_by_user)
    assert active_session(session, phone.family_id, NOW) is None
    assert SessionsRevoked(nora.id) in session.info.get(PENDING_EVENTS, [])


def test_revoking_a_session_twice_is_harmless(session: Session, nora: User) -> None:
    phone = start(session, nora)
    run_action(session, session_revoke, actor=actor(nora), family_id=str(phone.family_id), now=NOW)

    later = NOW + timedelta(minutes=1)
    run_action(
        session, session_revoke, actor=actor(nora), family_id=str(phone.family_id), now=later
    )

    session.expire_all()
    row = session.exec(select(AuthSession).where(AuthSession.family_id == phone.family_id)).one()
    assert (row.revoked_at, row.revoke_reason) == (NOW, RevokeReason.revoked_by_user)


def test_another_users_session_is_not_found_and_stays(
    session: Session, nora: User, otto: User
) -> None:
    start(session, nora)
    otto_session = start(session, otto)

    with pytest.raises(NotFound, match="Session not found"):
        run_action(
            session,
            session_revoke,
            actor=actor(nora),
            family_id=str(otto_session.family_id),
            now=NOW,
        )

    assert open_families(session, otto) == {otto_session.family_id}
    assert len(open_families(session, nora)) == 1
    assert active_session(session, otto_session.family_id, NOW) is not None


@pytest.mark.parametrize(
    "family_id",
    ["", "not-a-uuid", "123", "' OR 1=1 --", str(uuid.uuid4()), str(uuid.uuid4())[:-1]],
)
def test_a_malformed_or_unknown_session_id_is_not_found(
    session: Session, nora: User, family_id: str
) -> None:
    own = start(session, nora)

    with pytest.raises(NotFound, match="Session not found"):
        run_action(session, session_revoke, actor=actor(nora), family_id=family_id, now=NOW)

    assert open_families(session, nora) == {own.family_id}
