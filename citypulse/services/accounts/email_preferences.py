"""Email preference changes, including the signed one-click unsubscribe (§4.12)."""

from __future__ import annotations

from sqlmodel import Session, select

from citypulse.email.messages import PREFERENCE_LABELS
from citypulse.email.unsubscribe import InvalidUnsubscribeToken, read_unsubscribe_token
from citypulse.models import EmailPreferences
from citypulse.services.errors import NotFound, ValidationFailed


def email_unsubscribe(session: Session, *, token: str) -> str:
    """Turn one preference off for the token's user; returns the category's label.

    Raises:
        ValidationFailed: the token is forged or malformed.
        NotFound: the account no longer exists.
    """
    try:
        user_id, category = read_unsubscribe_token(token)
    except InvalidUnsubscribeToken as error:
        raise ValidationFailed({"token": "This unsubscribe link is not valid"}) from error
    preferences = session.exec(
        select(EmailPreferences).where(EmailPreferences.user_id == user_id)
    ).first()
    if preferences is None:
        raise NotFound("This account no longer exists")
    setattr(preferences, category, False)
    session.add(preferences)
    return PREFERENCE_LABELS[category]
