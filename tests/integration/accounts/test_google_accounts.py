"""Google sign-in account rules: match, link, create, and the account-state rules (§4.1.5).

Only an identity already verified by `citypulse.auth.google` reaches `google_sign_in`, so
these tests build `GoogleIdentity` values directly. Every call goes through `run_action`:
a refusal raises and the real unit of work rolls back, so the purge must survive that.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from citypulse.auth.google import GoogleIdentity
from citypulse.auth.sessions import active_session, session_start
from citypulse.models import AuthSession, EmailPreferences, Profile, TravelPreferences, User
from citypulse.models.enums import AccountStatus, RevokeReason, Role, Theme
from citypulse.realtime import PENDING_EVENTS, SessionsRevoked
from citypulse.services.accounts import google as google_accounts
from citypulse.services.accounts.google import generated_username, google_sign_in
from citypulse.services.accounts.login import LoginOutcome, LoginRefused
from tests.integration.support import NOW, count, outbox, run_action
from tests.support.factories import create_user

GENERATED = re.compile(r"^[a-z0-9_]{1,20}_[0-9a-z]{6}$")


def identity(
    email: str = "nora@example.com", *, sub: str = "google-sub-nora", full_name: str | None = None
) -> GoogleIdentity:
    return GoogleIdentity(sub=sub, email=email, email_verified=True, full_name=full_name)


def sign_in(session: Session, who: GoogleIdentity, now=NOW) -> LoginOutcome:
    return run_action(session, google_sign_in, identity=who, now=now)


def user_by_email(session: Session, email: str) -> User | None:
    session.expire_all()
    return session.exec(select(User).where(User.email == email)).first()


def open_sessions(session: Session, user_id: int) -> list[AuthSession]:
    session.expire_all()
    return list(
        session.exec(
            select(AuthSession).where(
                AuthSession.user_id == user_id, col(AuthSession.revoked_at).is_(None)
            )
        ).all()
    )


def start_session(session: Session, user: User, now=NOW - timedelta(minutes=5)):
    return session_start(
        session, user_id=user.id, remember_me=True, user_agent="pytest", ip=None, now=now
    )


# --- generated_username --------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "prefix"),
    [
        ("nora@example.com", "nora"),
        ("Jo.Hn+Tag-99@example.com", "johntag99"),
        ("under_score@example.com", "under_score"),
        ("a-very-long-local-part-indeed-yes@example.com", "averylonglocalpartin"),
        ("josé.müller@example.com", "josmller"),
        ("...+--@example.com", "traveller"),
    ],
)
def test_generated_username_is_sanitised_local_part_and_six_base36(email: str, prefix: str) -> None:
    username = generated_username(email)

    assert GENERATED.fullmatch(username), username
    assert username.rsplit("_", 1)[0] == prefix
    assert len(prefix) <= 20
    assert re.fullmatch(r"^[a-z0-9_]{3,30}$", username)  # the users.username_format check


def test_generated_usernames_differ_between_calls() -> None:
    names = {generated_username("nora@example.com") for _ in range(20)}

    assert len(names) > 1


# --- new accounts --------------------------------------------------------------------


def test_a_new_identity_creates_an_active_verified_account(session: Session) -> None:
    outcome = sign_in(session, identity("tess@example.com", sub="sub-tess", full_name="Tess T"))

    user = user_by_email(session, "tess@example.com")
    assert user is not None
    assert outcome == LoginOutcome(user_id=user.id, reactivated=False, restricted=False)
    assert GENERATED.fullmatch(user.username) and user.username.startswith("tess_")
    assert user.full_name == "Tess T"
    assert user.google_sub == "sub-tess"
    assert user.password_hash is None
    assert user.account_status == AccountStatus.active
    assert user.role == Role.user
    assert user.theme == Theme.system
    assert user.email_verified_at == NOW
    assert user.terms_accepted_at == NOW
    assert user.last_login_at == NOW
    for model in (Profile, EmailPreferences, TravelPreferences):
        assert count(session, model, model.user_id == user.id) == 1
    assert count(session, AuthSession, AuthSession.user_id == user.id) == 0  # caller's job
    assert outbox(session) == []  # no verification email: Google proved the address


@pytest.mark.parametrize(
    ("email", "google_name", "full_name"),
    [
        ("maria.silva@example.com", None, "maria.silva"),
        ("maria.silva@example.com", "Maria Silva", "Maria Silva"),
        ("x@example.com", None, "x Traveller"),  # the local part is shorter than 2 chars
        ("maria@example.com", "M", "M Traveller"),
        ("maria@example.com", "N" * 150, "N" * 100),
    ],
)
def test_full_name_comes_from_google_or_the_email_local_part(
    session: Session, email: str, google_name: str | None, full_name: str
) -> None:
    sign_in(session, identity(email, sub="sub-maria", full_name=google_name))

    assert user_by_email(session, email).full_name == full_name


def test_a_taken_generated_username_is_drawn_again(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_user(session, username="tess_aaaaaa", email="first@example.com")
    draws = iter(["TESS_AAAAAA", "tess_aaaaaa", "tess_bbbbbb"])
    monkeypatch.setattr(google_accounts, "generated_username", lambda email: next(draws))

    sign_in(session, identity("tess@example.com", sub="sub-tess"))

    assert user_by_email(session, "tess@example.com").username == "tess_bbbbbb"


# --- matching and linking ------------------------------------------------------------


def test_google_sub_is_matched_before_the_email(session: Session) -> None:
    linked = create_user(session, username="linked", email="old-address@example.com")
    linked.google_sub = "sub-shared"
    by_email = create_user(session, username="by_email", email="nora@example.com")
    session.flush()

    outcome = sign_in(session, identity("nora@example.com", sub="sub-shared"))

    assert outcome.user_id == linked.id
    session.expire_all()
    assert session.get(User, linked.id).email == "old-address@example.com"  # not overwritten
    untouched = session.get(User, by_email.id)
    assert untouched.google_sub is None
    assert untouched.last_login_at is None
    assert count(session, User) == 2


def test_a_verified_account_found_by_email_is_linked(session: Session) -> None:
    nora = create_user(session, username="nora", email="nora@example.com", now=NOW - timedelta(1))
    password_hash = nora.password_hash
    issued = start_session(session, nora)

    outcome = sign_in(session, identity())

    assert outcome == LoginOutcome(user_id=nora.id, reactivated=False, restricted=False)
    session.expire_all()
    nora = session.get(User, nora.id)
    assert nora.google_sub == "google-sub-nora"
    assert nora.password_hash == password_hash  # both ways of signing in keep working
    assert nora.email_verified_at == NOW - timedelta(1)
    assert nora.last_login_at == NOW
    assert active_session(session, issued.family_id, NOW) is not None
    assert count(session, User) == 1

    # The next sign-in finds the account by its Google subject.
    assert sign_in(session, identity(), now=NOW + timedelta(hours=1)).user_id == nora.id


def test_an_unverified_account_is_linked_verified_and_loses_password_and_sessions(
    session: Session,
) -> None:
    """Whoever registered the address with a password never proved they own it."""
    squatter = create_user(session, username="squatter", email="nora@example.com", verified=False)
    first = start_session(session, squatter)
    second = start_session(session, squatter)

    outcome = sign_in(session, identity())

    assert outcome == LoginOutcome(user_id=squatter.id, reactivated=False, restricted=False)
    user = user_by_email(session, "nora@example.com")
    assert user.id == squatter.id
    assert user.google_sub == "google-sub-nora"
    assert user.email_verified_at == NOW
    assert user.password_hash is None
    assert open_sessions(session, user.id) == []
    revoked = session.exec(
        select(AuthSession).where(
            col(AuthSession.family_id).in_([first.family_id, second.family_id])
        )
    ).all()
    assert {(row.revoked_at, row.revoke_reason) for row in revoked} == {
        (NOW, RevokeReason.password_changed)
    }
    assert SessionsRevoked(user.id) in session.info.get(PENDING_EVENTS, [])


# --- account-state rules of §4.1.3 ----------------------------------------------------


@pytest.mark.parametrize("days_ago", [1, 29])
def test_a_recently_deactivated_account_is_reactivated(session: Session, days_ago: int) -> None:
    nora = create_user(session, username="nora", email="nora@example.com", password=None)
    nora.google_sub = "google-sub-nora"
    nora.account_status = AccountStatus.deactivated
    nora.deactivated_at = NOW - timedelta(days=days_ago)
    nora.deletion_due_at = nora.deactivated_at + timedelta(days=30)

    outcome = sign_in(session, identity())

    assert outcome == LoginOutcome(user_id=nora.id, reactivated=True, restricted=False)
    session.expire_all()
    nora = session.get(User, nora.id)
    assert nora.account_status == AccountStatus.active
    assert (nora.deactivated_at, nora.deletion_due_at) == (None, None)
    assert [mail.subject for mail in outbox(session, to="nora@example.com")] == [
        "Welcome back to CityPulse"
    ]


@pytest.mark.parametrize("matched_by", ["google_sub", "email"])
def test_an_account_deactivated_over_30_days_ago_is_refused_and_purged(
    session: Session, matched_by: str
) -> None:
    nora = create_user(session, username="nora", email="nora@example.com", password=None)
    if matched_by == "google_sub":
        nora.google_sub = "google-sub-nora"
    nora.account_status = AccountStatus.deactivated
    nora.deactivated_at = NOW - timedelta(days=31)
    nora.deletion_due_at = nora.deactivated_at + timedelta(days=30)
    nora_id = nora.id

    with pytest.raises(LoginRefused) as error:
        sign_in(session, identity())

    assert (error.value.message, error.value.reason) == ("This account has been deleted", "deleted")
    session.expire_all()
    assert session.get(User, nora_id) is None  # the purge survived the rollback
    assert count(session, Profile, Profile.user_id == nora_id) == 0
    assert [mail.subject for mail in outbox(session, to="nora@example.com")] == [
        "Your CityPulse account has been deleted"
    ]

    # Signing in with Google again now creates a brand-new account.
    outcome = sign_in(session, identity(), now=NOW + timedelta(minutes=1))
    assert outcome.user_id != nora_id
    assert user_by_email(session, "nora@example.com").email_verified_at == NOW + timedelta(
        minutes=1
    )


def test_the_deadline_itself_counts_as_deleted(session: Session) -> None:
    nora = create_user(session, username="nora", email="nora@example.com", password=None)
    nora.google_sub = "google-sub-nora"
    nora.account_status = AccountStatus.deactivated
    nora.deactivated_at = NOW - timedelta(days=30)
    nora.deletion_due_at = NOW

    with pytest.raises(LoginRefused, match="This account has been deleted"):
        sign_in(session, identity())


@pytest.mark.parametrize("status", [AccountStatus.suspended, AccountStatus.banned])
def test_suspended_or_banned_accounts_get_a_restricted_sign_in(
    session: Session, status: AccountStatus
) -> None:
    nora = create_user(session, username="nora", email="nora@example.com", status=status)
    nora.google_sub = "google-sub-nora"

    outcome = sign_in(session, identity())

    assert outcome == LoginOutcome(user_id=nora.id, reactivated=False, restricted=True)
    session.expire_all()
    assert session.get(User, nora.id).account_status == status


def test_an_email_linked_to_another_google_account_is_not_taken_over(session: Session) -> None:
    from citypulse.auth.google import GoogleIdentity
    from citypulse.services.accounts.google import google_sign_in
    from citypulse.services.accounts.login import LoginRefused

    user = create_user(session, username="linked_lena", email="lena@example.com")
    user.google_sub = "google-original"
    session.flush()
    newcomer = GoogleIdentity("google-newcomer", "lena@example.com", True, "Lena")
    with pytest.raises(LoginRefused, match="linked to a different Google account"):
        google_sign_in(session, identity=newcomer, now=NOW)
    session.refresh(user)
    assert user.google_sub == "google-original"
