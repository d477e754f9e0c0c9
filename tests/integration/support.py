"""Shared helpers for the service tests: a fixed clock, the outbox, and a unit of work."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import event, func
from sqlmodel import Session, col, select

from citypulse.models import EmailOutbox

T = TypeVar("T")

# On a 15-minute and a 1-hour boundary, so fixed rate-limit windows start exactly here.
# In the past, because PyJWT compares `iat` with the wall clock.
NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)

VERIFY_LINK = re.compile(r"/verify-email\?token=([A-Za-z0-9_-]+)")
RESET_CODE = re.compile(r"^ {4}(\d{6})$", re.MULTILINE)


def run_action(session: Session, service: Callable[..., T], /, **kwargs: object) -> T:
    """Call `service(session, **kwargs)` the way `services.unit_of_work.run_transaction` does.

    What the test arranged so far is committed first; the action then commits when it
    returns and is rolled back when it raises (on the test session a commit is a savepoint,
    so everything still disappears after the test).
    """
    session.commit()
    try:
        result = service(session, **kwargs)
        session.flush()
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return result


def outbox(session: Session, to: str | None = None) -> list[EmailOutbox]:
    """Queued emails, oldest first (optionally only those to one address)."""
    query = select(EmailOutbox).order_by(col(EmailOutbox.id))
    if to is not None:
        query = query.where(EmailOutbox.to_address == to)
    return list(session.exec(query).all())


def count(session: Session, model: type, *conditions: object) -> int:
    """How many rows of `model` match `conditions`."""
    return session.exec(select(func.count()).select_from(model).where(*conditions)).one()


def verification_token(mail: EmailOutbox) -> str:
    """The token of the verification link in a queued email's text and HTML."""
    match = VERIFY_LINK.search(mail.text)
    assert match, mail.text
    assert f"/verify-email?token={match.group(1)}" in mail.html
    return match.group(1)


def reset_code(mail: EmailOutbox) -> str:
    """The 6-digit code in a queued reset email."""
    match = RESET_CODE.search(mail.text)
    assert match, mail.text
    return match.group(1)


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    """Collect the SQL the session's connection sends to PostgreSQL inside the block.

    Savepoint bookkeeping of the test session is left out: it does not exist in the real
    unit of work. Tests assert counts with it so cheap hot paths cannot silently regress.
    """
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if "SAVEPOINT" not in statement:
            sent.append(statement)

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(connection, "before_cursor_execute", record)
