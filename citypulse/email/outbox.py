"""The email outbox: queue mail with the user's action, deliver it afterwards with retries.

`enqueue` writes an EmailOutbox row in the caller's transaction, so the email exists if
and only if the action committed, and a failed send can never roll the action back
(PRODUCT.md §4.12). Delivery happens outside that transaction:

- `deliver_in_background()` right after the action commits (mail leaves within seconds);
- the job worker's `deliver_email` pass every minute (citypulse/jobs/schedule.py),
  retrying what is still pending.

Each row is claimed with `FOR UPDATE SKIP LOCKED` in its own transaction, so several
passes (threads, workers) never send the same row twice while it is being sent. The
guarantee is at-least-once: a crash between the provider's 202 and our commit resends.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from citypulse.db import session_scope
from citypulse.email.messages import EmailMessage
from citypulse.email.senders import EmailSender, EmailSendError, sender_from_settings
from citypulse.models.enums import EmailStatus
from citypulse.models.infra import EmailOutbox

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
RETRY_BASE = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=1)
ERROR_MAX_LENGTH = 500

SessionFactory = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery pass did: rows sent, rows given up on, rows rescheduled."""

    sent: int = 0
    failed: int = 0
    retried: int = 0


def enqueue(session: Session, message: EmailMessage, user_id: int | None = None) -> int:
    """Queue `message` in the caller's transaction (nothing is sent here).

    Call it from a service inside the action's transaction; after the commit, call
    `deliver_in_background()`. Returns the outbox row id.
    """
    row = EmailOutbox(
        user_id=user_id,
        to_address=message.to,
        subject=message.subject,
        html=message.html,
        text=message.text,
        category=message.category,
        # Due "now" by the application's clock, the same clock deliver_pending compares with.
        next_attempt_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()  # assigns the id without committing the caller's transaction
    assert row.id is not None
    return row.id


def retry_delay(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failure: 30 s, 1 min, 2 min, ... capped at 1 h."""
    return min(RETRY_BASE * 2 ** max(attempts - 1, 0), RETRY_CAP)


def _claim_next_due(session: Session, now: datetime) -> EmailOutbox | None:
    statement = (
        select(EmailOutbox)
        .where(EmailOutbox.status == EmailStatus.pending, EmailOutbox.next_attempt_at <= now)
        .order_by(EmailOutbox.next_attempt_at, EmailOutbox.id)  # served by ix_email_outbox_pending
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return session.exec(statement).first()


def _record_failure(row: EmailOutbox, error: str, now: datetime) -> str:
    row.attempts += 1
    row.last_error = error[:ERROR_MAX_LENGTH]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = EmailStatus.failed
        logger.error(
            "Email %s (%s) failed permanently after %d attempts: %s",
            row.id,
            row.category,
            row.attempts,
            row.last_error,
        )
        return "failed"
    row.next_attempt_at = now + retry_delay(row.attempts)
    logger.warning(
        "Email %s (%s) failed (attempt %d of %d), retrying at %s: %s",
        row.id,
        row.category,
        row.attempts,
        MAX_ATTEMPTS,
        row.next_attempt_at,
        row.last_error,
    )
    return "retried"


def _deliver_one(session_factory: SessionFactory, sender: EmailSender, now: datetime) -> str | None:
    """Claim, send and record one due row in its own transaction (None: nothing due)."""
    with session_factory() as session:
        row = _claim_next_due(session, now)
        if row is None:
            return None
        message = EmailMessage(row.to_address, row.subject, row.html, row.text, row.category)
        try:
            sender.send(message)
        except EmailSendError as exc:
            outcome = _record_failure(row, str(exc), now)
        except Exception as exc:
            # A sender bug must not leave the row due forever and stall every pass on it.
            logger.exception("Unexpected error sending email %s", row.id)
            outcome = _record_failure(row, f"Unexpected error: {type(exc).__name__}", now)
        else:
            row.status, row.sent_at, row.last_error = EmailStatus.sent, now, None
            outcome = "sent"
        session.add(row)
        session.commit()  # explicit: factories that do not commit on exit must work too
        return outcome


def deliver_pending(
    session_factory: SessionFactory,
    sender: EmailSender,
    now: datetime | None = None,
    limit: int = 50,
) -> DeliveryReport:
    """Send up to `limit` due pending emails, each committed independently. Blocking.

    Args:
        session_factory: Returns a session context manager, e.g. `citypulse.db.session_scope`.
        sender: Where to send (usually `sender_from_settings()`).
        now: The current time (tests drive retries with it); default: the clock, per row.
        limit: Most rows handled in this pass.

    Returns:
        Counts of rows sent, given up on (status failed) and rescheduled.
    """
    counts: Counter[str] = Counter()
    for _ in range(limit):
        moment = now if now is not None else datetime.now(UTC)
        outcome = _deliver_one(session_factory, sender, moment)
        if outcome is None:
            break
        counts[outcome] += 1
    return DeliveryReport(sent=counts["sent"], failed=counts["failed"], retried=counts["retried"])


# One background drainer per process: a burst of sign-ups must not open a thread (and a
# pooled connection) per email. Callers arriving during a pass ask it to sweep again.
_drainer_lock = threading.Lock()
_sweep_requested = threading.Event()


def _drain(session_factory: SessionFactory, sender: EmailSender | None) -> None:
    try:
        while _sweep_requested.is_set():
            _sweep_requested.clear()
            try:
                deliver_pending(session_factory, sender or sender_from_settings())
            except Exception:
                logger.exception("Background email delivery pass failed")
    finally:
        _drainer_lock.release()
    # A request that arrived between our last check and the release would be lost.
    if _sweep_requested.is_set():
        deliver_in_background(sender, session_factory)


def deliver_in_background(
    sender: EmailSender | None = None, session_factory: SessionFactory = session_scope
) -> threading.Thread | None:
    """Deliver due mail now in a daemon thread; call it after the action's commit.

    Never blocks and never raises: failures are logged and retried by the worker's
    `deliver_email` pass.

    Returns:
        The started thread, or None when a background pass is already running in this
        process (it will sweep once more and pick the new mail up).
    """
    _sweep_requested.set()
    if not _drainer_lock.acquire(blocking=False):
        return None
    thread = threading.Thread(
        target=_drain, args=(session_factory, sender), name="email-delivery", daemon=True
    )
    try:
        thread.start()
    except RuntimeError:  # no thread available: the worker's pass will send it instead
        _drainer_lock.release()
        logger.exception("Could not start the background email delivery thread")
        return None
    return thread
