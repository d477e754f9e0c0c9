"""Sign-up and email verification (PRODUCT.md §4.1 items 1–2, §5.1)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from citypulse.auth.password_policy import password_problem
from citypulse.auth.passwords import hash_password
from citypulse.auth.tokens import new_token, token_hash
from citypulse.email.messages import verification_email
from citypulse.models import (
    EmailVerificationToken,
    User,
)
from citypulse.models.accounts import RESERVED_USERNAMES, USERNAME_PATTERN
from citypulse.services import rate_limits
from citypulse.services.accounts.rows import add_account
from citypulse.services.display_text import spoofing_problem
from citypulse.services.errors import ValidationFailed
from citypulse.services.mail import queue_email

VERIFICATION_LIFETIME = timedelta(hours=24)
DUPLICATE_ACCOUNT = "An account with this username or email already exists"
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
RESEND_REPLY = "If an unverified account exists, we've sent a new link"
VERIFICATION_FAILED = "Verification failed: the link is missing, invalid, expired or already used"


@dataclass(frozen=True)
class SignUpForm:
    """What the sign-up page submits."""

    username: str
    full_name: str
    email: str
    password: str
    confirm_password: str
    accepted_terms: bool


def username_problem(username: str) -> str | None:
    """Why `username` cannot be chosen (format or reserved), or None."""
    if not re.fullmatch(USERNAME_PATTERN, username):
        return "Username must be 3–30 characters: lowercase letters, digits and _"
    if username in RESERVED_USERNAMES:
        return "This username is reserved"
    return None


def username_taken(session: Session, username: str, *, except_user_id: int | None = None) -> bool:
    """True when any account (active or not) already uses `username`, ignoring case."""
    query = select(User.id).where(func.lower(User.username) == username.strip().lower())
    if except_user_id is not None:
        query = query.where(User.id != except_user_id)
    return session.exec(query).first() is not None


def email_taken(session: Session, email: str) -> bool:
    """True when any account already uses `email`, ignoring case."""
    return (
        session.exec(select(User.id).where(User.email == email.strip().lower())).first() is not None
    )


def validate_sign_up(session: Session, form: SignUpForm) -> dict[str, str]:
    """Every field error of the sign-up form (empty when the form is valid)."""
    username, email = form.username.strip().lower(), form.email.strip().lower()
    errors: dict[str, str] = {}
    if problem := username_problem(username):
        errors["username"] = problem
    elif username_taken(session, username):
        errors["username"] = "An account with this username already exists"
    if not 2 <= len(form.full_name.strip()) <= 100:
        errors["full_name"] = "Full name must be 2–100 characters"
    elif problem := spoofing_problem("Full name", form.full_name):
        errors["full_name"] = problem
    if len(email) > 254 or not EMAIL_PATTERN.match(email):
        errors["email"] = "Enter a valid email address"
    elif email_taken(session, email):
        errors["email"] = "An account with this email already exists"
    if problem := password_problem(form.password, username=username, email=email):
        errors["password"] = problem
    if form.password != form.confirm_password:
        errors["confirm_password"] = "Passwords do not match"
    if not form.accepted_terms:
        errors["accepted_terms"] = "You must accept the Terms and the Privacy Policy"
    return errors


def account_register(session: Session, *, form: SignUpForm, ip: str | None, now: datetime) -> int:
    """Create an unverified account and email its verification link; returns the user id.

    Raises:
        RateLimited: more than 5 sign-ups per hour from this IP.
        ValidationFailed: any field error (nothing is created).
    """
    rate_limits.hit(session, rate_limits.REGISTER_PER_IP, rate_limits.ip_subject(ip), now)
    if errors := validate_sign_up(session, form):
        # Keep the counted attempt although callers roll back: "already exists" answers
        # must not let anyone probe emails without a limit.
        session.commit()
        raise ValidationFailed(errors)
    user = User(
        username=form.username.strip().lower(),
        email=form.email.strip().lower(),
        full_name=form.full_name.strip(),
        password_hash=hash_password(form.password),
        terms_accepted_at=now,
    )
    try:
        with session.begin_nested():  # two sign-ups racing for one name or address
            add_account(session, user)
    except IntegrityError as error:
        raise ValidationFailed(
            validate_sign_up(session, form) or {"username": DUPLICATE_ACCOUNT}
        ) from error
    send_verification(session, user, now)
    return user.id


def send_verification(session: Session, user: User, now: datetime) -> None:
    """Void older links and email a fresh single-use 24-hour link."""
    session.execute(
        update(EmailVerificationToken)
        .where(
            EmailVerificationToken.user_id == user.id, col(EmailVerificationToken.used_at).is_(None)
        )
        .values(used_at=now)
    )
    token = new_token()
    session.add(
        EmailVerificationToken(
            user_id=user.id, token_hash=token_hash(token), expires_at=now + VERIFICATION_LIFETIME
        )
    )
    queue_email(session, user, verification_email(user.email, user.full_name, token))


def verification_resend(session: Session, *, email: str, now: datetime) -> str:
    """Send a new link when an unverified account has this email; the reply never tells.

    Raises:
        RateLimited: more than 3 resends per hour for this email.
    """
    address = email.strip().lower()
    rate_limits.hit(session, rate_limits.RESEND_VERIFICATION_PER_EMAIL, address, now)
    user = session.exec(select(User).where(User.email == address)).first()
    if user is not None and user.email_verified_at is None:
        send_verification(session, user, now)
    return RESEND_REPLY


def email_verify(session: Session, *, token: str, now: datetime) -> str:
    """Mark the account verified; the link works once within 24 h. Returns the username.

    Raises:
        ValidationFailed: missing, unknown, expired or used token.
    """
    row = session.exec(
        select(EmailVerificationToken).where(
            EmailVerificationToken.token_hash == token_hash(token or "")
        )
    ).first()
    if not token or row is None or row.used_at is not None or row.expires_at <= now:
        raise ValidationFailed({"token": VERIFICATION_FAILED})
    user = session.get(User, row.user_id)
    row.used_at = now
    if user.email_verified_at is None:
        user.email_verified_at = now
    session.add_all([row, user])
    return user.username
