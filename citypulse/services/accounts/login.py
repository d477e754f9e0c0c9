"""Password sign-in (PRODUCT.md §4.1 item 3, §5.2 lockout).

Every refusal that could reveal whether an account exists gets the same message and
about the same timing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from citypulse.auth.passwords import hash_password, verify_password
from citypulse.models import User
from citypulse.models.enums import AccountStatus
from citypulse.services import rate_limits
from citypulse.services.accounts.lifecycle import account_purge, account_reactivate
from citypulse.services.errors import RateLimited, ServiceError

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


def _record_failure(session: Session, user: User | None, ip: str | None, now: datetime) -> None:
    """Count the failure per IP and per account; lock the account after 5 in 15 min."""
    ip_limit = rate_limits.LOGIN_FAILURES_PER_IP
    rate_limits.count_hit(session, ip_limit, rate_limits.ip_subject(ip), now)
    if user is not None:
        account_limit = rate_limits.LOGIN_FAILURES_PER_ACCOUNT
        user.failed_login_count += 1
        # The lockout threshold is a rule of the product, not a tunable rate limit.
        if rate_limits.count_hit(session, account_limit, str(user.id), now) >= account_limit.count:
            user.login_locked_until = now + LOCKOUT
        session.add(user)
    # The refusal that follows makes callers roll back; the failure must count anyway.
    session.commit()


def account_login(
    session: Session, *, email: str, password: str, ip: str | None, now: datetime
) -> LoginOutcome:
    """Check the credentials and the account state; the caller then opens a session.

    Raises:
        RateLimited: the account is locked or this IP failed too often.
        LoginRefused: wrong credentials, unverified email, or a deleted account.
    """
    rate_limits.check(session, rate_limits.LOGIN_FAILURES_PER_IP, rate_limits.ip_subject(ip), now)
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is not None and user.login_locked_until and user.login_locked_until > now:
        raise _locked_message(user.login_locked_until, now)
    if user is None or user.password_hash is None:
        verify_password(_DECOY_HASH, password)
        _record_failure(session, user, ip, now)
        raise LoginRefused(INVALID_CREDENTIALS, "invalid")
    if not verify_password(user.password_hash, password):
        _record_failure(session, user, ip, now)
        raise LoginRefused(INVALID_CREDENTIALS, "invalid")
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
    return LoginOutcome(
        user_id=user.id,
        reactivated=reactivated,
        restricted=user.account_status in (AccountStatus.suspended, AccountStatus.banned),
    )


def account_admit(session: Session, user: User, now: datetime) -> LoginOutcome:
    """The same account-state rules for identities proven another way (Google)."""
    return _admit(session, user, now)
