"""Password change, deactivation, reactivation and the purge (§4.1 items 3, 7; §5.6)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, col, select

from citypulse.auth.password_policy import password_problem
from citypulse.auth.passwords import hash_password, verify_password
from citypulse.auth.sessions import revoke_user_sessions
from citypulse.email.messages import (
    account_deactivated_email,
    account_deleted_email,
    account_reactivated_email,
    password_changed_email,
)
from citypulse.email.outbox import enqueue
from citypulse.media.transaction_files import delete_after_commit
from citypulse.models import Photo, Profile, Recommendation, User
from citypulse.models.enums import AccountStatus, RevokeReason
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound, ValidationFailed
from citypulse.services.mail import MAIL_QUEUED, queue_email

DELETION_DELAY = timedelta(days=30)
_TOUCHED_RECOMMENDATIONS = text(
    """
    SELECT recommendation_id FROM likes WHERE user_id = :u
    UNION SELECT recommendation_id FROM saves WHERE user_id = :u
    UNION SELECT recommendation_id FROM ratings WHERE user_id = :u
    UNION SELECT recommendation_id FROM shares WHERE user_id = :u
    """
)
_RECOUNT = text(
    """
    UPDATE recommendations r SET
      likes_count = (SELECT count(*) FROM likes WHERE recommendation_id = r.id),
      saves_count = (SELECT count(*) FROM saves WHERE recommendation_id = r.id),
      ratings_count = (SELECT count(*) FROM ratings WHERE recommendation_id = r.id),
      rating_avg = COALESCE(
        (SELECT round(avg(rating), 2) FROM ratings WHERE recommendation_id = r.id), 0),
      updated_at = now()
    WHERE r.id = ANY(:ids)
    """
)


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("User not found")
    return user


def password_change(
    session: Session,
    *,
    actor: Viewer,
    current_password: str,
    new_password: str,
    confirm_password: str,
    now: datetime,
) -> None:
    """Change the actor's password; their other sessions end, a confirmation is mailed.

    The actor's own session (this browser) stays signed in.

    Raises:
        NotFound: the account no longer exists.
        ValidationFailed: wrong current password, same password, policy or mismatch.
    """
    user = _user(session, actor.user_id)
    errors: dict[str, str] = {}
    if not verify_password(user.password_hash, current_password):
        errors["current_password"] = "Current password is incorrect"
    elif current_password == new_password:
        errors["new_password"] = "The new password must differ from the current one"
    elif problem := password_problem(new_password, username=user.username, email=user.email):
        errors["new_password"] = problem
    if new_password != confirm_password:
        errors["confirm_password"] = "Passwords do not match"
    if errors:
        raise ValidationFailed(errors)
    user.password_hash = hash_password(new_password)
    session.add(user)
    revoke_user_sessions(
        session, user.id, RevokeReason.password_changed, now, keep_family=actor.family_id
    )
    queue_email(session, user, password_changed_email(user.email, user.full_name))


def account_deactivate(
    session: Session, *, actor: Viewer, confirmation: str, now: datetime
) -> datetime:
    """Deactivate the actor's account now and schedule deletion in 30 days.

    Confirmation is the password, or the username for Google-only accounts. Returns the
    deletion deadline.

    Raises:
        NotFound: the account no longer exists.
        ValidationFailed: the confirmation does not match.
    """
    user = _user(session, actor.user_id)
    if user.password_hash is not None:
        if not verify_password(user.password_hash, confirmation):
            raise ValidationFailed({"confirmation": "Password is incorrect"})
    elif confirmation.strip().lower() != user.username:
        raise ValidationFailed({"confirmation": "Type your username exactly to confirm"})
    user.account_status = AccountStatus.deactivated
    user.deactivated_at = now
    user.deletion_due_at = now + DELETION_DELAY
    session.add(user)
    revoke_user_sessions(session, user.id, RevokeReason.deactivated, now)
    queue_email(
        session, user, account_deactivated_email(user.email, user.full_name, user.deletion_due_at)
    )
    return user.deletion_due_at


def account_reactivate(session: Session, user: User, now: datetime) -> None:
    """Undo a deactivation (signing in before the deadline)."""
    user.account_status = AccountStatus.active
    user.deactivated_at = None
    user.deletion_due_at = None
    session.add(user)
    queue_email(session, user, account_reactivated_email(user.email, user.full_name))


def account_purge(session: Session, user: User, now: datetime) -> None:
    """Delete the user and everything they own; others' counters are recomputed.

    Reports they filed stay (reporter set null), audit rows stay with null references.
    """
    touched = list(session.execute(_TOUCHED_RECOMMENDATIONS, {"u": user.id}).scalars())
    keys = _stored_files(session, user.id)
    enqueue(session, account_deleted_email(user.email, user.full_name))
    session.info[MAIL_QUEUED] = True
    session.delete(user)
    session.flush()
    if touched:
        session.execute(_RECOUNT, {"ids": touched})
    delete_after_commit(session, *keys)


def _stored_files(session: Session, user_id: int) -> list[str]:
    photos = session.exec(
        select(Photo.image_key, Photo.thumb_key)
        .join(Recommendation, col(Recommendation.id) == Photo.recommendation_id)
        .where(Recommendation.author_id == user_id)
    ).all()
    profile = session.exec(select(Profile).where(Profile.user_id == user_id)).first()
    keys = [key for pair in photos for key in pair]
    if profile is not None:
        keys += [key for key in (profile.avatar_key, profile.cover_key) if key]
    return keys


def accounts_purge_due(session: Session, now: datetime) -> int:
    """The daily purge: delete accounts deactivated more than 30 days ago."""
    due = session.exec(
        select(User).where(
            User.account_status == AccountStatus.deactivated,
            col(User.deletion_due_at).is_not(None),
            col(User.deletion_due_at) <= now,
        )
    ).all()
    for user in due:
        account_purge(session, user, now)
    return len(due)
