"""Password reset by emailed code (PRODUCT.md §4.1 item 8).

1. request: always the same reply; a real account gets a 6-digit code valid 15 min.
2. verify: each wrong code says how many tries are left; 5 wrong codes or expiry void
   the request ("request a new one" is said only then); the right code yields a
   single-use grant (10 min) that the caller keeps server-side for that browser tab.
3. complete: the grant plus a valid new password; all sessions end.
Nothing obtained before step 2 succeeds can change a password.

Step 2 must not tell whether an account exists (step 1 does not): an email with no
reset request of its own (unknown, ineligible, never requested) gets the same sequence
of replies as a real request, counted per email in the rate-limit table.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, desc, select, update

from citypulse.auth.password_policy import password_problem
from citypulse.auth.passwords import hash_password
from citypulse.auth.sessions import revoke_user_sessions
from citypulse.auth.tokens import new_token, token_hash
from citypulse.email.messages import password_changed_email, reset_code_email
from citypulse.models import PasswordReset, User
from citypulse.models.enums import AccountStatus, RevokeReason
from citypulse.services import rate_limits
from citypulse.services.errors import ValidationFailed
from citypulse.services.mail import queue_email

CODE_LIFETIME = timedelta(minutes=15)
GRANT_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5
REQUEST_REPLY = (
    "If an account exists for that email, we've sent a 6-digit code. It is valid for 15 minutes."
)
CODE_INVALID = "Code expired or invalid — request a new one"
# Wrong codes of emails without a request of their own, so their replies look the same.
UNREQUESTED_CODE_TRIES = rate_limits.Limit("reset-code-unrequested", MAX_ATTEMPTS, CODE_LIFETIME)
GRANT_INVALID = "Your reset session has expired — start again"
REACTIVATION_WINDOW = timedelta(days=30)


def _code_hash(user_id: int, code: str) -> str:
    # Salted with the user id so equal codes of different users hash differently.
    return token_hash(f"{user_id}:{code}")


def _eligible(user: User | None, now: datetime) -> bool:
    if user is None:
        return False
    if user.account_status == AccountStatus.deactivated:
        return user.deletion_due_at is not None and user.deletion_due_at > now
    return user.account_status == AccountStatus.active


class CodeVoid(ValidationFailed):
    """The request is void (expired, 5 wrong codes, already used): only a new one helps."""

    def __init__(self) -> None:
        super().__init__({"code": CODE_INVALID})


def wrong_code_message(tries_left: int) -> str:
    """What a wrong code says while the request still stands."""
    return f"That code is not right — {tries_left} {'try' if tries_left == 1 else 'tries'} left"


def _void_open(session: Session, user_id: int, now: datetime) -> None:
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, col(PasswordReset.used_at).is_(None))
        .values(used_at=now)
    )


def password_reset_request(session: Session, *, email: str, ip: str | None, now: datetime) -> str:
    """Email a code when the account may reset; the reply is identical either way.

    Raises:
        RateLimited: 3/h per email or 10/h per IP exceeded.
    """
    address = email.strip().lower()
    rate_limits.hit(session, rate_limits.RESET_REQUEST_PER_EMAIL, address, now)
    rate_limits.hit(session, rate_limits.RESET_REQUEST_PER_IP, rate_limits.ip_subject(ip), now)
    user = session.exec(select(User).where(User.email == address)).first()
    if not _eligible(user, now):
        return REQUEST_REPLY
    _void_open(session, user.id, now)
    session.flush()
    code = f"{secrets.randbelow(1_000_000):06d}"
    session.add(
        PasswordReset(
            user_id=user.id, code_hash=_code_hash(user.id, code), expires_at=now + CODE_LIFETIME
        )
    )
    message = reset_code_email(user.email, user.full_name, code)
    queue_email(session, user, message, proves_address=True)
    return REQUEST_REPLY


def _latest_request(session: Session, email: str) -> tuple[User | None, PasswordReset | None]:
    """The account and its most recent reset request, locked against concurrent tries."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        return None, None
    reset = session.exec(
        select(PasswordReset)
        .where(PasswordReset.user_id == user.id)
        .order_by(desc(PasswordReset.id))  # ids grow with every request
        .limit(1)
        .with_for_update()
    ).first()
    return user, reset


def _refuse_kept(session: Session, error: ValidationFailed) -> ValidationFailed:
    # Callers roll back on errors; an uncounted wrong code would allow endless guessing.
    session.commit()
    return error


def _refuse_unrequested(session: Session, email: str, now: datetime) -> ValidationFailed:
    """A wrong code for an email without a request: the replies a real request would give."""
    subject = email.strip().lower()
    tries_left = MAX_ATTEMPTS - rate_limits.count_hit(session, UNREQUESTED_CODE_TRIES, subject, now)
    wrong = ValidationFailed({"code": wrong_code_message(tries_left)})
    return _refuse_kept(session, CodeVoid() if tries_left <= 0 else wrong)


def password_reset_verify(session: Session, *, email: str, code: str, now: datetime) -> str:
    """Check the code; return a fresh grant token (keep it server-side, never in a page).

    Raises:
        CodeVoid: the request expired, had 5 wrong codes or was used ("request a new one").
        ValidationFailed: a wrong code while tries remain; the message says how many.
    """
    user, reset = _latest_request(session, email)
    if reset is None or not _eligible(user, now):  # no code was sent just now
        raise _refuse_unrequested(session, email, now)
    if reset.used_at is not None or reset.verified_at is not None:
        raise CodeVoid()
    if reset.expires_at <= now or reset.failed_attempts >= MAX_ATTEMPTS:
        reset.used_at = now
        session.add(reset)
        raise _refuse_kept(session, CodeVoid())  # the void must outlive the rollback
    if not hmac.compare_digest(reset.code_hash, _code_hash(user.id, code.strip())):
        reset.failed_attempts += 1
        tries_left = MAX_ATTEMPTS - reset.failed_attempts
        if tries_left == 0:
            reset.used_at = now
        session.add(reset)
        wrong = ValidationFailed({"code": wrong_code_message(tries_left)})
        raise _refuse_kept(session, CodeVoid() if tries_left == 0 else wrong)
    grant = new_token()
    reset.verified_at = now
    reset.grant_hash = token_hash(grant)
    reset.grant_expires_at = now + GRANT_LIFETIME
    session.add(reset)
    return grant


def password_reset_complete(
    session: Session, *, grant: str, password: str, confirm_password: str, now: datetime
) -> None:
    """Set the new password with a valid grant; every session of the user ends.

    Raises:
        ValidationFailed: invalid/expired/used grant, password policy, or mismatch.
    """
    reset = session.exec(
        select(PasswordReset).where(PasswordReset.grant_hash == token_hash(grant or ""))
    ).first()
    if not grant or reset is None or reset.used_at is not None or reset.grant_expires_at <= now:
        raise ValidationFailed({"password": GRANT_INVALID})
    user = session.get(User, reset.user_id)
    errors = {}
    if problem := password_problem(password, username=user.username, email=user.email):
        errors["password"] = problem
    if password != confirm_password:
        errors["confirm_password"] = "Passwords do not match"
    if errors:
        raise ValidationFailed(errors)
    reset.used_at = now
    user.password_hash = hash_password(password)
    user.failed_login_count = 0
    user.login_locked_until = None
    rate_limits.forget(session, rate_limits.LOGIN_FAILURES_PER_ACCOUNT, str(user.id))
    session.add_all([reset, user])
    revoke_user_sessions(session, user.id, RevokeReason.password_changed, now)
    queue_email(session, user, password_changed_email(user.email, user.full_name))
