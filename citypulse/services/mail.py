"""Queue email in the caller's transaction, honouring who may receive what (§4.12)."""

from __future__ import annotations

from sqlmodel import Session

from citypulse.email.messages import EmailMessage
from citypulse.email.outbox import enqueue
from citypulse.models import User
from citypulse.models.enums import AccountStatus

# Set on the session when mail was queued; the transaction runner delivers after commit.
MAIL_QUEUED = "citypulse.mail_queued"
DEACTIVATED_ACCOUNT_CATEGORIES = {"account"}


def queue_email(
    session: Session, user: User, message: EmailMessage, *, proves_address: bool = False
) -> bool:
    """Queue `message` for `user` unless their account may not receive it. True if queued.

    An unverified address receives only verification mail; a deactivated account only
    account notices. `proves_address` marks mail whose use itself proves control of the
    address (a reset code, which §4.1.8 also sends to unverified and deactivated accounts).
    """
    unverified = user.email_verified_at is None and message.category != "verification"
    deactivated = (
        user.account_status == AccountStatus.deactivated
        and message.category not in DEACTIVATED_ACCOUNT_CATEGORIES
    )
    if (unverified or deactivated) and not proves_address:
        return False
    enqueue(session, message, user_id=user.id)
    session.info[MAIL_QUEUED] = True
    return True
