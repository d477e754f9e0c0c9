"""Google sign-in account rules (PRODUCT.md §4.1 item 5).

Only an identity verified by `citypulse.auth.google` (signed ID token) reaches here.
"""

from __future__ import annotations

import re
import secrets
import string
from datetime import datetime

from sqlmodel import Session, select

from citypulse.auth.google import GoogleIdentity
from citypulse.auth.sessions import revoke_user_sessions
from citypulse.models import User
from citypulse.models.enums import RevokeReason
from citypulse.services.accounts.login import LoginOutcome, LoginRefused, account_admit
from citypulse.services.accounts.registration import username_taken
from citypulse.services.accounts.rows import add_account
from citypulse.services.display_text import without_spoofing

_BASE36 = string.digits + string.ascii_lowercase
LINKED_ELSEWHERE = (
    "This email belongs to an account linked to a different Google account. "
    "Log in with your password instead."
)


def generated_username(email: str) -> str:
    """Sanitised local part (≤20) + "_" + 6 random base-36 characters."""
    local = re.sub(r"[^a-z0-9_]", "", email.split("@", 1)[0].lower())[:20] or "traveller"
    return f"{local}_{''.join(secrets.choice(_BASE36) for _ in range(6))}"


def _display_name(identity: GoogleIdentity) -> str:
    # Google's name cannot be corrected on a form here: drop spoofing characters instead.
    name = without_spoofing(identity.full_name or identity.email.split("@", 1)[0]).strip()[:100]
    return name if len(name) >= 2 else f"{name} Traveller".strip()


def _create_account(session: Session, identity: GoogleIdentity, now: datetime) -> User:
    username = generated_username(identity.email)
    while username_taken(session, username):
        username = generated_username(identity.email)
    user = User(
        username=username,
        email=identity.email,
        full_name=_display_name(identity),
        google_sub=identity.sub,
        email_verified_at=now,
        terms_accepted_at=now,  # the Google button states acceptance of the terms
    )
    return add_account(session, user)


def _link(session: Session, user: User, identity: GoogleIdentity, now: datetime) -> None:
    """Attach the Google identity to an existing account found by email."""
    user.google_sub = identity.sub
    if user.email_verified_at is None:
        # Whoever set the unverified password never proved the address: drop it.
        user.email_verified_at = now
        user.password_hash = None
        revoke_user_sessions(session, user.id, RevokeReason.password_changed, now)
    session.add(user)


def google_sign_in(session: Session, *, identity: GoogleIdentity, now: datetime) -> LoginOutcome:
    """Find, link or create the account for a verified Google identity, then admit it.

    Raises:
        LoginRefused: the account was deleted (deactivated more than 30 days ago).
    """
    user = session.exec(select(User).where(User.google_sub == identity.sub)).first()
    if user is None:
        user = session.exec(select(User).where(User.email == identity.email)).first()
        if user is None:
            user = _create_account(session, identity, now)
        elif user.google_sub is not None:
            # Already linked to another Google account (e.g. a recycled address): never
            # hand the account over silently.
            raise LoginRefused(LINKED_ELSEWHERE, "google")
        else:
            _link(session, user, identity, now)
    return account_admit(session, user, now)
