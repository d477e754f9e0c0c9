"""Email for local runs: each message shown whole on the terminal, and the outbox listed.

With `EMAIL_BACKEND=console` (the default of `make run`) nothing is sent: the console
sender prints every message as a framed block with its links and codes first, so a
person trying the app can verify an account or reset a password. `python -m
citypulse.cli outbox` lists the latest queued or sent messages the same way, from the
database, whatever the backend.

These blocks deliberately show verification links and reset codes, which the log
redaction (`citypulse.logs`) removes from every log line: they are written straight to
the terminal, never through logging, and only outside production (production refuses
any email backend but SendGrid, and the outbox command refuses to run there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from sqlmodel import Session, col, select

from citypulse.models.infra import EmailOutbox

LINK = re.compile(r"https?://[^\s<>\"']+")
CODE = re.compile(r"^\s+(\d{6})\s*$", re.MULTILINE)  # the reset email's indented code line
RULE = "=" * 72
OUTBOX_LIMIT = 10


@dataclass(frozen=True)
class ShownEmail:
    """What a developer needs to see of one email."""

    to: str
    subject: str
    category: str
    text: str
    heading: str = "Email (console backend: not sent)"


def links_in(text: str) -> list[str]:
    """The absolute links of a plain-text body, in order."""
    return LINK.findall(text)


def codes_in(text: str) -> list[str]:
    """The 6-digit codes of a plain-text body (reset codes)."""
    return CODE.findall(text)


def framed(email: ShownEmail) -> str:
    """The email as one framed block: heading, links and codes first, then the text."""
    lines = [RULE, email.heading, f"To:      {email.to}", f"Subject: {email.subject}"]
    lines.append(f"Type:    {email.category}")
    lines += [f"Link:    {link}" for link in links_in(email.text)]
    lines += [f"Code:    {code}" for code in codes_in(email.text)]
    lines += ["-" * len(RULE), email.text.rstrip(), RULE]
    return "\n".join(lines)


def recent_emails(session: Session, *, limit: int = OUTBOX_LIMIT, to: str | None = None):
    """The newest outbox rows (optionally to one address), newest first."""
    query = select(EmailOutbox).order_by(
        col(EmailOutbox.created_at).desc(), col(EmailOutbox.id).desc()
    )
    if to:
        query = query.where(col(EmailOutbox.to_address) == to.strip().lower())
    return session.exec(query.limit(limit)).all()


def print_outbox(
    session: Session, out: TextIO, *, limit: int = OUTBOX_LIMIT, to: str | None = None
) -> int:
    """Print the newest emails as framed blocks, oldest of them first; returns how many."""
    rows = list(reversed(recent_emails(session, limit=limit, to=to)))
    for row in rows:
        when = (
            row.created_at.strftime("%Y-%m-%d %H:%M:%S")
            if isinstance(row.created_at, datetime)
            else ""
        )
        heading = f"Outbox #{row.id} · {row.status} · {when}"
        print(
            framed(ShownEmail(row.to_address, row.subject, row.category, row.text, heading)),
            file=out,
        )
    if not rows:
        print("The outbox is empty.", file=out)
    return len(rows)
