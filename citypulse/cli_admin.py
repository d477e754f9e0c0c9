"""Operator commands behind `citypulse.cli`: create-admin and the maintenance jobs.

Admins are created only here (PRODUCT.md §1.4): never through sign-up or the UI. Each
command function prints its outcome and returns the process exit code.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TextIO

from sqlmodel import Session

from citypulse.auth.password_policy import password_problem
from citypulse.auth.passwords import hash_password
from citypulse.db import session_scope
from citypulse.models import User
from citypulse.models.accounts import USERNAME_PATTERN
from citypulse.models.enums import AccountStatus, Role
from citypulse.services.accounts.registration import EMAIL_PATTERN, email_taken, username_taken
from citypulse.services.accounts.rows import add_account
from citypulse.services.display_text import spoofing_problem
from citypulse.services.errors import Conflict, ServiceError, ValidationFailed

PASSWORD_ENV = "CITYPULSE_ADMIN_PASSWORD"


def admin_create(
    session: Session, *, username: str, email: str, full_name: str, password: str, now: datetime
) -> str:
    """Create a verified, active admin with its profile and preference rows.

    Reserved names such as "admin" are allowed here, unlike at sign-up.

    Raises:
        ValidationFailed: bad username format, email, full name or password.
        Conflict: the username or email is already in use.
    """
    username, email, full_name = username.strip().lower(), email.strip().lower(), full_name.strip()
    errors: dict[str, str] = {}
    if not re.fullmatch(USERNAME_PATTERN, username):
        errors["username"] = "Username must be 3–30 characters: lowercase letters, digits and _"
    if len(email) > 254 or not EMAIL_PATTERN.match(email):
        errors["email"] = "Enter a valid email address"
    if not 2 <= len(full_name) <= 100:
        errors["full_name"] = "Full name must be 2–100 characters"
    elif problem := spoofing_problem("Full name", full_name):
        errors["full_name"] = problem
    if problem := password_problem(password, username=username, email=email):
        errors["password"] = problem
    if errors:
        raise ValidationFailed(errors)
    if username_taken(session, username):
        raise Conflict(f'An account with the username "{username}" already exists')
    if email_taken(session, email):
        raise Conflict(f'An account with the email "{email}" already exists')
    user = User(
        username=username,
        email=email,
        full_name=full_name,
        password_hash=hash_password(password),
        role=Role.admin,
        account_status=AccountStatus.active,
        email_verified_at=now,
        terms_accepted_at=now,
    )
    add_account(session, user)
    return user.username


def read_admin_password(
    password_stdin: bool, stdin: TextIO | None = None, environ: Mapping[str, str] | None = None
) -> str | None:
    """The password from the first line of stdin, or else from CITYPULSE_ADMIN_PASSWORD."""
    if password_stdin:
        return (stdin or sys.stdin).readline().rstrip("\r\n")
    return (os.environ if environ is None else environ).get(PASSWORD_ENV) or None


def create_admin(
    *,
    username: str,
    email: str,
    full_name: str,
    password_stdin: bool = False,
    stdin: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """`create-admin`: print the new admin's username (exit 0) or why not (exit 1 or 2)."""
    password = read_admin_password(password_stdin, stdin, environ)
    if not password:
        print(f"create-admin: set {PASSWORD_ENV} or pass --password-stdin", file=sys.stderr)
        return 2
    try:
        with session_scope() as session:
            created = admin_create(
                session,
                username=username,
                email=email,
                full_name=full_name,
                password=password,
                now=datetime.now(UTC),
            )
    except ValidationFailed as error:
        for field, message in error.field_errors.items():
            print(f"create-admin: {field}: {message}", file=sys.stderr)
        return 1
    except ServiceError as error:
        print(f"create-admin: {error.message}", file=sys.stderr)
        return 1
    print(created)
    return 0


def purge(now: datetime | None = None) -> int:
    """`purge`, once: overdue deactivated accounts, then lapsed export files.

    The worker runs the same services nightly (passes `purge_accounts`, `purge_exports`);
    this is a run by hand. Emails it queues are sent by the worker's `deliver_email` pass
    (or `deliver-email`).
    """
    from citypulse.services.accounts.data_export import data_exports_purge_expired
    from citypulse.services.accounts.lifecycle import accounts_purge_due

    moment = now or datetime.now(UTC)
    with session_scope() as session:
        accounts = accounts_purge_due(session, moment)
    with session_scope() as session:
        exports = data_exports_purge_expired(session, moment)
    print(f"Purged {accounts} account(s) and {exports} export file(s)")
    return 0


def deliver_email() -> int:
    """`deliver-email`: one delivery pass over the outbox."""
    from citypulse.email.outbox import deliver_pending
    from citypulse.email.senders import sender_from_settings

    report = deliver_pending(session_scope, sender_from_settings())
    print(f"Emails sent: {report.sent}, failed: {report.failed}, retried: {report.retried}")
    return 0


def build_exports() -> int:
    """`build-exports`: build every pending data export."""
    from citypulse.services.accounts.data_export import build_pending_exports

    print(f"Built {build_pending_exports()} data export(s)")
    return 0


def media_variants() -> int:
    """`media-variants`: the medium copy of every stored photo that has none (photos stored
    before copies were made). Idempotent; safe while the app runs (pages list a copy only
    once it exists)."""
    from sqlmodel import select

    from citypulse.media.processing import MEDIUM_WIDTH
    from citypulse.media.storage import write_medium_copy
    from citypulse.models import Photo

    with session_scope() as session:
        query = select(Photo.image_key).where(Photo.width > MEDIUM_WIDTH)
        keys = session.execute(query).scalars().all()
    written = sum(write_medium_copy(key) for key in keys)
    print(f"Photos wider than {MEDIUM_WIDTH} px: {len(keys)}, medium copies written: {written}")
    return 0


def outbox(limit: int = 10, to: str | None = None, out: TextIO | None = None) -> int:
    """`outbox`: the latest emails with their links and codes (local runs only).

    Refused in production: the outbox holds other people's reset codes and links.
    """
    from citypulse.email.console import print_outbox
    from citypulse.settings import get_settings

    if get_settings().is_production:
        print("outbox: not available in production", file=sys.stderr)
        return 1
    with session_scope() as session:
        print_outbox(session, out or sys.stdout, limit=max(1, limit), to=to)
    return 0
