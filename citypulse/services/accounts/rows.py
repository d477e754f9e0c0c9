"""Creating an account row together with the rows every account has (§3.2)."""

from sqlmodel import Session

from citypulse.models import EmailPreferences, Profile, TravelPreferences, User


def add_account(session: Session, user: User, **profile_fields: object) -> User:
    """Insert `user` with its Profile, EmailPreferences and TravelPreferences rows."""
    session.add(user)
    session.flush()
    session.add_all(
        [
            Profile(user_id=user.id, **profile_fields),
            EmailPreferences(user_id=user.id),
            TravelPreferences(user_id=user.id),
        ]
    )
    session.flush()
    return user
