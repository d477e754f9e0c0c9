"""Password sign-in (PRODUCT.md §4.1 item 3, §5.2 lockout).

Every refusal that could reveal whether an account exists gets the same message and
about the same timing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from citypulse.auth.passwords import hash_password, verify_password
from citypulse.models import User
from citypulse.models.enums import AccountStatus
from citypulse.services import rate_limits
from citypulse.services.accounts.lifecycle import account_purge, account_reactivate
from citypulse.services.errors import RateLimited, ServiceError
from citypulse.services.feed.ahead import rank_after_commit

LOCKOUT = timedelta(minutes=15)
DEACTIVATION_GRACE = timedelta(days=30)
INVALID_CREDENTIALS = "Invalid email or password"
# Verified against when the account is unknown, so both paths cost one argon2 check.
_DECOY_HASH = hash_password("decoy-password-for-timing")


class LoginRefused(ServiceError):
    """Sign-in refused; `reason` tells the page which extra controls to show."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason  # invalid | unverified | deleted


@dataclass(frozen=True)
class LoginOutcome:
    """A successful sign-in."""

    user_id: int
    reactivated: bool
    restricted: bool


def _locked_message(until: datetime, now: datetime) -> RateLimited:
    seconds = (until - now).total_seconds()
    minutes = max(1, int(-(-seconds // 60)))
    return RateLimited(seconds, f"Too many attempts, try again in {minutes} minutes")


def _reserve_attempt(session: Session, user: User | None, ip: str | None, now: datetime) -> int:
    """Count this attempt per IP and per account *before* the password check; commit it.

    Each count is one atomic upsert, so parallel attempts get distinct numbers, and the
    commit makes them visible before the slow argon2 check: however a burst interleaves,
    at most 5 attempts per account and window reach the check. An attempt refused here
    is rolled back by the caller, so it is not counted. A proven password gives its
    reservations back (`_forget_failures`). Returns the account's attempt number (0: no
    account with a password).

    Raises:
        RateLimited: this IP or this account has no attempt left in the window.
    """
    rate_limits.hit(session, rate_limits.LOGIN_FAILURES_PER_IP, rate_limits.ip_subject(ip), now)
    attempt = 0
    if user is not None and user.password_hash is not None:
        account_limit = rate_limits.LOGIN_FAILURES_PER_ACCOUNT
        attempt = rate_limits.count_hit(session, account_limit, str(user.id), now)
        # The lockout threshold is a rule of the product, not a tunable rate limit.
        if attempt > account_limit.count:
            raise _locked_message(user.login_locked_until or now + LOCKOUT, now)
    session.commit()
    return attempt


def _record_failure(session: Session, user: User | None, attempt: int, now: datetime) -> None:
    """A wrong password: count it on the account (atomically) and lock at the 5th."""
    if user is not None:
        changes: dict[str, object] = {"failed_login_count": User.failed_login_count + 1}
        if attempt >= rate_limits.LOGIN_FAILURES_PER_ACCOUNT.count:
            changes["login_locked_until"] = now + LOCKOUT
        session.execute(update(User).where(col(User.id) == user.id).values(**changes))
    # The refusal that follows makes callers roll back; the failure must count anyway.
    session.commit()


def _forget_failures(session: Session, user: User, ip: str | None, now: datetime) -> None:
    """The password is proven: reset the account's failures, give the IP its attempt back."""
    rate_limits.release(session, rate_limits.LOGIN_FAILURES_PER_IP, rate_limits.ip_subject(ip), now)
    session.execute(
        update(User)
        .where(col(User.id) == user.id)
        .values(failed_login_count=0, login_locked_until=None)
    )
    # The lockout counts failures in rate_limit_hits: reset that count too.
    rate_limits.forget(session, rate_limits.LOGIN_FAILURES_PER_ACCOUNT, str(user.id))


def account_login(
    session: Session, *, email: str, password: str, ip: str | None, now: datetime
) -> LoginOutcome:
    """Check the credentials and the account state; the caller then opens a session.

    Raises:
        RateLimited: the account is locked or this IP failed too often.
        LoginRefused: wrong credentials, unverified email, or a deleted account.
    """
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is not None and user.login_locked_until and user.login_locked_until > now:
        raise _locked_message(user.login_locked_until, now)
    attempt = _reserve_attempt(session, user, ip, now)
    if user is None or user.password_hash is None:
        verify_password(_DECOY_HASH, password)
        _record_failure(session, user, attempt, now)
        raise LoginRefused(INVALID_CREDENTIALS, "invalid")
    if not verify_password(user.password_hash, password):
        _record_failure(session, user, attempt, now)
        raise LoginRefused(INVALID_CREDENTIALS, "invalid")
    _forget_failures(session, user, ip, now)
    return _admit(session, user, now)


def _admit(session: Session, user: User, now: datetime) -> LoginOutcome:
    """Apply the account-state rules once the user has proved who they are."""
    if user.email_verified_at is None:
        raise LoginRefused("Please verify your email", "unverified")
    reactivated = False
    if user.account_status == AccountStatus.deactivated:
        if user.deletion_due_at is not None and user.deletion_due_at <= now:
            account_purge(session, user, now)
            session.commit()  # the purge stands although the refusal makes callers roll back
            raise LoginRefused("This account has been deleted", "deleted")
        account_reactivate(session, user, now)
        reactivated = True
    user.failed_login_count = 0
    user.login_locked_until = None
    # The lockout counts failures in rate_limit_hits: reset that count too.
    rate_limits.forget(session, rate_limits.LOGIN_FAILURES_PER_ACCOUNT, str(user.id))
    user.last_login_at = now
    session.add(user)
    rank_after_commit(session, user.id)  # their feed, opened next, finds a ranking
    return LoginOutcome(
        user_id=user.id,
        reactivated=reactivated,
        restricted=user.account_status in (AccountStatus.suspended, AccountStatus.banned),
    )


def account_admit(session: Session, user: User, now: datetime) -> LoginOutcome:
    """The same account-state rules for identities proven another way (Google)."""
    return _admit(session, user, now)
