"""Password sign-in (PRODUCT.md §4.1 item 3, §5.2 lockout and per-IP limit).

Every call goes through `run_action`: a refused sign-in raises, and the real unit of
work then rolls back, so whatever a refusal must remember (failure counts, the purge)
has to survive that.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.models import AuthSession, ContentReport, EmailOutbox, Profile, User
from citypulse.models.enums import AccountStatus, ReportContentType, ReportReason
from citypulse.services.accounts import login as login_module
from citypulse.services.accounts.login import (
    INVALID_CREDENTIALS,
    LoginOutcome,
    LoginRefused,
    account_admit,
    account_login,
)
from citypulse.services.errors import RateLimited
from tests.integration.support import NOW, count, outbox, run_action
from tests.support.factories import DEFAULT_PASSWORD, create_user

IP = "203.0.113.7"
EMAIL = "nora@example.com"


@pytest.fixture
def nora(session: Session) -> User:
    return create_user(session, username="nora", email=EMAIL, now=NOW - timedelta(days=90))


def login(
    session: Session,
    *,
    email: str = EMAIL,
    password: str = DEFAULT_PASSWORD,
    ip: str | None = IP,
    now=NOW,
) -> LoginOutcome:
    return run_action(session, account_login, email=email, password=password, ip=ip, now=now)


def refused(session: Session, **kwargs) -> LoginRefused:
    with pytest.raises(LoginRefused) as error:
        login(session, **kwargs)
    return error.value


def fail(session: Session, times: int, *, start=NOW, step=timedelta(seconds=10), **kwargs) -> None:
    for i in range(times):
        assert refused(session, password="Wrong!Pass1", now=start + i * step, **kwargs).reason == (
            "invalid"
        )


# --- success -------------------------------------------------------------------------


def test_success_sets_last_login_and_resets_failures(session: Session, nora: User) -> None:
    fail(session, 2)
    session.refresh(nora)
    assert nora.failed_login_count == 2

    outcome = login(session, email=" Nora@Example.COM ", now=NOW + timedelta(minutes=1))

    assert outcome == LoginOutcome(user_id=nora.id, reactivated=False, restricted=False)
    session.refresh(nora)
    assert nora.last_login_at == NOW + timedelta(minutes=1)
    assert nora.failed_login_count == 0
    assert nora.login_locked_until is None
    assert count(session, AuthSession) == 0  # the caller opens the session


def test_success_resets_the_failure_count_used_for_the_lockout(
    session: Session, nora: User
) -> None:
    """§4.1.3: success resets the failure count, so 4 + success + 1 failures do not lock."""
    fail(session, 4)
    login(session, now=NOW + timedelta(minutes=1))
    fail(session, 1, start=NOW + timedelta(minutes=2))

    assert login(session, now=NOW + timedelta(minutes=3)).user_id == nora.id


# --- wrong credentials ---------------------------------------------------------------


def test_wrong_password_and_unknown_email_are_indistinguishable(
    session: Session, nora: User
) -> None:
    wrong_password = refused(session, password="Wrong!Pass1")
    unknown_email = refused(session, email="nobody@example.com")
    wrong_case_password = refused(session, password=DEFAULT_PASSWORD.upper())

    for error in (wrong_password, unknown_email, wrong_case_password):
        assert error.message == INVALID_CREDENTIALS == "Invalid email or password"
        assert error.reason == "invalid"


def test_unknown_email_still_costs_one_password_check(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The similar-timing rule, checked structurally: one argon2 verify on every path."""
    calls: list[str | None] = []
    real_verify = login_module.verify_password

    def spy(password_hash: str | None, password: str) -> bool:
        calls.append(password_hash)
        return real_verify(password_hash, password)

    monkeypatch.setattr(login_module, "verify_password", spy)
    create_user(session, username="gia", email="gia@example.com", password=None)

    refused(session, email="nobody@example.com")
    refused(session, email="gia@example.com")

    assert len(calls) == 2
    assert all(h and h.startswith("$argon2id$") for h in calls)


def test_a_google_only_account_cannot_sign_in_with_a_password(session: Session) -> None:
    create_user(session, username="gia", email="gia@example.com", password=None)

    for password in ("", DEFAULT_PASSWORD, "decoy-password-for-timing"):
        error = refused(session, email="gia@example.com", password=password)
        assert (error.message, error.reason) == (INVALID_CREDENTIALS, "invalid")


# --- lockout: 5 failures per account per 15 min, then 15 min -------------------------


def test_five_failures_lock_the_account_for_15_minutes(session: Session, nora: User) -> None:
    fail(session, 5)  # the 5th at NOW + 40 s
    fifth = NOW + timedelta(seconds=40)

    with pytest.raises(RateLimited) as locked:
        login(session, now=fifth)  # right password
    assert locked.value.message == "Too many attempts, try again in 15 minutes"

    with pytest.raises(RateLimited) as locked:
        login(session, now=fifth + timedelta(minutes=10, seconds=30))
    assert locked.value.message == "Too many attempts, try again in 5 minutes"

    session.refresh(nora)
    assert nora.login_locked_until == fifth + timedelta(minutes=15)
    assert nora.failed_login_count == 5
    assert login(session, now=fifth + timedelta(minutes=15)).user_id == nora.id


def test_four_failures_do_not_lock(session: Session, nora: User) -> None:
    fail(session, 4)
    assert login(session, now=NOW + timedelta(minutes=1)).user_id == nora.id


def test_attempts_during_the_lock_are_not_counted(session: Session, nora: User) -> None:
    fail(session, 5)
    for minute in range(1, 10):
        with pytest.raises(RateLimited):
            login(session, password="Wrong!Pass1", now=NOW + timedelta(minutes=minute))
    session.refresh(nora)
    assert nora.failed_login_count == 5


def test_the_lock_also_hides_whether_the_password_is_right(session: Session, nora: User) -> None:
    fail(session, 5)
    messages = set()
    for password in (DEFAULT_PASSWORD, "Wrong!Pass1"):
        with pytest.raises(RateLimited) as locked:
            login(session, password=password, now=NOW + timedelta(minutes=1))
        messages.add(locked.value.message)
    assert len(messages) == 1


# --- 20 failures per IP per 15 min ---------------------------------------------------


def test_twenty_failures_from_one_ip_block_that_ip(session: Session, nora: User) -> None:
    for i in range(20):  # unknown accounts, so no account lock gets in the way
        refused(session, email=f"ghost{i}@example.com", now=NOW + timedelta(seconds=i))

    with pytest.raises(RateLimited) as limited:
        login(session, now=NOW + timedelta(seconds=20))  # right password, same IP

    assert limited.value.message == "Too many requests, try again in 15 minutes"
    assert login(session, ip="198.51.100.4", now=NOW + timedelta(seconds=21)).user_id == nora.id
    assert login(session, now=NOW + timedelta(minutes=15)).user_id == nora.id


def test_nineteen_failures_from_one_ip_do_not_block_it(session: Session, nora: User) -> None:
    for i in range(19):
        refused(session, email=f"ghost{i}@example.com", now=NOW + timedelta(seconds=i))
    assert login(session, now=NOW + timedelta(seconds=20)).user_id == nora.id


# --- account states once the password is right ---------------------------------------


def test_an_unverified_account_is_asked_to_verify(session: Session) -> None:
    create_user(session, username="una", email="una@example.com", verified=False)

    error = refused(session, email="una@example.com")

    assert (error.message, error.reason) == ("Please verify your email", "unverified")


def test_an_unverified_account_with_a_wrong_password_is_just_invalid(session: Session) -> None:
    create_user(session, username="una", email="una@example.com", verified=False)
    error = refused(session, email="una@example.com", password="Wrong!Pass1")
    assert error.reason == "invalid"


@pytest.mark.parametrize("days_ago", [1, 29])
def test_a_recently_deactivated_account_is_reactivated(
    session: Session, nora: User, days_ago: int
) -> None:
    deactivated_at = NOW - timedelta(days=days_ago)
    nora.account_status = AccountStatus.deactivated
    nora.deactivated_at = deactivated_at
    nora.deletion_due_at = deactivated_at + timedelta(days=30)

    outcome = login(session)

    assert outcome == LoginOutcome(user_id=nora.id, reactivated=True, restricted=False)
    session.refresh(nora)
    assert nora.account_status == AccountStatus.active
    assert nora.deactivated_at is None
    assert nora.deletion_due_at is None
    [mail] = outbox(session)
    assert (mail.category, mail.subject) == ("account", "Welcome back to CityPulse")
    assert "your account has been reactivated" in mail.text


def test_an_account_deactivated_over_30_days_ago_is_deleted(session: Session, nora: User) -> None:
    other = create_user(session, username="otto", email="otto@example.com")
    session.add(
        ContentReport(
            reporter_id=nora.id,
            content_type=ReportContentType.profile,
            content_id=other.id,
            content_owner_id=other.id,
            reason=ReportReason.spam,
        )
    )
    deactivated_at = NOW - timedelta(days=31)
    nora.account_status = AccountStatus.deactivated
    nora.deactivated_at = deactivated_at
    nora.deletion_due_at = deactivated_at + timedelta(days=30)
    nora_id = nora.id

    error = refused(session)

    assert (error.message, error.reason) == ("This account has been deleted", "deleted")
    session.expire_all()
    assert session.get(User, nora_id) is None
    assert count(session, Profile, Profile.user_id == nora_id) == 0
    assert count(session, ContentReport, ContentReport.reporter_id.is_(None)) == 1
    assert [m.subject for m in outbox(session, to=EMAIL)] == [
        "Your CityPulse account has been deleted"
    ]
    # Signing in again is now simply an unknown account.
    assert refused(session, now=NOW + timedelta(minutes=1)).reason == "invalid"


def test_a_deactivated_account_with_a_wrong_password_stays_as_it_is(
    session: Session, nora: User
) -> None:
    nora.account_status = AccountStatus.deactivated
    nora.deletion_due_at = NOW - timedelta(days=1)

    assert refused(session, password="Wrong!Pass1").reason == "invalid"
    session.expire_all()
    assert session.get(User, nora.id).account_status == AccountStatus.deactivated


@pytest.mark.parametrize("status", [AccountStatus.suspended, AccountStatus.banned])
def test_suspended_or_banned_accounts_get_a_restricted_sign_in(
    session: Session, nora: User, status: AccountStatus
) -> None:
    nora.account_status = status

    outcome = login(session)

    assert outcome == LoginOutcome(user_id=nora.id, reactivated=False, restricted=True)
    session.refresh(nora)
    assert nora.account_status == status
    assert nora.last_login_at == NOW


def test_account_admit_applies_the_same_rules_for_other_proofs(session: Session) -> None:
    gia = create_user(session, username="gia", email="gia@example.com", password=None)
    gia.account_status = AccountStatus.deactivated
    gia.deletion_due_at = NOW + timedelta(days=3)

    outcome = run_action(session, account_admit, user=gia, now=NOW)

    assert outcome.reactivated
    session.refresh(gia)
    assert gia.account_status == AccountStatus.active
    assert gia.last_login_at == NOW


def test_no_mail_is_queued_by_a_plain_sign_in(session: Session, nora: User) -> None:
    login(session)
    assert count(session, EmailOutbox) == 0
