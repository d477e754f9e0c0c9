"""`cli qa-accounts`: create or reset the dedicated QA accounts of a deployment (issue 16).

QA runs the e2e journeys against staging (or production's smoke subset) without database
access, so the accounts the journeys sign in with are prepared here, on the deployment:
`<QA_ACCOUNT_PREFIX>001` … `<prefix>150`, verified and active, email
`<username>@<QA_EMAIL_DOMAIN>`, password from QA_ACCOUNT_PASSWORD (or stdin).

A reset first deletes every earlier QA account (the pool and QA sign-ups alike) with
everything it owns, so each run starts from fresh accounts. Only accounts matching BOTH
the prefix and the QA email domain are touched: a real person called "qa_…" is safe.
Refused in production unless QA mode is on there (which itself needs
QA_ALLOW_PRODUCTION=1, see settings.production_problems).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from sqlmodel import Session, col, select

from citypulse.auth.password_policy import password_problem
from citypulse.auth.passwords import hash_password
from citypulse.cli_admin import read_admin_password
from citypulse.db import session_scope
from citypulse.models import User
from citypulse.models.enums import AccountStatus, Role
from citypulse.services.accounts.lifecycle import account_purge
from citypulse.services.accounts.rows import add_account
from citypulse.settings import Settings, get_settings

PASSWORD_ENV = "QA_ACCOUNT_PASSWORD"
# The suite hands one account to each journey that needs a fresh one: ~90 today.
DEFAULT_COUNT = 150
MAX_COUNT = 999
# The prefix plus up to 3 digits must stay a valid username (3–30 lowercase letters, digits, _).
PREFIX_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,19}$")


class QARefused(Exception):
    """The command must not run with these settings or arguments (message says why)."""


@dataclass(frozen=True)
class QAReset:
    """What a reset did: the fresh accounts' usernames and how many old ones it removed."""

    usernames: tuple[str, ...]
    removed: int


def qa_username(prefix: str, number: int) -> str:
    """The pool account `number` (1-based): `<prefix>001`, …, `<prefix>150`.

    Fixed width, so no pool username is the prefix of another (text searches).
    """
    return f"{prefix}{number:03d}"


def qa_email(username: str, domain: str) -> str:
    return f"{username}@{domain}".lower()


def check_allowed(settings: Settings) -> None:
    """Refuse production without QA mode, and a prefix that could match anything.

    Raises:
        QARefused: with the reason.
    """
    if settings.is_production and not settings.qa_mode:
        raise QARefused("refused in production unless QA_MODE=1 (and QA_ALLOW_PRODUCTION=1)")
    if not PREFIX_PATTERN.match(settings.qa_account_prefix):
        raise QARefused(
            "QA_ACCOUNT_PREFIX must be 2–20 characters: a lowercase letter, then lowercase "
            "letters, digits or _"
        )


def qa_accounts_reset(
    session: Session,
    *,
    prefix: str,
    domain: str,
    password: str,
    count: int,
    now: datetime,
) -> QAReset:
    """Delete every QA account (prefix AND domain), then create the pool fresh.

    Raises:
        QARefused: a password the policy refuses, or a count outside 1–99.
    """
    if not 1 <= count <= MAX_COUNT:
        raise QARefused(f"--count must be between 1 and {MAX_COUNT}")
    if problem := password_problem(password, username=qa_username(prefix, 1), email=""):
        raise QARefused(f"{PASSWORD_ENV}: {problem}")
    old = session.exec(
        select(User).where(
            col(User.username).startswith(prefix, autoescape=True),
            col(User.email).endswith(f"@{domain.lower()}", autoescape=True),
        )
    ).all()
    for user in old:
        account_purge(session, user, now)
    session.flush()
    password_hash = hash_password(password)  # one hash for the pool: it is one password
    usernames = tuple(qa_username(prefix, n) for n in range(1, count + 1))
    for number, username in enumerate(usernames, start=1):
        add_account(
            session,
            User(
                username=username,
                email=qa_email(username, domain),
                full_name=f"QA Tester {number:03d}",
                password_hash=password_hash,
                role=Role.user,
                account_status=AccountStatus.active,
                email_verified_at=now,
                terms_accepted_at=now,
            ),
        )
    return QAReset(usernames=usernames, removed=len(old))


def qa_accounts(
    *,
    count: int = DEFAULT_COUNT,
    password_stdin: bool = False,
    stdin: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> int:
    """`qa-accounts`: print what was reset (exit 0) or why not (exit 1 or 2)."""
    settings = get_settings()
    try:
        check_allowed(settings)
    except QARefused as refusal:
        print(f"qa-accounts: {refusal}", file=sys.stderr)
        return 1
    password = _password(password_stdin, stdin, environ)
    if not password:
        print(f"qa-accounts: set {PASSWORD_ENV} or pass --password-stdin", file=sys.stderr)
        return 2
    try:
        with session_scope() as session:
            reset = qa_accounts_reset(
                session,
                prefix=settings.qa_account_prefix,
                domain=settings.qa_email_domain,
                password=password,
                count=count,
                now=now or datetime.now(UTC),
            )
    except QARefused as refusal:
        print(f"qa-accounts: {refusal}", file=sys.stderr)
        return 1
    print(
        f"QA accounts ready: {reset.usernames[0]} … {reset.usernames[-1]} "
        f"({len(reset.usernames)}, @{settings.qa_email_domain}); removed {reset.removed} old"
    )
    return 0


def _password(
    password_stdin: bool, stdin: TextIO | None, environ: Mapping[str, str] | None
) -> str | None:
    """The first line of stdin, or else QA_ACCOUNT_PASSWORD (create-admin's rules)."""
    if password_stdin:
        return read_admin_password(True, stdin)
    return (os.environ if environ is None else environ).get(PASSWORD_ENV) or None
